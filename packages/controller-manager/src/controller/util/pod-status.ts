// Pod readiness, availability and activity as the workload controllers count them
// (upstream podutil.IsPodReady / IsPodAvailable and controller.IsPodActive).

import type { Pod } from '@kubets/api';

type PodCondition = NonNullable<NonNullable<Pod['status']>['conditions']>[number];

export function podReadyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

export function isPodReady(pod: Pod): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/** When the pod last became Ready (ms since the epoch), if it is Ready and says so. */
export function podReadySince(pod: Pod): number | undefined {
  const c = podReadyCondition(pod);
  if (c?.status !== 'True' || c.lastTransitionTime === undefined) return undefined;
  return Date.parse(c.lastTransitionTime);
}

/** Ready, and for longer than minReadySeconds. */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = podReadySince(pod);
  return since !== undefined && since + minReadySeconds * 1000 < now;
}

/** How long until a Ready pod becomes available (0 if it is, undefined if it is not Ready). */
export function msUntilAvailable(pod: Pod, minReadySeconds: number, now: number): number | undefined {
  if (!isPodReady(pod)) return undefined;
  if (isPodAvailable(pod, minReadySeconds, now)) return 0;
  const since = podReadySince(pod) ?? now;
  return Math.max(1, since + minReadySeconds * 1000 - now + 1);
}

export function isPodTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

export function isBeingDeleted(obj: { metadata?: { deletionTimestamp?: string } }): boolean {
  return obj.metadata?.deletionTimestamp !== undefined;
}

/** A pod that counts towards replicas: not Succeeded or Failed, and not being deleted. */
export function isPodActive(pod: Pod): boolean {
  return !isPodTerminal(pod) && !isBeingDeleted(pod);
}

export function filterActivePods(pods: readonly Pod[]): Pod[] {
  return pods.filter(isPodActive);
}
