// @kubets/etcd: the server as a library (tests start members in-process; @kubets/testing and
// kubets up start them as processes through src/main.ts).
export { Applier, type ApplyOutcome } from './apply/applier.js';
export { EtcdServer, type EtcdServerOptions } from './server/etcd-server.js';
export { createClientServer } from './server/http-api.js';
export { createMetrics } from './server/metrics.js';
