// @kubets/component-base/leaderelection: leader election over @kubets/client's LeaderElector,
// with upstream's flags, the lost-lease exit and the health check.
export * from './flags.js';
export * from './renewal-tracker.js';
export * from './healthz.js';
export * from './run.js';
