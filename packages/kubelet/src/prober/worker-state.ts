// What a probe worker decides, as pure functions of its state (upstream's worker.doProbe, minus
// the I/O): which container its result is about, whether to probe now, and how a probe's result
// moves the published result through successThreshold and failureThreshold.
//
// - A new container id starts over: the result is the type's initial one (readiness: failure, so a
//   container is not ready before its first success; liveness: success; startup: unknown), and
//   the counts of consecutive results are reset.
// - A container that is not running reads as failed.
// - No probe before initialDelaySeconds have passed since the container started; startup probes
//   only until the container has started, the others only after.
// - A published liveness failure or a decided startup probe holds the worker until the next
//   container: the restart is coming, and probing a stopping container only adds noise.
// - A pod being deleted gets a last liveness/startup success, so that its shutdown is quiet.
import type { Probe } from '@kubets/api';

export type ProbeType = 'liveness' | 'readiness' | 'startup';
export type ProbeResult = 'success' | 'failure' | 'unknown';

/** A running container, as the pod worker reports it. */
export interface ContainerRun {
  containerId: string;
  /** Unix milliseconds. */
  startedAt: number;
  podIP: string;
}

export interface WorkerState {
  /** The container the result is about; undefined until the worker first sees one. */
  containerId: string | undefined;
  /** The published result for containerId. */
  result: ProbeResult | undefined;
  onHold: boolean;
  /** The last probe's result and how many times in a row it came. */
  lastResult: ProbeResult | undefined;
  resultRun: number;
}

export const initialWorkerState: WorkerState = { containerId: undefined, result: undefined, onHold: false, lastResult: undefined, resultRun: 0 };

export function initialResult(type: ProbeType): ProbeResult {
  if (type === 'readiness') return 'failure';
  return type === 'liveness' ? 'success' : 'unknown';
}

/** The worker learns what its container is now; undefined: not running. */
export function observeContainer(state: WorkerState, type: ProbeType, run: ContainerRun | undefined): WorkerState {
  if (run === undefined) return state.containerId === undefined ? state : { ...state, result: 'failure' };
  if (run.containerId === state.containerId) return state;
  return { containerId: run.containerId, result: initialResult(type), onHold: false, lastResult: undefined, resultRun: 0 };
}

export type ProbeStep = 'wait' | 'probe' | 'succeedAndStop';

export interface StepContext {
  run: ContainerRun | undefined;
  /** Whether the container has started (passed its startup probe, or has none). */
  started: boolean;
  /** Whether the pod is being deleted (has a deletionTimestamp). */
  deleting: boolean;
  /** Unix milliseconds. */
  now: number;
}

export function nextStep(state: WorkerState, type: ProbeType, spec: Probe, ctx: StepContext): ProbeStep {
  if (ctx.run === undefined || state.onHold) return 'wait';
  if (ctx.deleting && type !== 'readiness') return 'succeedAndStop';
  // Whole seconds since the start, as upstream truncates them.
  if (Math.trunc((ctx.now - ctx.run.startedAt) / 1000) < (spec.initialDelaySeconds ?? 0)) return 'wait';
  if (type === 'startup' ? ctx.started : !ctx.started) return 'wait';
  return 'probe';
}

/** Counts a probe's result; publishes it once it has come threshold times in a row. */
export function recordResult(state: WorkerState, type: ProbeType, spec: Probe, result: 'success' | 'failure'): WorkerState {
  const resultRun = state.lastResult === result ? state.resultRun + 1 : 1;
  const threshold = result === 'failure' ? (spec.failureThreshold ?? 3) : (spec.successThreshold ?? 1);
  if (resultRun < threshold) return { ...state, lastResult: result, resultRun };
  if ((type === 'liveness' && result === 'failure') || type === 'startup') {
    return { ...state, result, lastResult: result, resultRun: 0, onHold: true };
  }
  return { ...state, result, lastResult: result, resultRun };
}

/** The result published for containerId, if the worker's result is about that container. */
export function resultFor(state: WorkerState, containerId: string): ProbeResult | undefined {
  return state.containerId === containerId ? state.result : undefined;
}
