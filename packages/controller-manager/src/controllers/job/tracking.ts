// The pod-tracking finalizer protocol of upstream's trackJobStatusAndRemoveFinalizers, as
// functions of state. A finished pod is counted in three steps, each written before the next:
//   1. its UID goes into status.uncountedTerminatedPods (succeeded or failed);
//   2. its batch.kubernetes.io/job-tracking finalizer is removed;
//   3. a UID in the uncounted lists whose pod no longer has the finalizer moves into the
//      succeeded/failed counters.
// A pod with the finalizer is not counted yet; a UID in the lists is counted once its
// finalizer is gone; so a restart between any two writes neither loses nor doubles a pod.
// (Indexed Jobs record a success as its index in completedIndexes instead of a UID.)

import type { Pod } from '@kubets/api';
import { type Intervals, hasIndex } from './intervals.js';
import { completionIndexOf, hasTrackingFinalizer, isPodFailed, phaseOf, uidOf, unknownCompletionIndex } from './pods.js';
import { completionsOf, isIndexedJob, type Job, type JobCondition, type JobStatus } from './types.js';

/** Upstream MaxUncountedPods: keeps the UID lists (and one sync's finalizer removals) bounded. */
export const maxUncountedPods = 500;

/** UIDs of pods that still carry the finalizer, less those whose removal is already under way. */
export function uidsWithFinalizer(pods: readonly Pod[], expectedRemoved: ReadonlySet<string>): Set<string> {
  return new Set(pods.filter((p) => hasTrackingFinalizer(p) && !expectedRemoved.has(uidOf(p))).map(uidOf));
}

/**
 * Step 3 (upstream cleanUncountedPodsWithoutFinalizers): every uncounted UID whose pod has no
 * finalizer any more is counted and dropped from its list. Returns whether the status changed.
 */
export function countPodsWithoutFinalizer(status: JobStatus, withFinalizer: ReadonlySet<string>): boolean {
  const uncounted = (status.uncountedTerminatedPods ??= {});
  let changed = false;
  for (const kind of ['succeeded', 'failed'] as const) {
    const list = uncounted[kind] ?? [];
    const still = list.filter((uid) => withFinalizer.has(uid));
    if (still.length === list.length) continue;
    changed = true;
    status[kind] = (status[kind] ?? 0) + list.length - still.length;
    if (still.length > 0) uncounted[kind] = still;
    else delete uncounted[kind];
  }
  return changed;
}

/** Upstream canRemoveFinalizer (without backoffLimitPerIndex): when the pod's fate is settled. */
export function canRemoveFinalizer(job: Job, finished: JobCondition | undefined, pod: Pod, consideredFailed: boolean): boolean {
  return job.metadata?.deletionTimestamp !== undefined || finished !== undefined || phaseOf(pod) === 'Succeeded' || consideredFailed;
}

export interface FinishedPodsStep {
  /** Pods whose finalizer this sync removes (after the status with their UIDs is written). */
  podsToRemoveFinalizer: Pod[];
  /** Indexes that succeeded since completedIndexes was written, in increasing order. */
  newSucceededIndexes: number[];
  /** True when the lists reached maxUncountedPods, so the Job may not be declared finished yet. */
  reachedMax: boolean;
  /** Whether the uncounted lists or the indexes grew. */
  changed: boolean;
}

function validIndex(job: Job, ix: number): boolean {
  return ix !== unknownCompletionIndex && ix < (completionsOf(job) ?? 0);
}

/**
 * Step 1: records each finished pod that still has its finalizer in the Job's uncounted lists
 * (mutating job.status), and picks the pods whose finalizer can go. When the Job is failing,
 * every pod that did not succeed counts as failed.
 */
export function recordFinishedPods(job: Job, pods: readonly Pod[], expectedRemoved: ReadonlySet<string>, finished: JobCondition | undefined, prevSucceeded: Intervals): FinishedPodsStep {
  const indexed = isIndexedJob(job);
  const uncounted = ((job.status ??= {}).uncountedTerminatedPods ??= {});
  const seenSucceeded = new Set(uncounted.succeeded ?? []);
  const seenFailed = new Set(uncounted.failed ?? []);
  const failing = finished !== undefined && finished.type !== 'SuccessCriteriaMet';
  const ordered = indexed ? [...pods].sort((a, b) => completionIndexOf(a) - completionIndexOf(b)) : pods;
  const step: FinishedPodsStep = { podsToRemoveFinalizer: [], newSucceededIndexes: [], reachedMax: false, changed: false };
  for (const pod of ordered) {
    const uid = uidOf(pod);
    if (!hasTrackingFinalizer(pod) || expectedRemoved.has(uid)) continue;
    const failed = isPodFailed(pod, job);
    if (!canRemoveFinalizer(job, finished, pod, failed)) continue;
    step.podsToRemoveFinalizer.push(pod);
    const ix = completionIndexOf(pod);
    if (phaseOf(pod) === 'Succeeded' && !seenFailed.has(uid)) {
      if (indexed) {
        if (validIndex(job, ix) && !hasIndex(prevSucceeded, ix) && !step.newSucceededIndexes.includes(ix)) {
          step.newSucceededIndexes.push(ix);
          step.changed = true;
        }
      } else if (!seenSucceeded.has(uid)) {
        (uncounted.succeeded ??= []).push(uid);
        seenSucceeded.add(uid);
        step.changed = true;
      }
    } else if ((failed || failing) && !seenFailed.has(uid) && (!indexed || validIndex(job, ix))) {
      (uncounted.failed ??= []).push(uid);
      seenFailed.add(uid);
      step.changed = true;
    }
    const total = step.newSucceededIndexes.length + (uncounted.succeeded?.length ?? 0) + (uncounted.failed?.length ?? 0);
    if (total >= maxUncountedPods) {
      step.reachedMax = true;
      break;
    }
  }
  step.newSucceededIndexes.sort((a, b) => a - b);
  return step;
}
