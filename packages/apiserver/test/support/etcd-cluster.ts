// A three-member etcd cluster on free loopback ports for the API server's tests: real etcd
// (ETCD_BIN picks the binary, /usr/bin/etcd by default) or kubets-etcd, with the same flags,
// started by @kubets/testing's launcher, which stops exactly its processes, by pid.
import { startEtcdCluster as startLocalEtcd } from '@kubets/testing';

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
  const c = await startLocalEtcd({ kind: opts.impl === 'kubets' ? 'kubets' : 'real', etcdBin: opts.bin, members: opts.members, readyTimeoutMs: opts.timeoutMs });
  return { endpoints: c.clientUrls, stop: () => c.stop(), kill: (i) => c.kill(i), restart: (i) => c.restart(i) };
}
