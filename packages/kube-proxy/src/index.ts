// @kubets/kube-proxy: the proxy's parts, for its tests and benchmark (the program is main.ts).
export * from './model/types.js';
export * from './model/service-ports.js';
export * from './model/endpoints.js';
export * from './model/topology.js';
export * from './model/snapshot.js';
export * from './sync/data-path.js';
export * from './sync/bounded-frequency-runner.js';
export * from './sync/sync-loop.js';
export * from './userspace/listen-plan.js';
export * from './userspace/proxier.js';
export * from './server/proxier-health.js';
export * from './metrics.js';
