// One sync of one Job, as upstream's syncJob: read the Job and its pods from the informer
// caches, count what finished, decide whether the Job has failed or succeeded, make one step
// towards `parallelism` active pods (create, delete, or wait out the failure back-off), and
// write the status through the finalizer protocol (job-status.ts).

import type { Pod } from '@kubets/api';
import { type Clock, type EventRecorder, type Informer, isNotFound, type KubeClient, splitKey } from '@kubets/client';
import type { ControllerLogger } from '../../controller/context.js';
import { BackoffStore, nextBackoffRecord, remainingBackoffMs, type BackoffRecord } from './backoff.js';
import { ensureCondition, finalConditionFor, findCondition, isJobFinished, newCondition, rfc3339, successCriteriaMetOf } from './conditions.js';
import { type ControllerExpectations, getControllerOf, isPodActive, isPodReady, slowStartBatch, slowStartInitialBatchSize } from '../../controller/util/index.js';
import type { FinalizerExpectations } from './expectations.js';
import { decideFailure } from './failure.js';
import { parseIntervals, totalOf, withIndexes, type Intervals } from './intervals.js';
import { planPods } from './manage.js';
import { PodControl } from './pod-control.js';
import { podForJob } from './pod-template.js';
import { completionIndexOf, hasTrackingFinalizer, isPodFailed, isTerminating, phaseOf, uidOf, unknownCompletionIndex } from './pods.js';
import { trackStatus } from './job-status.js';
import { completionsOf, isIndexedJob, isSuspended, jobControllerName, type Job, type JobCondition, type JobStatus } from './types.js';

/** Upstream syncJobBatchPeriod: pod events within this window make one sync. */
export const syncJobBatchPeriodMs = 1000;

export interface JobSyncDeps {
  client: KubeClient;
  jobs: Informer<Job>;
  /** The pod informer with the `controller-uid` index (podsByControllerUid). */
  pods: Informer<Pod>;
  recorder: EventRecorder;
  clock: Clock;
  logger: ControllerLogger;
  expectations: ControllerExpectations;
  finalizerExpectations: FinalizerExpectations;
  backoff: BackoffStore;
  requeueAfter(key: string, ms: number): void;
}

/** Everything one sync knows about its Job; the counters change as the sync acts. */
export interface SyncState {
  key: string;
  job: Job;
  pods: Pod[];
  activePods: Pod[];
  active: number;
  ready: number;
  terminating: number;
  succeeded: number;
  failed: number;
  prevSucceededIndexes: Intervals;
  succeededIndexes: Intervals;
  newBackoff: BackoffRecord;
  expectedRemoved: ReadonlySet<string>;
  finished: JobCondition | undefined;
  /** The status as the cache had it: what a write must differ from. */
  original: JobStatus;
}

export const controllerUidIndex = 'controller-uid';

export function controllerUidOf(pod: Pod): string[] {
  const ref = getControllerOf(pod);
  return ref === undefined ? [] : [ref.uid];
}

function managedElsewhere(job: Job): boolean {
  const m = job.spec?.managedBy;
  return m !== undefined && m !== jobControllerName;
}

/** Upstream getValidPodsWithFilter: pods with the finalizer, not yet in the uncounted list, with a valid index. */
function newlyFinished(job: Job, pods: readonly Pod[], uncounted: readonly string[] | undefined, expectedRemoved: ReadonlySet<string>, finished: (p: Pod) => boolean): Pod[] {
  const seen = new Set(uncounted ?? []);
  const completions = completionsOf(job) ?? 0;
  return pods.filter((p) => {
    if (!hasTrackingFinalizer(p) || seen.has(uidOf(p)) || expectedRemoved.has(uidOf(p))) return false;
    if (isIndexedJob(job) && (completionIndexOf(p) === unknownCompletionIndex || completionIndexOf(p) >= completions)) return false;
    return finished(p);
  });
}

function succeededIndexesOf(job: Job, pods: readonly Pod[]): { prev: Intervals; now: Intervals } {
  const completions = completionsOf(job) ?? 0;
  const prev = parseIntervals(job.status?.completedIndexes, completions);
  const fresh = new Set<number>();
  for (const p of pods) {
    const ix = completionIndexOf(p);
    if (phaseOf(p) === 'Succeeded' && ix !== unknownCompletionIndex && ix < completions && hasTrackingFinalizer(p)) fresh.add(ix);
  }
  return { prev, now: withIndexes(prev, [...fresh].sort((a, b) => a - b)) };
}

