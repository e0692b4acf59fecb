// One benchmark run: a fresh three-replica cluster in a temporary directory, the load, optionally
// a SIGKILL of the leader or a follower a third of the way in (restarted at two thirds), then the
// durability check. Shared by the bench command and the tests.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDurability, type DurabilityReport } from './check.js';
import { BenchCluster } from './cluster.js';
import { percentile, runLoad } from './load.js';

export interface BenchOptions {
  durationMs: number;
  proposers: number;
  entryBytes: number;
  kill?: 'leader' | 'follower';
  tickMs?: number;
  snapshotEntries?: number;
}

export interface BenchResult extends DurabilityReport {
  benchmark: 'raft-commit';
  replicas: number;
  proposers: number;
  entryBytes: number;
  durationSec: number;
  commits: number;
  commitsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  killed?: { role: string; member: number; commitsWhileDown: number };
  /** Snapshot files the replicas saved (their own, for log compaction, and ones received from a leader). */
  snapshotsSaved: number;
  /** Snapshots a leader sent to a replica that was too far behind (InstallSnapshot). */
  snapshotsInstalled: number;
}

const round = (x: number) => Math.round(x * 100) / 100;

export async function runBenchmark(opts: BenchOptions): Promise<BenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'kubets-raft-bench-'));
  const cluster = await BenchCluster.start(dir, { tickMs: opts.tickMs, snapshotEntries: opts.snapshotEntries });
  try {
    await cluster.waitForLeader();
    const t0 = performance.now();
    const chaos: { victim?: number; killAtMs?: number; restartAtMs?: number } = {};
    const chaosDone = opts.kill === undefined ? Promise.resolve() : (async () => {
      await new Promise((r) => setTimeout(r, opts.durationMs / 3));
      const leader = await cluster.waitForLeader();
      const victim = opts.kill === 'leader' ? leader : cluster.members.map((m) => m.config.id).find((id) => id !== leader)!;
      chaos.victim = victim;
      chaos.killAtMs = performance.now() - t0;
      await cluster.kill(victim);
      await new Promise((r) => setTimeout(r, opts.durationMs / 3));
      chaos.restartAtMs = performance.now() - t0;
      await cluster.restart(victim);
    })();
    const load = await runLoad(cluster, { proposers: opts.proposers, entryBytes: opts.entryBytes, durationMs: opts.durationMs });
    await chaosDone;
    const durability = await checkDurability(cluster, load.acknowledged);
    const statuses = await Promise.all(cluster.members.map((m) => cluster.status(m.config.id)));
    const sorted = [...load.latenciesMs].sort((a, b) => a - b);
    return {
      benchmark: 'raft-commit',
      replicas: cluster.members.length,
      proposers: opts.proposers,
      entryBytes: opts.entryBytes,
      durationSec: round(load.elapsedMs / 1000),
      commits: load.acknowledged.length,
      commitsPerSec: Math.round(load.acknowledged.length / (load.elapsedMs / 1000)),
      p50Ms: round(percentile(sorted, 0.5)),
      p99Ms: round(percentile(sorted, 0.99)),
      errors: load.errors,
      killed: chaos.victim === undefined ? undefined : {
        role: opts.kill!,
        member: chaos.victim,
        commitsWhileDown: load.ackAtMs.filter((t) => t > chaos.killAtMs! && t < chaos.restartAtMs!).length,
      },
      snapshotsSaved: statuses.reduce((n, s) => n + (s?.storage.snapshotsSaved ?? 0), 0),
      snapshotsInstalled: statuses.reduce((n, s) => n + (s?.metrics.snapshotsInstalled ?? 0), 0),
      ...durability,
    };
  } finally {
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
