// A three-member cluster on loopback for the etcd tests: real etcd 3.4 (ETCD_BIN, /usr/bin/etcd by
// default) or kubets-etcd, both with etcd's own flags, so the same assertions run against both.
// The launcher is @kubets/testing's (the one kubets up uses); this adds the tests' short timeouts.
import { startEtcdCluster, type EtcdCluster } from '@kubets/testing';

export type ClusterKind = 'real' | 'kubets';

export type Cluster = EtcdCluster;

export interface ClusterOptions {
  kind: ClusterKind;
  members?: number;
  /** Deadline for the whole cluster to become healthy with a leader. */
  timeoutMs?: number;
  /** More flags for every member, after the defaults (a repeated flag's last value wins). */
  extraFlags?: string[];
}

export async function startCluster(opts: ClusterOptions): Promise<Cluster> {
  return startEtcdCluster({
    kind: opts.kind,
    members: opts.members,
    readyTimeoutMs: opts.timeoutMs,
    // Short timeouts make elections (start, restart) quick on loopback.
    flags: ['--heartbeat-interval=50', '--election-timeout=500', '--snapshot-count=10000', ...(opts.extraFlags ?? [])],
  });
}
