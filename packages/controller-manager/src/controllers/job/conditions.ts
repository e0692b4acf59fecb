// Job conditions as upstream's job controller writes them: Complete and Failed are final;
// since 1.31 they are preceded by the interim SuccessCriteriaMet and FailureTarget, written
// before the last pod finalizers are removed, so a restarted controller finishes the same way.

import type { Job, JobCondition, JobConditionType } from './types.js';

export const reasonBackoffLimitExceeded = 'BackoffLimitExceeded';
export const reasonDeadlineExceeded = 'DeadlineExceeded';
export const messageBackoffLimitExceeded = 'Job has reached the specified backoff limit';
export const messageDeadlineExceeded = 'Job was active longer than specified deadline';

export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function newCondition(type: JobConditionType, status: 'True' | 'False', reason: string, message: string, nowMs: number): JobCondition {
  const now = rfc3339(nowMs);
  const c: JobCondition = { type, status, lastProbeTime: now, lastTransitionTime: now };
  // Go's omitempty: an empty reason or message is not written.
  if (reason !== '') c.reason = reason;
  if (message !== '') c.message = message;
  return c;
}

export function findCondition(job: Job, type: JobConditionType): JobCondition | undefined {
  return job.status?.conditions?.find((c) => c.type === type);
}

function isTrue(job: Job, type: JobConditionType): boolean {
  return findCondition(job, type)?.status === 'True';
}

/** Upstream IsJobFinished: a Complete or Failed condition that is True. */
export function isJobFinished(job: Job): boolean {
  return isTrue(job, 'Complete') || isTrue(job, 'Failed');
}

/** When the Job finished: the transition time of its Complete or Failed condition. */
export function jobFinishTime(job: Job): number | undefined {
  const c = job.status?.conditions?.find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  if (c?.lastTransitionTime === undefined) return undefined;
  const t = Date.parse(c.lastTransitionTime);
  return Number.isNaN(t) ? undefined : t;
}

/** The SuccessCriteriaMet condition, when an earlier sync already decided the Job succeeded. */
export function successCriteriaMetOf(job: Job): JobCondition | undefined {
  const c = findCondition(job, 'SuccessCriteriaMet');
  return c?.status === 'True' ? c : undefined;
}

/** The final condition that follows an interim one: Failed after FailureTarget, Complete after SuccessCriteriaMet. */
export function finalConditionFor(interim: JobCondition, nowMs: number): JobCondition {
  const type = interim.type === 'FailureTarget' ? 'Failed' : 'Complete';
  return newCondition(type, 'True', interim.reason ?? '', interim.message ?? '', nowMs);
}

/**
 * Upstream ensureJobConditionStatus: sets the condition of this type to the given status,
 * reason and message (a new transition time only when one of them changed); never adds a
 * condition that is False. Returns whether the list changed.
 */
export function ensureCondition(job: Job, type: JobConditionType, status: 'True' | 'False', reason: string, message: string, nowMs: number): boolean {
  const list = (job.status ??= {}).conditions ?? [];
  const i = list.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = list[i]!;
    if (c.status === status && (c.reason ?? '') === reason && (c.message ?? '') === message) return false;
    list[i] = newCondition(type, status, reason, message, nowMs);
    job.status.conditions = list;
    return true;
  }
  if (status === 'False') return false;
  job.status.conditions = [...list, newCondition(type, status, reason, message, nowMs)];
  return true;
}
