// A three-member cluster for the benchmark on loopback ports: kubets-etcd (this package's
// dist/src/main.js under node) or real etcd (--etcd-bin), both launched with the same etcd flags
// and data dirs under one mkdtemp. Stops exactly the processes it started, by pid: SIGTERM, then
// wait for the exit (SIGKILL only if a member is still up after the grace period).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';

export type SystemKind = 'kubets' | 'etcd';

export interface ClusterOptions {
  kind: SystemKind;
  etcdBin: string;
  /** Extra node flags for kubets members (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof). */
  nodeArgs?: string[];
  members?: number;
  readyTimeoutMs?: number;
}

export interface BenchCluster {
  kind: SystemKind;
  clientUrls: string[];
  pids: number[];
  /** SIGTERMs every member, waits for each to exit, removes the data dirs. */
  stop(): Promise<void>;
}

/** Stoppers of every cluster started and not yet stopped, so an interrupted run can clean up. */
const live = new Set<() => Promise<void>>();

/** Stops every cluster this process started that is still up (on SIGINT/SIGTERM). */
export async function stopAllClusters(): Promise<void> {
  await Promise.all([...live].map((stop) => stop()));
}

// dist/src/bench/cluster.js -> dist/src/main.js
const kubetsMain = fileURLToPath(new URL('../main.js', import.meta.url));

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

/** Healthy: `/health` says "true" and maintenance status names a leader. */
async function ready(url: string): Promise<boolean> {
  try {
    const h = await request(`${url}/health`, { headersTimeout: 1000, bodyTimeout: 1000 });
    const health = (await h.body.json()) as { health?: unknown };
    if (h.statusCode !== 200 || String(health.health) !== 'true') return false;
    const s = await request(`${url}/v3/maintenance/status`, {
      method: 'POST', body: '{}', headers: { 'content-type': 'application/json' }, headersTimeout: 1000, bodyTimeout: 1000,
    });
    const status = (await s.body.json()) as { leader?: string };
    return s.statusCode === 200 && status.leader !== undefined && status.leader !== '0';
  } catch {
    return false;
  }
}

const running = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;

function exited(c: ChildProcess): Promise<void> {
  return new Promise((resolve) => (running(c) ? c.once('exit', () => resolve()) : resolve()));
}

export async function startCluster(opts: ClusterOptions): Promise<BenchCluster> {
  const n = opts.members ?? 3;
  const dir = await mkdtemp(join(tmpdir(), `kubets-etcd-bench-${opts.kind}-`));
  const token = `bench-${process.pid}-${Date.now()}`;
  const names = Array.from({ length: n }, (_, i) => `m${i}`);
  const clientUrls: string[] = [];
  const peerUrls: string[] = [];
  for (let i = 0; i < n; i++) {
    clientUrls.push(`http://127.0.0.1:${await freePort()}`);
    peerUrls.push(`http://127.0.0.1:${await freePort()}`);
  }
  const initialCluster = names.map((name, i) => `${name}=${peerUrls[i]}`).join(',');
  const stderr: string[][] = names.map(() => []);

  const children = names.map((name, i) => {
    // Identical for both systems; no unsafe flags (both fsync their WAL before acknowledging).
    const flags = [
      `--name=${name}`, `--data-dir=${join(dir, name)}`,
      `--listen-client-urls=${clientUrls[i]}`, `--advertise-client-urls=${clientUrls[i]}`,
      `--listen-peer-urls=${peerUrls[i]}`, `--initial-advertise-peer-urls=${peerUrls[i]}`,
      `--initial-cluster=${initialCluster}`, '--initial-cluster-state=new', `--initial-cluster-token=${token}`,
      '--heartbeat-interval=100', '--election-timeout=1000',
      '--logger=zap', '--log-level=error',
    ];
    const [cmd, args] = opts.kind === 'etcd'
      ? [opts.etcdBin, flags]
      : [process.execPath, [...(opts.nodeArgs ?? []), kubetsMain, ...flags]];
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const lines = stderr[i]!;
    child.stderr!.on('data', (d: Buffer) => {
      lines.push(d.toString());
      if (lines.length > 100) lines.shift();
    });
    child.on('error', (e) => lines.push(`spawn ${cmd}: ${e.message}\n`));
    return child;
  });

  const stop = async (graceMs = 20_000) => {
    live.delete(stopper);
    await Promise.all(children.map(async (c) => {
      if (!running(c) || c.pid === undefined) return;
      process.kill(c.pid, 'SIGTERM');
      const timer = setTimeout(() => running(c) && c.pid !== undefined && process.kill(c.pid, 'SIGKILL'), graceMs);
      await exited(c);
      clearTimeout(timer);
    }));
    await rm(dir, { recursive: true, force: true });
  };
  const stopper = () => stop();
  live.add(stopper);

  try {
    const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
    for (let i = 0; i < n; i++) {
      while (!(await ready(clientUrls[i]!))) {
        const dead = !running(children[i]!);
        if (dead || Date.now() > deadline) {
          const logs = names.map((name, j) => `--- ${name} stderr:\n${stderr[j]!.join('')}`).join('\n');
          throw new Error(`${opts.kind} member ${names[i]} at ${clientUrls[i]} ${dead ? 'exited' : 'did not become ready'}\n${logs}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } catch (e) {
    await stop(0);
    throw e;
  }

  return { kind: opts.kind, clientUrls, pids: children.map((c) => c.pid!), stop: () => stop() };
}
