// What the Job controller needs to know about one pod beyond the shared helpers
// (controller/util): terminating, failed as a Job counts failures, its tracking finalizer
// and its completion index.

import type { Pod } from '@kubets/api';
import { isPodTerminal } from '../../controller/util/index.js';
import { completionIndexAnnotation, jobTrackingFinalizer, onlyReplaceFailedPods, type Job } from './types.js';

export const unknownCompletionIndex = -1;

export function phaseOf(p: Pod): string | undefined {
  return p.status?.phase;
}

/** Upstream IsPodTerminating: being deleted and not finished yet. */
export function isTerminating(p: Pod): boolean {
  return !isPodTerminal(p) && p.metadata?.deletionTimestamp !== undefined;
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
