// What the Job controller needs to know about one pod: whether it is active, ready,
// terminating or failed, its tracking finalizer and completion index, and upstream's order
// for choosing which active pods to delete first (controller.ActivePods).

import type { Pod } from '@kubets/api';
import { completionIndexAnnotation, jobTrackingFinalizer, onlyReplaceFailedPods, type Job } from './types.js';

export const unknownCompletionIndex = -1;

export function phaseOf(p: Pod): string | undefined {
  return p.status?.phase;
}

export function isTerminal(p: Pod): boolean {
  return phaseOf(p) === 'Succeeded' || phaseOf(p) === 'Failed';
}

/** Upstream FilterActivePods: neither finished nor being deleted. */
export function isActive(p: Pod): boolean {
  return !isTerminal(p) && p.metadata?.deletionTimestamp === undefined;
}

/** Upstream IsPodTerminating: being deleted and not finished yet. */
export function isTerminating(p: Pod): boolean {
  return !isTerminal(p) && p.metadata?.deletionTimestamp !== undefined;
}

export function isReady(p: Pod): boolean {
  return p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function hasTrackingFinalizer(p: Pod): boolean {
  return p.metadata?.finalizers?.includes(jobTrackingFinalizer) ?? false;
}

/**
 * Upstream isPodFailed: Failed, or, unless the Job replaces only failed pods, being deleted
 * without having succeeded (so orphaned and evicted pods that never reach Failed count).
 */
export function isPodFailed(p: Pod, job: Job): boolean {
  if (phaseOf(p) === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return p.metadata?.deletionTimestamp !== undefined && phaseOf(p) !== 'Succeeded';
}

/** The pod's completion index from its annotation, or -1 when missing or not a number >= 0. */
export function completionIndexOf(p: Pod): number {
  const v = p.metadata?.annotations?.[completionIndexAnnotation];
  if (v === undefined || !/^[+-]?\d+$/.test(v)) return unknownCompletionIndex;
  const i = Number.parseInt(v, 10);
  return i < 0 || !Number.isSafeInteger(i) ? unknownCompletionIndex : i;
}

export function uidOf(p: Pod): string {
  return p.metadata?.uid ?? '';
}

const phaseOrdinal: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function timeOf(s: string | null | undefined): number | undefined {
  if (s === undefined || s === null) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

function readySince(p: Pod): number | undefined {
  return timeOf(p.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime as string | undefined);
}

function maxRestarts(p: Pod): number {
  return Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
}

/** Upstream afterOrZero: a missing time sorts first, then the later time. */
function laterOrMissingFirst(a: number | undefined, b: number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a > b ? -1 : 1;
}

/**
 * Upstream controller.ActivePods: the pods to delete first sort first: unscheduled before
 * scheduled, Pending < Unknown < Running, not ready before ready, ready for less time first,
 * more restarts first, newer first.
 */
export function compareForDeletion(a: Pod, b: Pod): number {
  const na = a.spec?.nodeName ?? '';
  const nb = b.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
  const pa = phaseOrdinal[phaseOf(a) ?? ''] ?? 0;
  const pb = phaseOrdinal[phaseOf(b) ?? ''] ?? 0;
  if (pa !== pb) return pa - pb;
  if (isReady(a) !== isReady(b)) return isReady(a) ? 1 : -1;
  if (isReady(a)) {
    const byReady = laterOrMissingFirst(readySince(a), readySince(b));
    if (byReady !== 0) return byReady;
  }
  if (maxRestarts(a) !== maxRestarts(b)) return maxRestarts(b) - maxRestarts(a);
  return laterOrMissingFirst(timeOf(a.metadata?.creationTimestamp), timeOf(b.metadata?.creationTimestamp));
}
