// @kubets/component-base: what every kubets process does the same way (the role of
// k8s.io/component-base): the command line and Go durations, logging, /healthz /livez /readyz
// /metrics, the drain on SIGTERM, and leader election wiring.

export * from './flags/duration.js';
export * from './flags/bool.js';
export * from './flags/option-parsers.js';

export * from './logging/verbosity.js';
export * from './logging/logger.js';
export * from './logging/flags.js';

export * from './health/check.js';
export * from './health/metrics.js';
export * from './health/server.js';

export * from './lifecycle/drain.js';

export * from './leaderelection/flags.js';
export * from './leaderelection/renewal-tracker.js';
export * from './leaderelection/healthz.js';
export * from './leaderelection/run.js';

export * from './command.js';
