// What one sync of a pod must do, decided from the pod (desired) and the runtime (actual) alone:
// upstream's computePodActions (pkg/kubelet/kuberuntime/kuberuntime_manager.go), a pure function so
// that every decision is a table test. The pod worker carries the actions out.
import type { Container, Pod } from '@kubets/api';
import { backoffKey, isExited, latestRun, type PodRuntimeState } from './runtime-state.js';
import { formatBackoff } from './backoff.js';

export interface ContainerToStart {
  container: Container;
  init: boolean;
  attempt: number;
}

export interface ContainerToKill {
  containerId: string;
  name: string;
  /** Why, for the Killing Event ("Container x failed liveness probe, will be restarted"). */
  message: string;
}

export interface Waiting {
  reason: string;
  message?: string;
}

export interface PodActions {
  createSandbox: boolean;
  start: ContainerToStart[];
  kill: ContainerToKill[];
  /** Containers that are neither running nor started this sync, by name: why (CrashLoopBackOff ...). */
  waiting: Record<string, Waiting>;
  /** The earliest a back-off ends: the worker syncs again then. */
  resyncAfterMs?: number;
}

/** A failed create or start remembered by the worker until the container next starts. */
export interface StartFailure {
  reason: string;
  message: string;
  atMs: number;
}

export interface DecisionContext {
  nowMs: number;
  /** How long a restart of this container must still wait after an exit (or failure) at eventMs. */
  backoffRemainingMs(key: string, eventMs: number): number;
  /** The current back-off for the message, in ms. */
  backoffMs(key: string): number;
  /** Why the running container must be restarted ("Container x failed liveness probe, will be restarted"), if its liveness or startup probe failed. */
  livenessFailure(containerName: string): string | undefined;
  startFailures: ReadonlyMap<string, StartFailure>;
}

type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

function restartPolicy(pod: Pod): RestartPolicy {
  const p = pod.spec?.restartPolicy;
  return p === 'OnFailure' || p === 'Never' ? p : 'Always';
}

function shouldRestart(policy: RestartPolicy, exitCode: number | undefined): boolean {
  if (policy === 'Always') return true;
  if (policy === 'Never') return false;
  return exitCode !== 0;
}

const podDescription = (pod: Pod) => `${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid})`;

/** Upstream's waiting reason for a start failure while it backs off. */
const backoffReason = (reason: string) => (reason === 'ErrImagePull' ? 'ImagePullBackOff' : reason);

class Planner {
  readonly actions: PodActions = { createSandbox: false, start: [], kill: [], waiting: {} };
  private readonly policy: RestartPolicy;
  private readonly uid: string;

  constructor(
    private readonly pod: Pod,
    private readonly state: PodRuntimeState,
    private readonly ctx: DecisionContext,
  ) {
    this.policy = restartPolicy(pod);
    this.uid = pod.metadata?.uid ?? '';
  }

  private resyncAt(ms: number): void {
    if (this.actions.resyncAfterMs === undefined || ms < this.actions.resyncAfterMs) this.actions.resyncAfterMs = ms;
  }

  /**
   * Start a run of the container now unless a back-off holds it. `exitedAtMs` is when the last run
   * ended (undefined for a first start).
   */
  private startOrWait(container: Container, init: boolean, attempt: number, exitedAtMs: number | undefined): void {
    const key = backoffKey(this.uid, container.name);
    const failure = this.ctx.startFailures.get(container.name);
    if (failure !== undefined) {
      const left = this.ctx.backoffRemainingMs(key, failure.atMs);
      if (left > 0) {
        this.actions.waiting[container.name] = { reason: backoffReason(failure.reason), message: failure.message };
        this.resyncAt(left);
        return;
      }
    } else if (exitedAtMs !== undefined) {
      const left = this.ctx.backoffRemainingMs(key, exitedAtMs);
      if (left > 0) {
        const message = `back-off ${formatBackoff(this.ctx.backoffMs(key))} restarting failed container=${container.name} pod=${podDescription(this.pod)}`;
        this.actions.waiting[container.name] = { reason: 'CrashLoopBackOff', message };
        this.resyncAt(left);
        return;
      }
    }
    this.actions.start.push({ container, init, attempt });
  }

  /** Init containers run one at a time, in order, each to success. True when all have succeeded. */
  planInit(): boolean {
    for (const container of this.pod.spec?.initContainers ?? []) {
      const run = latestRun(this.state, container.name);
      if (run === undefined) {
        this.startOrWait(container, true, 0, undefined);
        return false;
      }
      if (!isExited(run)) return false;
      if (run.exitCode === 0) continue;
      if (this.policy !== 'Never') this.startOrWait(container, true, run.attempt + 1, run.finishedAt);
      return false;
    }
    return true;
  }

  planApp(): void {
    for (const container of this.pod.spec?.containers ?? []) {
      const run = latestRun(this.state, container.name);
      if (run === undefined) {
        this.startOrWait(container, false, 0, undefined);
        continue;
      }
      if (!isExited(run)) {
        this.planRunning(container, run.id, run.image);
        continue;
      }
      if (shouldRestart(this.policy, run.exitCode)) this.startOrWait(container, false, run.attempt + 1, run.finishedAt);
    }
  }

  /** A running container is killed when its liveness (or startup) probe failed or its image changed. */
  private planRunning(container: Container, containerId: string, runningImage: string): void {
    const failure = this.ctx.livenessFailure(container.name);
    if (failure !== undefined) {
      this.actions.kill.push({ containerId, name: container.name, message: failure });
    } else if (runningImage !== container.image) {
      this.actions.kill.push({ containerId, name: container.name, message: `Container ${container.name} definition changed, will be restarted` });
    }
  }
}

/** What to do for a pod that should be running (not one being terminated: see the worker). */
export function computePodActions(pod: Pod, state: PodRuntimeState, ctx: DecisionContext): PodActions {
  const planner = new Planner(pod, state, ctx);
  if (state.sandbox === undefined || state.sandbox.state !== 'ready') {
    if (state.containers.length > 0 && restartPolicy(pod) === 'Never' && state.containers.some(isExited)) {
      return planner.actions; // upstream: a Never pod whose containers ran is not given a new sandbox
    }
    planner.actions.createSandbox = true;
  }
  if (planner.planInit()) planner.planApp();
  return planner.actions;
}
