// The decision of upstream's TTL-after-finished controller: a Job that has finished (Complete
// or Failed) and sets ttlSecondsAfterFinished expires that long after the condition's
// transition time; until then it is looked at again when the time is up.

import { isJobFinished, jobFinishTime } from './conditions.js';
import type { Job } from './types.js';

/** Upstream needsCleanup: finished, with a TTL, and not already being deleted. */
export function needsCleanup(job: Job): boolean {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  return ttl !== undefined && ttl !== null && isJobFinished(job) && job.metadata?.deletionTimestamp === undefined;
}

export type TtlDecision = { action: 'ignore' } | { action: 'delete'; expiredAt: number } | { action: 'wait'; ms: number };

/**
 * What to do now. A finished Job without a finish time is an error upstream; here it is
 * ignored, as no time will ever make it expire.
 */
export function ttlDecision(job: Job, nowMs: number): TtlDecision {
  if (!needsCleanup(job)) return { action: 'ignore' };
  const finishedAt = jobFinishTime(job);
  if (finishedAt === undefined) return { action: 'ignore' };
  const expiredAt = finishedAt + (job.spec!.ttlSecondsAfterFinished! * 1000);
  return expiredAt <= nowMs ? { action: 'delete', expiredAt } : { action: 'wait', ms: expiredAt - nowMs };
}
