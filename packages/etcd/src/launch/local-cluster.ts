// Starts an etcd cluster of local processes on loopback ports, for tests, the benchmark and
// local clusters: kubets-etcd (this package's main.js under node) or real etcd (its binary),
// launched with the same etcd flags, data dirs under one mkdtemp. Stops exactly the processes it
// started, by pid: SIGTERM, then SIGKILL only if a member outlives the grace period.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts } from '@kubets/raft';
import { request } from 'undici';

export type EtcdKind = 'kubets' | 'etcd';

/**
 * Node flags every kubets-etcd member runs with. A member's heap grows steadily with its data
 * (every revision stays until compaction), and V8 sizes the old generation tightly around what
 * is live: under a few hundred writes/s it ran a full mark-compact every one to three seconds
 * on a 30 MB heap, each costing 20 to 40 ms of the event loop in steps and a final pause of 5
 * to 20 ms, every one of them in some request's latency. A 256 MB floor under the old
 * generation's limit (still GC'd as live data grows past it) leaves one in minutes, much as
 * Go's GOGC lets etcd's heap double before collecting.
 */
export const MEMBER_NODE_FLAGS: readonly string[] = ['--initial-old-space-size=256'];

export interface LocalClusterOptions {
  kind: EtcdKind;
  /** Real etcd's binary. Default: $ETCD_BIN, else /usr/bin/etcd. */
  etcdBin?: string;
  /** More node flags for kubets members (e.g. --cpu-prof), after MEMBER_NODE_FLAGS. */
  nodeArgs?: string[];
  members?: number;
  /** Flags after the cluster's own (name, URLs, initial cluster): timeouts and the like. */
  flags?: string[];
  /** Deadline for every member to be ready (healthy, with a leader). Default 30 s. */
  readyTimeoutMs?: number;
}

export interface LocalCluster {
  kind: EtcdKind;
  clientUrls: string[];
  peerUrls: string[];
  dataDir(i: number): string;
  /** Pid of member i, if it runs. */
  pid(i: number): number | undefined;
  /** SIGKILLs member i and waits for it to exit. */
  kill(i: number): Promise<void>;
  /** Starts member i again on its data dir (--initial-cluster-state=existing) and waits until it is ready. */
  restart(i: number): Promise<void>;
  /** Stops every member (SIGTERM, SIGKILL after graceMs) and removes the data dirs. */
  stop(graceMs?: number): Promise<void>;
}

// dist/src/launch/local-cluster.js -> dist/src/main.js
const kubetsMain = fileURLToPath(new URL('../main.js', import.meta.url));

/** Stoppers of every cluster started here and not yet stopped, so an interrupted run can clean up. */
const live = new Set<() => Promise<void>>();

/** Stops every cluster this process started that is still up (for SIGINT/SIGTERM handlers). */
export async function stopAllLocalClusters(): Promise<void> {
  await Promise.all([...live].map((stop) => stop()));
}


/** Ready: `/health` says "true" (etcd 3.4 answers the string) and status names a leader. */
async function ready(url: string): Promise<boolean> {
  const timeouts = { headersTimeout: 1000, bodyTimeout: 1000 };
  try {
    const h = await request(`${url}/health`, timeouts);
    const health = (await h.body.json()) as { health?: unknown };
    if (h.statusCode !== 200 || String(health.health) !== 'true') return false;
    const s = await request(`${url}/v3/maintenance/status`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' }, ...timeouts });
    const status = (await s.body.json()) as { leader?: string };
    return s.statusCode === 200 && status.leader !== undefined && status.leader !== '0';
  } catch {
    return false;
  }
}

const running = (c: ChildProcess | undefined): c is ChildProcess => c !== undefined && c.exitCode === null && c.signalCode === null;

function exited(c: ChildProcess): Promise<void> {
  return new Promise((resolve) => (running(c) ? c.once('exit', () => resolve()) : resolve()));
}

/**
 * Starts the cluster on fresh free ports. A port found free can be taken by another process
 * before the member binds it (tests run in parallel): then it starts over on other ports.
 */
export async function startLocalCluster(opts: LocalClusterOptions): Promise<LocalCluster> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (e) {
      if (attempt >= 3 || !/address already in use|EADDRINUSE/.test((e as Error).message)) throw e;
    }
  }
}

async function startOnce(opts: LocalClusterOptions): Promise<LocalCluster> {
  const n = opts.members ?? 3;
  const dir = await mkdtemp(join(tmpdir(), `kubets-${opts.kind}-cluster-`));
  const token = `local-${process.pid}-${Date.now()}`;
  const names = Array.from({ length: n }, (_, i) => `m${i}`);
  const clientUrls: string[] = [];
  const peerUrls: string[] = [];
  const ports = await freePorts(2 * n);
  for (let i = 0; i < n; i++) {
    clientUrls.push(`http://127.0.0.1:${ports[2 * i]}`);
    peerUrls.push(`http://127.0.0.1:${ports[2 * i + 1]}`);
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
      '--logger=zap', '--log-level=error',
      ...(opts.flags ?? []),
    ];
    const etcdBin = opts.etcdBin ?? process.env.ETCD_BIN ?? '/usr/bin/etcd';
    const [cmd, args] = opts.kind === 'etcd' ? [etcdBin, flags] : [process.execPath, [...MEMBER_NODE_FLAGS, ...(opts.nodeArgs ?? []), kubetsMain, ...flags]];
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
    const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
    for (const i of which) {
      // A member that exited is never ready, even if something else answers on its port.
      while (!running(children[i]) || !(await ready(clientUrls[i]!))) {
        const dead = !running(children[i]);
        if (dead || Date.now() > deadline) {
          const logs = which.map((j) => `--- ${names[j]} stderr:\n${stderr[j]!.join('')}`).join('\n');
          throw new Error(`${opts.kind} member ${names[i]} at ${clientUrls[i]} ${dead ? 'exited' : 'did not become ready'}\n${logs}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };

  const kill = async (i: number, signal: NodeJS.Signals, graceMs = 20_000) => {
    const c = children[i];
    if (running(c) && c.pid !== undefined) {
      process.kill(c.pid, signal);
      const timer = signal === 'SIGKILL' ? undefined : setTimeout(() => running(c) && process.kill(c.pid!, 'SIGKILL'), graceMs);
      await exited(c);
      clearTimeout(timer);
    }
    children[i] = undefined;
  };

  const stop = async (graceMs?: number) => {
    live.delete(stopper);
    await Promise.all(names.map((_, i) => kill(i, 'SIGTERM', graceMs)));
    await rm(dir, { recursive: true, force: true });
  };
  const stopper = () => stop();
  live.add(stopper);

  for (let i = 0; i < n; i++) launch(i, 'new');
  try {
    await waitReady(names.map((_, i) => i));
  } catch (e) {
    await stop(0);
    throw e;
  }

  return {
    kind: opts.kind,
    clientUrls,
    peerUrls,
    dataDir,
    pid: (i) => (running(children[i]) ? children[i]!.pid : undefined),
    kill: (i) => kill(i, 'SIGKILL'),
    async restart(i) {
      if (running(children[i])) throw new Error(`member ${names[i]} is still running`);
      launch(i, 'existing');
      await waitReady([i]);
    },
    stop,
  };
}
