// What a pod worker remembers between syncs of one pod.
import type { Pod } from '@kubets/api';
import type { StartFailure, Waiting } from './actions.js';

export interface PodWorkState {
  uid: string;
  /** The newest pod from the API (or the last one seen, once it is gone from the API). */
  pod: Pod;
  /** The pod is gone from the API (deleted with grace 0 or by force): kill and clean up. */
  removed: boolean;
  startFailures: Map<string, StartFailure>;
  waiting: Record<string, Waiting>;
  /** The CrashLoopBackOff message last reported as an Event, per container. */
  backOffsReported: Map<string, string>;
  /** The pod finished (Succeeded or Failed) or was terminated: no container is started again. */
  terminal: boolean;
  /** Its containers are stopped and the pod object deleted (or gone): only clean-up is left. */
  finished: boolean;
}

export function newPodWorkState(pod: Pod): PodWorkState {
  // A pod the API already shows finished is never started again (say, by a kubelet that restarted).
  return { uid: pod.metadata?.uid ?? '', pod, removed: false, startFailures: new Map(), waiting: {}, backOffsReported: new Map(), terminal: isTerminalPhase(pod), finished: false };
}

export const podKey = (pod: Pod): string => `${pod.metadata?.namespace}/${pod.metadata?.name}`;

/** The grace a pod's containers get to stop: the deletion's, else the spec's (default 30 s). */
export function gracePeriodSeconds(pod: Pod): number {
  return pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
}

/** The annotation a container carries its pod's grace period in, for whoever stops it without the pod. */
export const gracePeriodAnnotation = 'io.kubernetes.pod.terminationGracePeriod';

/** The grace a container was started with (for orphans and --reset, which no longer have the pod); 30 s when unreadable. */
export function recordedGracePeriodSeconds(container: { annotations: Record<string, string> }): number {
  const grace = Number(container.annotations[gracePeriodAnnotation] ?? '30');
  return Number.isFinite(grace) ? grace : 30;
}

export const isTerminalPhase = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
