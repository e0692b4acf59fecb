// Starts a three-member etcd cluster on free loopback ports for tests: real etcd (ETCD_BIN picks
// the binary, /usr/bin/etcd by default) or kubets-etcd, with the same flags. Stops exactly the
// processes it started, by pid.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';

export type EtcdImpl = 'etcd' | 'kubets';

// dist/test/support/etcd-cluster.js -> packages/etcd/dist/src/main.js
const kubetsEtcdMain = fileURLToPath(new URL('../../../../etcd/dist/src/main.js', import.meta.url));

export interface EtcdCluster {
  endpoints: string[];
  stop(): Promise<void>;
  /** SIGKILLs member i. */
  kill(i: number): Promise<void>;
  /** Starts member i again on its data dir. */
  restart(i: number): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function healthy(endpoint: string): Promise<boolean> {
  try {
    const r = await request(`${endpoint}/health`, { headersTimeout: 1000, bodyTimeout: 1000 });
    const body = (await r.body.json()) as { health?: string | boolean };
    return r.statusCode === 200 && String(body.health) === 'true';
  } catch {
    return false;
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });
}

export interface EtcdClusterOptions {
  impl?: EtcdImpl;
  members?: number;
  bin?: string;
  timeoutMs?: number;
}

/**
 * Starts the cluster on fresh free ports. A port found free can be taken by another process
 * before the member binds it (tests run in parallel): then it starts over on other ports.
 */
export async function startEtcdCluster(opts: EtcdClusterOptions = {}): Promise<EtcdCluster> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startEtcdClusterOnce(opts);
    } catch (e) {
      if (attempt >= 3 || !/address already in use|EADDRINUSE/.test((e as Error).message)) throw e;
    }
  }
}

async function startEtcdClusterOnce(opts: EtcdClusterOptions): Promise<EtcdCluster> {
  const n = opts.members ?? 3;
  const kubets = opts.impl === 'kubets';
  const bin = kubets ? process.execPath : (opts.bin ?? process.env.ETCD_BIN ?? '/usr/bin/etcd');
  const dir = await mkdtemp(join(tmpdir(), 'kubets-etcd-'));
  const token = `kubets-test-${process.pid}-${Date.now()}`;
  const members: { name: string; client: string; peer: string; dataDir: string }[] = [];
  for (let i = 0; i < n; i++) {
    members.push({ name: `m${i}`, client: `http://127.0.0.1:${await freePort()}`, peer: `http://127.0.0.1:${await freePort()}`, dataDir: join(dir, `m${i}`) });
  }
  const initialCluster = members.map((m) => `${m.name}=${m.peer}`).join(',');
  const children: (ChildProcess | undefined)[] = [];
  const output: string[] = [];
  const launch = (i: number, state: 'new' | 'existing') => {
    const m = members[i]!;
    const child = spawn(bin, [
      ...(kubets ? [kubetsEtcdMain] : []),
      `--name=${m.name}`, `--data-dir=${m.dataDir}`,
      `--listen-client-urls=${m.client}`, `--advertise-client-urls=${m.client}`,
      `--listen-peer-urls=${m.peer}`, `--initial-advertise-peer-urls=${m.peer}`,
      `--initial-cluster=${initialCluster}`, `--initial-cluster-state=${state}`, `--initial-cluster-token=${token}`,
      '--log-level=error', '--logger=zap',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => {
      output.push(d.toString());
      if (output.length > 200) output.shift();
    });
    children[i] = child;
  };
  const waitHealthy = async (endpoints: string[]) => {
    const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
    for (const e of endpoints) {
      while (!(await healthy(e))) {
        const dead = children.some((c) => c !== undefined && (c.exitCode !== null || c.signalCode !== null));
        if (dead || Date.now() > deadline) throw new Error(`etcd at ${e} ${dead ? 'exited' : 'did not become healthy'}:\n${output.join('')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  for (let i = 0; i < n; i++) launch(i, 'new');
  const endpoints = members.map((m) => m.client);
  try {
    await waitHealthy(endpoints);
  } catch (e) {
    for (const c of children) c?.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    endpoints,
    async kill(i) {
      const c = children[i];
      if (c === undefined) return;
      c.kill('SIGKILL');
      await exited(c);
      children[i] = undefined;
    },
    async restart(i) {
      launch(i, 'existing');
      await waitHealthy([members[i]!.client]);
    },
    async stop() {
      await Promise.all(children.map(async (c) => {
        if (c === undefined) return;
        c.kill('SIGTERM');
        await exited(c);
      }));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
