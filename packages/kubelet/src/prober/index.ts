// The probe manager and its probers; see manager.ts.
export { ProbeManager, type ProbeManagerOptions, type EventType } from './manager.js';
export type { ExecFn, ProbeRun, ProbeOutcome } from './probe-outcome.js';
export type { ProberLogger } from './logger.js';
export type { ProbeType, ProbeResult, ContainerRun } from './worker-state.js';
export { ProbeError, type ProbeErrorReason } from './errors.js';
export { runProbe, runProbeOnce, type ProbeTarget } from './run-probe.js';
