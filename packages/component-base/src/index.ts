// @kubets/component-base: what every kubets process does the same way (the role of
// k8s.io/component-base): the command line and Go durations, logging, /healthz /livez /readyz
// /metrics, the drain on SIGTERM. Leader election wiring is `@kubets/component-base/leaderelection`:
// it needs the API client, whose import (the whole API model) etcd and the API server need not pay.

export * from './flags/index.js';

export * from './logging/verbosity.js';
export * from './logging/logger.js';
export * from './logging/flags.js';

export * from './health/check.js';
export * from './health/metrics.js';
export * from './health/workqueue-metrics.js';
export * from './health/server.js';

export * from './lifecycle/drain.js';
export * from './lifecycle/process-identity.js';

export * from './command.js';
