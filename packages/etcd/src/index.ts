// @kubets/etcd: the server as a library (tests and the benchmark start members in-process or as
// processes through src/main.ts).
export { Applier, type ApplyOutcome } from './apply/applier.js';
export { EtcdServer, type EtcdServerOptions } from './server/etcd-server.js';
export { createClientServer } from './server/http-api.js';
export { createMetrics } from './server/metrics.js';
export { startLocalCluster, stopAllLocalClusters, type EtcdKind, type LocalCluster, type LocalClusterOptions } from './launch/local-cluster.js';
export { machineBusyCpuMicros, processesCpuMicros } from './bench/proc-cpu.js';
