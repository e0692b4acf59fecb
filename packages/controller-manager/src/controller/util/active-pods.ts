// The order in which surplus pods are deleted, as upstream's ActivePods sort
// (controller_utils.go): the pod that costs least to lose goes first.
//   1. not yet scheduled before scheduled
//   2. Pending before Unknown before Running
//   3. not Ready before Ready
//   4. Ready for a shorter time before longer
//   5. more container restarts before fewer
//   6. newer before older (a pod without a creation time first)

import type { Pod } from '@kubets/api';
import { isPodReady, podReadySince } from './pod-status.js';

const phaseRank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function rankOfPhase(pod: Pod): number {
  return phaseRank[pod.status?.phase ?? ''] ?? 3;
}

function maxContainerRestarts(pod: Pod): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((s) => s.restartCount));
}

function timeOf(text: string | null | undefined): number | undefined {
  return text === undefined || text === null ? undefined : Date.parse(text);
}

/** Upstream's afterOrZero: a missing time sorts first, else the later time. */
function laterFirst(a: number | undefined, b: number | undefined): number {
  if (a === undefined || b === undefined) return a === undefined ? (b === undefined ? 0 : -1) : 1;
  return b - a;
}

/** Negative when `a` should be deleted before `b`. */
export function compareForDeletion(a: Pod, b: Pod): number {
  const scheduledA = (a.spec?.nodeName ?? '') !== '';
  const scheduledB = (b.spec?.nodeName ?? '') !== '';
  if (scheduledA !== scheduledB) return scheduledA ? 1 : -1;
  const phase = rankOfPhase(a) - rankOfPhase(b);
  if (phase !== 0) return phase;
  const readyA = isPodReady(a);
  if (readyA !== isPodReady(b)) return readyA ? 1 : -1;
  if (readyA) {
    const ready = laterFirst(podReadySince(a), podReadySince(b));
    if (ready !== 0) return ready;
  }
  const restarts = maxContainerRestarts(b) - maxContainerRestarts(a);
  if (restarts !== 0) return restarts;
  return laterFirst(timeOf(a.metadata?.creationTimestamp), timeOf(b.metadata?.creationTimestamp));
}

/** The `count` pods to delete first. */
export function podsToDelete(pods: readonly Pod[], count: number): Pod[] {
  return [...pods].sort(compareForDeletion).slice(0, Math.max(0, count));
}
