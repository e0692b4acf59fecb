// Writing a Job's status, as upstream's trackJobStatusAndRemoveFinalizers: record the newly
// finished pods (and an interim SuccessCriteriaMet/FailureTarget condition) in the status, write
// it, remove those pods' tracking finalizers, move the pods whose finalizer is gone into the
// counters, and once nothing is uncounted or terminating, add Complete or Failed. The status is
// written only when it differs from what the cache had.

import type { Pod } from '@kubets/api';
import { isNotFound } from '@kubets/client';
import { ensureCondition, finalConditionFor, findCondition, successCriteriaMetOf } from './conditions.js';
import { formatIntervals, totalOf, withIndexes } from './intervals.js';
import type { JobSyncDeps, SyncState } from './job-sync.js';
import type { PodControl } from './pod-control.js';
import { uidOf } from './pods.js';
import { countPodsWithoutFinalizer, recordFinishedPods, uidsWithFinalizer } from './tracking.js';
import { completionsOf, isIndexedJob, jobsResource, type Job, type JobCondition, type JobStatus } from './types.js';

/** The status as upstream serializes it: zero counters and empty UID lists left out (omitempty). */
export function canonicalStatus(s: JobStatus): JobStatus {
  const out: JobStatus = { ...s };
  for (const k of ['active', 'succeeded', 'failed'] as const) if (out[k] === 0) delete out[k];
  const u = { ...(s.uncountedTerminatedPods ?? {}) };
  if (u.succeeded?.length === 0) delete u.succeeded;
  if (u.failed?.length === 0) delete u.failed;
  out.uncountedTerminatedPods = u;
  return out;
}

function stable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stable);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, stable((v as Record<string, unknown>)[k])]));
  return v;
}

export function statusChanged(before: JobStatus | undefined, after: JobStatus | undefined): boolean {
  return JSON.stringify(stable(canonicalStatus(before ?? {}))) !== JSON.stringify(stable(canonicalStatus(after ?? {})));
}

async function writeStatus(d: JobSyncDeps, job: Job): Promise<Job> {
  const body: Job = { ...job, status: canonicalStatus(job.status ?? {}) };
  return d.client.updateStatus<Job>(jobsResource, job.metadata?.namespace, body);
}

/** Removes the finalizers in parallel; a pod already gone counts as done. Returns the UIDs done and the first error. */
async function removeFinalizers(d: JobSyncDeps, pc: PodControl, key: string, pods: readonly Pod[]): Promise<{ done: string[]; err: unknown }> {
  d.finalizerExpectations.expectFinalizersRemoved(key, pods.map(uidOf));
  const done: string[] = [];
  let err: unknown;
  await Promise.all(pods.map(async (pod) => {
    try {
      await pc.removeTrackingFinalizer(pod);
    } catch (e) {
      // No update will come for this pod: stop waiting for one.
      d.finalizerExpectations.finalizerRemovalObserved(key, uidOf(pod));
      if (!isNotFound(e)) {
        err ??= e;
        d.logger.warn({ job: key, pod: pod.metadata?.name, err: String(e) }, 'removing tracking finalizer');
        return;
      }
    }
    done.push(uidOf(pod));
  }));
  return { done, err };
}

/** The final condition once nothing is left to count; sets completionTime for Complete. */
function enactFinished(job: Job, finished: JobCondition | undefined, terminating: number, now: number): boolean {
  if (finished === undefined) return false;
  const u = job.status?.uncountedTerminatedPods;
  if ((u?.succeeded?.length ?? 0) + (u?.failed?.length ?? 0) > 0) return false;
  if (terminating > 0) return false;
  ensureCondition(job, finished.type as 'Complete' | 'Failed', 'True', finished.reason ?? '', finished.message ?? '', now);
  if (finished.type === 'Complete') job.status!.completionTime = findCondition(job, 'Complete')?.lastTransitionTime;
  return true;
}

function recordFinished(d: JobSyncDeps, job: Job, finished: JobCondition): void {
  if (finished.type === 'Complete') {
    const completions = completionsOf(job);
    if (completions !== undefined && (job.status?.succeeded ?? 0) > completions) {
      d.recorder.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
    }
    d.recorder.event(job, 'Normal', 'Completed', 'Job completed');
  } else {
    d.recorder.event(job, 'Warning', finished.reason ?? '', finished.message ?? '');
  }
}

/** Adds the interim condition to the status and returns the final one that will follow it. */
function withInterimCondition(job: Job, finished: JobCondition | undefined, now: number): JobCondition | undefined {
  if (finished === undefined || (finished.type !== 'FailureTarget' && finished.type !== 'SuccessCriteriaMet')) return finished;
  const status = job.status!;
  if (finished.type === 'FailureTarget' || successCriteriaMetOf(job) === undefined) status.conditions = [...(status.conditions ?? []), finished];
  return finalConditionFor(finished, now);
}

export async function trackStatus(d: JobSyncDeps, pc: PodControl, st: SyncState): Promise<void> {
  const now = d.clock.now();
  let job = st.job;
  const status = job.status!;
  status.active = st.active;
  status.ready = st.ready;
  status.terminating = st.terminating;
  const withFinalizer = uidsWithFinalizer(st.pods, st.expectedRemoved);
  countPodsWithoutFinalizer(status, withFinalizer);
  const step = recordFinishedPods(job, st.pods, st.expectedRemoved, st.finished, st.prevSucceededIndexes);
  if (isIndexedJob(job)) {
    const all = withIndexes(st.succeededIndexes, step.newSucceededIndexes);
    status.completedIndexes = formatIntervals(all);
    status.succeeded = totalOf(all);
  }
  const finished = withInterimCondition(job, st.finished, now);
  let written = st.original;
  // Step 1: the UIDs (and the interim condition) are stored before any finalizer goes.
  if (statusChanged(written, job.status)) {
    job = await writeStatus(d, job);
    written = structuredClone(job.status ?? {});
    d.backoff.set(st.key, st.newBackoff);
  }
  // Step 2, then step 3 for the pods whose finalizer is gone.
  const removed = await removeFinalizers(d, pc, st.key, step.podsToRemoveFinalizer);
  for (const uid of removed.done) withFinalizer.delete(uid);
  countPodsWithoutFinalizer((job.status ??= {}), withFinalizer);
  if (removed.err !== undefined) {
    if (statusChanged(written, job.status)) await writeStatus(d, job);
    throw removed.err;
  }
  const done = !step.reachedMax && enactFinished(job, finished, st.terminating, now);
  if (!statusChanged(written, job.status)) return;
  job = await writeStatus(d, job);
  if (done && finished !== undefined) recordFinished(d, job, finished);
}
