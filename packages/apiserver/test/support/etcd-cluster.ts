// A three-member etcd cluster on free loopback ports for the API server's tests: real etcd
// (ETCD_BIN picks the binary, /usr/bin/etcd by default) or kubets-etcd, with the same flags,
// started by @kubets/etcd's local-cluster launcher, which stops exactly its processes, by pid.
import { startLocalCluster } from '@kubets/etcd';

export type EtcdImpl = 'etcd' | 'kubets';

export interface EtcdCluster {
  endpoints: string[];
  stop(): Promise<void>;
  /** SIGKILLs member i. */
  kill(i: number): Promise<void>;
  /** Starts member i again on its data dir. */
  restart(i: number): Promise<void>;
}

export interface EtcdClusterOptions {
  impl?: EtcdImpl;
  members?: number;
  bin?: string;
  timeoutMs?: number;
}

export async function startEtcdCluster(opts: EtcdClusterOptions = {}): Promise<EtcdCluster> {
  const c = await startLocalCluster({ kind: opts.impl ?? 'etcd', etcdBin: opts.bin, members: opts.members, readyTimeoutMs: opts.timeoutMs });
  return { endpoints: c.clientUrls, stop: () => c.stop(), kill: (i) => c.kill(i), restart: (i) => c.restart(i) };
}
