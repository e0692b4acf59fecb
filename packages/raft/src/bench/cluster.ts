// The benchmark's three replica processes on loopback: started with real data dirs, killed with
// SIGKILL and restarted on the same dirs and ports, stopped by pid.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import type { ReplicaProcessConfig } from './replica-process.js';
import { freePorts } from '@kubets/testing';

export interface MemberStatus {
  id: number;
  term: number;
  leader: number;
  role: string;
  commit: number;
  applied: number;
  digest: number;
  count: number;
  storage: { snapshotsSaved: number; fsyncs: number };
  metrics: { snapshotsInstalled: number };
}

interface Member {
  config: ReplicaProcessConfig;
  url: string;
  child: ChildProcess | undefined;
  stderr: string[];
}

const replicaMain = join(fileURLToPath(new URL('.', import.meta.url)), 'replica-process.js');


export class BenchCluster {
  private constructor(readonly members: Member[]) {}

  static async start(dir: string, opts: { size?: number; tickMs?: number; snapshotEntries?: number } = {}): Promise<BenchCluster> {
    const size = opts.size ?? 3;
    const ports: { raft: number; http: number }[] = [];
    const free = await freePorts(2 * size);
    for (let i = 0; i < size; i++) ports.push({ raft: free[2 * i]!, http: free[2 * i + 1]! });
    const peers = Object.fromEntries(ports.map((p, i) => [String(i + 1), `http://127.0.0.1:${p.raft}`]));
    const clusterId = `bench-${process.pid}-${Date.now()}`;
    const members = ports.map((p, i): Member => ({
      config: {
        id: i + 1, clusterId, dataDir: join(dir, `member-${i + 1}`), raftPort: p.raft, httpPort: p.http, peers,
        tickMs: opts.tickMs ?? 100, snapshotEntries: opts.snapshotEntries ?? 10_000,
      },
      url: `http://127.0.0.1:${p.http}`,
      child: undefined,
      stderr: [],
    }));
    const cluster = new BenchCluster(members);
    for (const m of members) cluster.launch(m);
    for (const m of members) await cluster.waitUp(m.config.id);
    return cluster;
  }

  private launch(m: Member): void {
    const child = spawn(process.execPath, [...(process.env.RAFT_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), replicaMain, JSON.stringify(m.config)], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => {
      m.stderr.push(d.toString());
      if (m.stderr.length > 50) m.stderr.shift();
    });
    m.child = child;
  }

  url(id: number): string {
    return this.members[id - 1]!.url;
  }

  isUp(id: number): boolean {
    const c = this.members[id - 1]!.child;
    return c !== undefined && c.exitCode === null && c.signalCode === null;
  }

  async status(id: number): Promise<MemberStatus | undefined> {
    if (!this.isUp(id)) return undefined;
    try {
      const r = await request(`${this.url(id)}/status`, { headersTimeout: 2000, bodyTimeout: 2000 });
      return r.statusCode === 200 ? ((await r.body.json()) as MemberStatus) : undefined;
    } catch {
      return undefined;
    }
  }

  /** The leader a live member reports, if any. */
  async leader(): Promise<number | undefined> {
    const seen = await Promise.all(this.members.map((m) => this.status(m.config.id)));
    for (const s of seen) if (s && s.role === 'leader') return s.id;
    return undefined;
  }

  async waitUp(id: number, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.status(id)) === undefined) {
      if (!this.isUp(id)) throw new Error(`replica ${id} exited:\n${this.members[id - 1]!.stderr.join('')}`);
      if (Date.now() > deadline) throw new Error(`replica ${id} did not answer within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async waitForLeader(timeoutMs = 30_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const l = await this.leader();
      if (l !== undefined) return l;
      if (Date.now() > deadline) throw new Error(`no leader within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** SIGKILL: the process loses everything it had not fsynced. */
  async kill(id: number): Promise<void> {
    const child = this.members[id - 1]!.child;
    if (!child || !this.isUp(id)) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  async restart(id: number): Promise<void> {
    const m = this.members[id - 1]!;
    this.launch(m);
    await this.waitUp(id);
  }

  async ids(id: number): Promise<Set<number>> {
    const r = await request(`${this.url(id)}/ids`);
    const bytes = new Uint8Array(await r.body.arrayBuffer());
    return new Set(new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8));
  }

  /** Stops every replica process it started, by pid. */
  async stop(): Promise<void> {
    await Promise.all(this.members.map(async (m) => {
      const child = m.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }));
  }
}