export class JobSyncer {
  private readonly podControl: PodControl;

  constructor(private readonly d: JobSyncDeps) {
    this.podControl = new PodControl(d.client, d.recorder);
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const shared = this.d.jobs.get(namespace, name);
    if (shared === undefined) return this.forget(key);
    if (managedElsewhere(shared)) return;
    if (isJobFinished(shared)) return this.d.backoff.remove(key);
    const mode = shared.spec?.completionMode;
    if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed') {
      this.d.recorder.event(shared, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
      return;
    }
    // Expectations first: a pod that lands in the cache after this read is seen next sync.
    const satisfied = this.d.expectations.satisfiedExpectations(key);
    const st = this.readState(key, structuredClone(shared), structuredClone(shared.status ?? {}));
    const manageErr = await this.step(st, satisfied);
    await trackStatus(this.d, this.podControl, st);
    if (manageErr !== undefined) throw manageErr;
  }

  private forget(key: string): void {
    this.d.expectations.deleteExpectations(key);
    this.d.finalizerExpectations.delete(key);
    this.d.backoff.remove(key);
  }

  private readState(key: string, job: Job, original: JobStatus): SyncState {
    const status = (job.status ??= {});
    const uncounted = (status.uncountedTerminatedPods ??= {});
    const pods = this.d.pods.byIndex(controllerUidIndex, job.metadata?.uid ?? '');
    const activePods = pods.filter(isPodActive);
    const expectedRemoved = this.d.finalizerExpectations.expectedUids(key);
    const newSucceeded = newlyFinished(job, pods, uncounted.succeeded, expectedRemoved, (p) => phaseOf(p) === 'Succeeded');
    const newFailed = newlyFinished(job, pods, uncounted.failed, expectedRemoved, (p) => isPodFailed(p, job));
    const now = this.d.clock.now();
    if (status.startTime === undefined && !isSuspended(job)) status.startTime = rfc3339(now);
    const st: SyncState = {
      key, job, pods, activePods,
      active: activePods.length,
      ready: activePods.filter(isPodReady).length,
      terminating: pods.filter(isTerminating).length,
      succeeded: (status.succeeded ?? 0) + newSucceeded.length + (uncounted.succeeded?.length ?? 0),
      failed: (status.failed ?? 0) + newFailed.length + (uncounted.failed?.length ?? 0),
      prevSucceededIndexes: [],
      succeededIndexes: [],
      newBackoff: nextBackoffRecord(this.d.backoff.get(key), newSucceeded, newFailed),
      expectedRemoved,
      finished: undefined,
      original,
    };
    st.finished = this.finishedCondition(st, now);
    if (isIndexedJob(job)) {
      const { prev, now: current } = succeededIndexesOf(job, pods);
      st.prevSucceededIndexes = prev;
      st.succeededIndexes = current;
      st.succeeded = totalOf(current);
    }
    return st;
  }

  /** A success or failure an earlier sync decided, else a failure decided now. */
  private finishedCondition(st: SyncState, now: number): JobCondition | undefined {
    const met = successCriteriaMetOf(st.job);
    if (met !== undefined) return met;
    const target = findCondition(st.job, 'FailureTarget');
    if (target?.status === 'True') return finalConditionFor(target, now);
    const decision = decideFailure(st.job, st.pods, st.failed, now);
    if (decision.recheckInMs !== undefined && decision.condition === undefined) this.d.requeueAfter(st.key, decision.recheckInMs);
    return decision.condition;
  }

  /** Deletes the active pods of a finished Job, or moves the pod count one step. Returns a pod write error, if any. */
  private async step(st: SyncState, satisfied: boolean): Promise<unknown> {
    if (st.finished !== undefined) {
      const { deleted, deletedReady, err } = await this.deletePods(st.job, st.activePods, st.key, false);
      // Not finished while pods remain or the cache may lack some.
      if (deleted !== st.activePods.length || !satisfied) st.finished = undefined;
      this.countDeleted(st, deleted, deletedReady);
      return err;
    }
    let err: unknown;
    let managed = false;
    if (satisfied && st.job.metadata?.deletionTimestamp === undefined) {
      err = await this.manage(st);
      managed = true;
    }
    const completions = completionsOf(st.job);
    const complete = st.active === 0 && (completions === undefined ? st.succeeded > 0 : st.succeeded >= completions);
    if (complete) st.finished = newCondition('SuccessCriteriaMet', 'True', '', '', this.d.clock.now());
    else if (managed) this.updateSuspended(st);
    return err;
  }

