// One system's run: a fresh three-member cluster, the put phase, then linearizable and
// serializable single-key ranges over the keys the put phase wrote; the cluster is stopped (by
// pid, SIGTERM, waited for) before this returns, so systems never overlap.
import { KvClient, valueOf } from './client.js';
import { startEtcdCluster, type EtcdKind } from '@kubets/testing';
import { runPhase, type PhaseOptions } from './phase.js';
import type { PhaseStats } from './stats.js';

export interface RunOptions {
  kind: EtcdKind;
  etcdBin: string;
  nodeArgs: string[];
  clients: number;
  valueBytes: number;
  durationMs: number;
}

export interface SystemResult {
  system: 'kubets-etcd' | 'etcd';
  put: PhaseStats;
  rangeLinearizable: PhaseStats;
  rangeSerializable: PhaseStats;
}

export async function runSystem(opts: RunOptions): Promise<SystemResult> {
  // Identical flags for both systems, and no unsafe ones: both fsync their WAL before acknowledging.
  const cluster = await startEtcdCluster({
    kind: opts.kind, etcdBin: opts.etcdBin, nodeArgs: opts.nodeArgs, readyTimeoutMs: 60_000,
    flags: ['--heartbeat-interval=100', '--election-timeout=1000'],
  });
  const kv = new KvClient(cluster.clientUrls, opts.clients);
  try {
    const phase: PhaseOptions = {
      clients: opts.clients,
      durationMs: opts.durationMs,
      values: Array.from({ length: opts.clients }, (_, c) => valueOf(opts.valueBytes, c)),
      written: new Array<number>(opts.clients).fill(0),
      serverPids: cluster.clientUrls.map((_, i) => cluster.pid(i)!),
    };
    const put = await runPhase(kv, 'put', phase);
    const rangeLinearizable = await runPhase(kv, 'rangeLinearizable', phase);
    const rangeSerializable = await runPhase(kv, 'rangeSerializable', phase);
    return { system: opts.kind === 'kubets' ? 'kubets-etcd' : 'etcd', put, rangeLinearizable, rangeSerializable };
  } finally {
    await kv.close();
    await cluster.stop();
  }
}
