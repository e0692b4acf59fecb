// When a Job has failed, as upstream's syncJob decides it: more failed pods than backoffLimit
// (or, with restartPolicy OnFailure, as many container restarts), or active longer than
// activeDeadlineSeconds. Either gives the interim FailureTarget condition; Failed follows
// once every pod is accounted for. (The pod failure policy is not implemented.)

import type { Pod } from '@kubets/api';
import { messageBackoffLimitExceeded, messageDeadlineExceeded, newCondition, reasonBackoffLimitExceeded, reasonDeadlineExceeded } from './conditions.js';
import { phaseOf } from './pods.js';
import { backoffLimitOf, isSuspended, type Job, type JobCondition } from './types.js';

/** Upstream pastBackoffLimitOnFailure: restarts of running and pending pods' containers reach the limit. */
export function pastBackoffLimitOnFailure(job: Job, pods: readonly Pod[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (phaseOf(p) !== 'Running' && phaseOf(p) !== 'Pending') continue;
    for (const cs of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) restarts += cs.restartCount ?? 0;
  }
  const limit = backoffLimitOf(job);
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

function startTimeOf(job: Job): number | undefined {
  const s = job.status?.startTime;
  return s === undefined ? undefined : Date.parse(s);
}

/** Milliseconds until activeDeadlineSeconds runs out (0 or less: past it); undefined when it does not apply. */
export function deadlineRemainingMs(job: Job, nowMs: number): number | undefined {
  const ads = job.spec?.activeDeadlineSeconds;
  const start = startTimeOf(job);
  if (ads === undefined || ads === null || start === undefined || Number.isNaN(start) || isSuspended(job)) return undefined;
  return ads * 1000 - (nowMs - start);
}

export interface FailureDecision {
  /** FailureTarget with its reason, when the Job has failed. */
  condition: JobCondition | undefined;
  /** When to look again because of the deadline, if the Job has not failed. */
  recheckInMs: number | undefined;
}

export function decideFailure(job: Job, pods: readonly Pod[], failed: number, nowMs: number): FailureDecision {
  if (failed > backoffLimitOf(job) || pastBackoffLimitOnFailure(job, pods)) {
    return { condition: newCondition('FailureTarget', 'True', reasonBackoffLimitExceeded, messageBackoffLimitExceeded, nowMs), recheckInMs: undefined };
  }
  const remaining = deadlineRemainingMs(job, nowMs);
  if (remaining !== undefined && remaining <= 0) {
    return { condition: newCondition('FailureTarget', 'True', reasonDeadlineExceeded, messageDeadlineExceeded, nowMs), recheckInMs: undefined };
  }
  return { condition: undefined, recheckInMs: remaining };
}