  private countDeleted(st: SyncState, deleted: number, deletedReady: number): void {
    st.active -= deleted;
    st.terminating += deleted;
    st.ready -= deletedReady;
  }

  /** The Suspended condition and its Events; resuming restarts the activeDeadlineSeconds clock. */
  private updateSuspended(st: SyncState): void {
    const now = this.d.clock.now();
    if (isSuspended(st.job)) {
      if (ensureCondition(st.job, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)) this.d.recorder.event(st.job, 'Normal', 'Suspended', 'Job suspended');
    } else if (ensureCondition(st.job, 'Suspended', 'False', 'JobResumed', 'Job resumed', now)) {
      this.d.recorder.event(st.job, 'Normal', 'Resumed', 'Job resumed');
      st.job.status!.startTime = rfc3339(now);
    }
  }

  private async manage(st: SyncState): Promise<unknown> {
    const plan = planPods({
      job: st.job,
      activePods: st.activePods,
      succeeded: st.succeeded,
      succeededIndexes: st.succeededIndexes,
      terminating: st.terminating,
      backoffRemainingMs: remainingBackoffMs(st.newBackoff, this.d.clock.now()),
    });
    switch (plan.action) {
      case 'delete': {
        this.d.expectations.expectDeletions(st.key, plan.pods.length);
        const { deleted, deletedReady, err } = await this.deletePods(st.job, plan.pods, st.key, true);
        this.countDeleted(st, deleted, deletedReady);
        return err;
      }
      case 'wait':
        this.d.requeueAfter(st.key, Math.max(plan.delayMs, syncJobBatchPeriodMs));
        return undefined;
      case 'create':
        return this.createPods(st, plan.indexes ?? Array.from({ length: plan.count }, () => undefined));
      case 'none':
        return undefined;
    }
  }

  /**
   * Deletes pods in parallel. With `dropFinalizer` (too many pods, or suspended) the finalizer
   * goes first, as these pods are not counted; a finished Job's pods keep it until counted.
   */
  private async deletePods(job: Job, pods: readonly Pod[], key: string, dropFinalizer: boolean): Promise<{ deleted: number; deletedReady: number; err: unknown }> {
    let deleted = 0;
    let deletedReady = 0;
    let err: unknown;
    await Promise.all(pods.map(async (pod) => {
      try {
        if (dropFinalizer) await this.podControl.removeTrackingFinalizer(pod);
        await this.podControl.delete(job, pod);
      } catch (e) {
        if (dropFinalizer) this.d.expectations.deletionObserved(key);
        if (!isNotFound(e)) {
          err ??= e;
          this.d.logger.warn({ job: key, pod: pod.metadata?.name, err: String(e) }, 'Failed to delete Pod');
          return;
        }
      }
      deleted++;
      if (isPodReady(pod)) deletedReady++;
    }));
    return { deleted, deletedReady, err };
  }

  /** Creates the pods in slow-start batches (1, 2, 4 ...); pods after a failing batch wait for a later sync. */
  private async createPods(st: SyncState, indexes: (number | undefined)[]): Promise<unknown> {
    this.d.expectations.expectCreations(st.key, indexes.length);
    let attempted = 0;
    const createOne = async () => {
      const index = indexes[attempted++];
      try {
        await this.podControl.create(st.job, podForJob(st.job, index));
        st.active++;
      } catch (e) {
        // The informer will not see this pod.
        this.d.expectations.creationObserved(st.key);
        this.d.logger.warn({ job: st.key, err: String(e) }, 'Failed creation, decrementing expectations');
        throw e;
      }
    };
    const { error } = await slowStartBatch(indexes.length, slowStartInitialBatchSize, createOne);
    for (let i = attempted; i < indexes.length; i++) this.d.expectations.creationObserved(st.key);
    return error;
  }
}
