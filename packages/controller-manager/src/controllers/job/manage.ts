// The pod-count decision of upstream's manageJob, as a function of state: which active pods
// to delete (suspended, too many, or an Indexed Job's repeated and out-of-range indexes), how
// many to create and with which indexes, or how long the failure back-off still holds new
// pods back. It never both deletes and creates in one sync; deletion goes first.

import type { Pod } from '@kubets/api';
import { firstPendingIndexes, type Intervals } from './intervals.js';
import { compareForDeletion } from '../../controller/util/index.js';
import { completionIndexOf, unknownCompletionIndex } from './pods.js';
import { completionsOf, isIndexedJob, isSuspended, onlyReplaceFailedPods, parallelismOf, type Job } from './types.js';

/** Upstream MaxPodCreateDeletePerSync: a big Job does not starve the others in one sync. */
export const maxPodCreateDeletePerSync = 500;

export interface ManageState {
  job: Job;
  activePods: readonly Pod[];
  /** Succeeded so far, counted or not (for an Indexed Job: the succeeded indexes). */
  succeeded: number;
  succeededIndexes: Intervals;
  terminating: number;
  backoffRemainingMs: number;
}

export type ManagePlan =
  | { action: 'delete'; pods: Pod[] }
  | { action: 'create'; count: number; indexes: number[] | undefined }
  | { action: 'wait'; delayMs: number }
  | { action: 'none' };

/**
 * How many pods should run: parallelism, but never more than the completions still missing;
 * a Job without completions stops adding pods once one pod has succeeded.
 */
export function wantActive(job: Job, active: number, succeeded: number): number {
  const completions = completionsOf(job);
  if (completions === undefined) return succeeded > 0 ? active : parallelismOf(job);
  return Math.max(0, Math.min(completions - succeeded, parallelismOf(job)));
}

export function planPods(s: ManageState): ManagePlan {
  const active = s.activePods.length;
  if (isSuspended(s.job)) return active > 0 ? { action: 'delete', pods: podsToRemove(s.job, s.activePods, active) } : { action: 'none' };
  const want = wantActive(s.job, active, s.succeeded);
  const toDelete = podsToRemove(s.job, s.activePods, Math.max(0, active - want)).slice(0, maxPodCreateDeletePerSync);
  if (toDelete.length > 0) return { action: 'delete', pods: toDelete };
  const terminating = onlyReplaceFailedPods(s.job) ? s.terminating : 0;
  let diff = want - terminating - active;
  if (diff <= 0) return { action: 'none' };
  if (s.backoffRemainingMs > 0) return { action: 'wait', delayMs: s.backoffRemainingMs };
  diff = Math.min(diff, maxPodCreateDeletePerSync);
  if (!isIndexedJob(s.job)) return { action: 'create', count: diff, indexes: undefined };
  const indexes = firstPendingIndexes(s.succeededIndexes, s.activePods.map(completionIndexOf), diff, completionsOf(s.job) ?? 0);
  return indexes.length > 0 ? { action: 'create', count: indexes.length, indexes } : { action: 'none' };
}

/**
 * Upstream activePodsForRemoval: for an Indexed Job first every pod without a valid index and
 * all but the best pod of a repeated index; then, if more must go, the pods that sort first
 * in compareForDeletion (the least far along).
 */
export function podsToRemove(job: Job, pods: readonly Pod[], atLeast: number): Pod[] {
  let rm: Pod[] = [];
  let left: Pod[] = [...pods];
  if (isIndexedJob(job)) ({ rm, left } = splitRepeatedIndexes(pods, completionsOf(job) ?? 0));
  if (rm.length < atLeast) {
    left.sort(compareForDeletion);
    rm = [...rm, ...left.slice(0, atLeast - rm.length)];
  }
  return rm;
}

function splitRepeatedIndexes(pods: readonly Pod[], completions: number): { rm: Pod[]; left: Pod[] } {
  const byIndex = new Map<number, Pod[]>();
  for (const p of pods) {
    const ix = completionIndexOf(p);
    const group = ix >= completions ? unknownCompletionIndex : ix;
    byIndex.set(group, [...(byIndex.get(group) ?? []), p]);
  }
  const rm: Pod[] = [];
  const left: Pod[] = [];
  for (const ix of [...byIndex.keys()].sort((a, b) => a - b)) {
    const group = byIndex.get(ix)!;
    if (ix === unknownCompletionIndex) rm.push(...group);
    else {
      const sorted = [...group].sort(compareForDeletion);
      rm.push(...sorted.slice(0, -1));
      left.push(sorted[sorted.length - 1]!);
    }
  }
  return { rm, left };
}
