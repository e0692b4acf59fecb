// Starts a three-member etcd cluster on loopback for the conformance suite: real etcd 3.4
// (ETCD_BIN, /usr/bin/etcd by default) or kubets-etcd, both with etcd's own flags, so the
// same assertions run against both. Stops exactly the processes it started, by pid.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';

export type ClusterKind = 'real' | 'kubets';

export interface Cluster {
  kind: ClusterKind;
  clientUrls: string[];
  peerUrls: string[];
  /** SIGTERMs every running member and removes the temp dir. */
  stop(): Promise<void>;
  /** SIGKILLs member i and waits for it to exit. */
  kill(i: number): Promise<void>;
  /** Starts member i again on its data dir and waits until it is healthy. */
  restart(i: number): Promise<void>;
  dataDir(i: number): string;
}

export interface ClusterOptions {
  kind: ClusterKind;
  members?: number;
  /** Deadline for the whole cluster to become healthy with a leader. */
  timeoutMs?: number;
  /** More flags for every member, after the defaults (a repeated flag's last value wins). */
  extraFlags?: string[];
}

// dist/test/support/cluster.js -> dist/src/main.js
const kubetsMain = fileURLToPath(new URL('../../src/main.js', import.meta.url));

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

async function post(url: string, path: string, body: unknown): Promise<any> {
  const r = await request(url + path, {
    method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' },
    headersTimeout: 1000, bodyTimeout: 1000,
  });
  return r.statusCode === 200 ? r.body.json() : (await r.body.dump(), undefined);
}

/** Healthy: `/health` says "true" (etcd 3.4 answers the string) and status names a leader. */
async function ready(url: string): Promise<boolean> {
  try {
    const h = await request(`${url}/health`, { headersTimeout: 1000, bodyTimeout: 1000 });
    const body = (await h.body.json()) as { health?: unknown };
    if (h.statusCode !== 200 || String(body.health) !== 'true') return false;
    const status = await post(url, '/v3/maintenance/status', {});
    return status !== undefined && status.leader !== undefined && status.leader !== '0';
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

/**
 * Starts the cluster on fresh free ports. A port found free can be taken by another process
 * before the member binds it (tests run in parallel): then it starts over on other ports.
 */
export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startClusterOnce(opts);
    } catch (e) {
      if (attempt >= 3 || !/address already in use|EADDRINUSE/.test((e as Error).message)) throw e;
    }
  }
}

async function startClusterOnce(opts: ClusterOptions): Promise<Cluster> {
  const n = opts.members ?? 3;
  const dir = await mkdtemp(join(tmpdir(), `kubets-conformance-${opts.kind}-`));
  const token = `conformance-${process.pid}-${Date.now()}`;
  const names = Array.from({ length: n }, (_, i) => `m${i}`);
  const clientUrls: string[] = [];
  const peerUrls: string[] = [];
  for (let i = 0; i < n; i++) {
    clientUrls.push(`http://127.0.0.1:${await freePort()}`);
    peerUrls.push(`http://127.0.0.1:${await freePort()}`);
  }
  const dataDir = (i: number) => join(dir, names[i]!);
  const initialCluster = names.map((name, i) => `${name}=${peerUrls[i]}`).join(',');
  const children: (ChildProcess | undefined)[] = [];
  const stderr: string[][] = names.map(() => []);

  const launch = (i: number, state: 'new' | 'existing') => {
    const flags = [
      `--name=${names[i]}`, `--data-dir=${dataDir(i)}`,
      `--listen-client-urls=${clientUrls[i]}`, `--advertise-client-urls=${clientUrls[i]}`,
      `--listen-peer-urls=${peerUrls[i]}`, `--initial-advertise-peer-urls=${peerUrls[i]}`,
      `--initial-cluster=${initialCluster}`, `--initial-cluster-state=${state}`, `--initial-cluster-token=${token}`,
      // Short timeouts make elections (start, restart) quick on loopback.
      '--heartbeat-interval=50', '--election-timeout=500', '--snapshot-count=10000',
      ...(opts.extraFlags ?? []),
    ];
    const [cmd, args] = opts.kind === 'real'
      ? [process.env.ETCD_BIN ?? '/usr/bin/etcd', [...flags, '--logger=zap', '--log-level=error']]
      : [process.execPath, [kubetsMain, ...flags]];
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const lines = stderr[i]!;
    child.stderr!.on('data', (d: Buffer) => {
      lines.push(d.toString());
      if (lines.length > 100) lines.shift();
    });
    child.on('error', (e) => lines.push(`spawn ${cmd}: ${e.message}\n`));
    children[i] = child;
  };

  const waitReady = async (which: number[]) => {
    const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
    for (const i of which) {
      while (!(await ready(clientUrls[i]!))) {
        const c = children[i];
        const dead = c !== undefined && (c.exitCode !== null || c.signalCode !== null);
        if (dead || Date.now() > deadline) {
          const logs = which.map((j) => `--- ${names[j]} stderr:\n${stderr[j]!.join('')}`).join('\n');
          throw new Error(`${opts.kind} member ${names[i]} at ${clientUrls[i]} ${dead ? 'exited' : 'did not become ready'}\n${logs}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };

  const stopAll = async (signal: NodeJS.Signals) => {
    await Promise.all(children.map(async (c, i) => {
      if (c === undefined) return;
      if (c.exitCode === null && c.signalCode === null) process.kill(c.pid!, signal);
      await exited(c);
      children[i] = undefined;
    }));
  };

  for (let i = 0; i < n; i++) launch(i, 'new');
  try {
    await waitReady(names.map((_, i) => i));
  } catch (e) {
    await stopAll('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw e;
  }

  return {
    kind: opts.kind,
    clientUrls,
    peerUrls,
    dataDir,
    async kill(i) {
      const c = children[i];
      if (c === undefined) return;
      if (c.exitCode === null && c.signalCode === null) process.kill(c.pid!, 'SIGKILL');
      await exited(c);
      children[i] = undefined;
    },
    async restart(i) {
      if (children[i] !== undefined) throw new Error(`member ${names[i]} is still running`);
      launch(i, 'existing');
      await waitReady([i]);
    },
    async stop() {
      await stopAll('SIGTERM');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
