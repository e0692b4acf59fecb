// The back-off before new pods after failures, as upstream's backoff_utils.go: per Job, the
// number of failures since the last success and the time of the last one; the delay is
// 10 s doubling per further failure up to a cap, counted from that failure's time (the
// failures' own times, not when the controller noticed them).

import type { Pod } from '@kubets/api';

export const podFailureBackoffMs = 10_000;
/** The cap as the brief and the Job documentation give it (six minutes). */
export const maxPodFailureBackoffMs = 6 * 60_000;

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime: number | undefined;
}

export const noFailures: BackoffRecord = { failuresAfterLastSuccess: 0, lastFailureTime: undefined };

function timeOf(s: string | null | undefined): number | undefined {
  if (s === undefined || s === null) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/** When every container terminated: the latest finishedAt; undefined if one has not. */
function finishTimeFromContainers(p: Pod): number | undefined {
  let latest: number | undefined;
  for (const cs of p.status?.containerStatuses ?? []) {
    const t = timeOf(cs.state?.terminated?.finishedAt as string | undefined);
    if (t === undefined) return undefined;
    if (latest === undefined || t > latest) latest = t;
  }
  return latest;
}

function finishTimeFromReadyFalse(p: Pod): number | undefined {
  const c = p.status?.conditions?.find((x) => x.type === 'Ready');
  return c?.status === 'False' ? timeOf(c.lastTransitionTime as string | undefined) : undefined;
}

function finishTimeFromDeletion(p: Pod): number | undefined {
  const t = timeOf(p.metadata?.deletionTimestamp);
  return t === undefined ? undefined : t - (p.metadata?.deletionGracePeriodSeconds ?? 0) * 1000;
}

/**
 * Upstream getFinishedTime: the containers' latest finish, else when Ready turned False, else
 * the deletion time less the grace period, else the creation time.
 */
export function podFinishedTime(p: Pod): number {
  return finishTimeFromContainers(p) ?? finishTimeFromReadyFalse(p) ?? finishTimeFromDeletion(p) ?? timeOf(p.metadata?.creationTimestamp) ?? 0;
}

function byFinishedTime(pods: readonly Pod[]): number[] {
  return pods.map(podFinishedTime).sort((a, b) => a - b);
}

/** Upstream newBackoffRecord: the record after this sync's newly finished pods. */
export function nextBackoffRecord(prev: BackoffRecord, newSucceeded: readonly Pod[], newFailed: readonly Pod[]): BackoffRecord {
  const failed = byFinishedTime(newFailed);
  if (newSucceeded.length === 0) {
    if (failed.length === 0) return prev;
    return { failuresAfterLastSuccess: prev.failuresAfterLastSuccess + failed.length, lastFailureTime: failed[failed.length - 1] };
  }
  const succeeded = byFinishedTime(newSucceeded);
  const lastSuccess = succeeded[succeeded.length - 1]!;
  const after = failed.filter((t) => t > lastSuccess);
  return { failuresAfterLastSuccess: after.length, lastFailureTime: after.length > 0 ? after[after.length - 1] : undefined };
}

/** How long new pods must still wait: 10 s * 2^(failures-1), capped, less the time since the last failure. */
export function remainingBackoffMs(r: BackoffRecord, nowMs: number, baseMs = podFailureBackoffMs, maxMs = maxPodFailureBackoffMs): number {
  if (r.failuresAfterLastSuccess === 0 || r.lastFailureTime === undefined) return 0;
  let delay = baseMs;
  for (let i = 1; i < r.failuresAfterLastSuccess && delay < maxMs; i++) delay = Math.min(delay * 2, maxMs);
  const elapsed = nowMs - r.lastFailureTime;
  return delay < elapsed ? 0 : delay - elapsed;
}

/** The records of the Jobs this controller runs, kept in memory as upstream's backoffStore. */
export class BackoffStore {
  private readonly records = new Map<string, BackoffRecord>();

  get(key: string): BackoffRecord {
    return this.records.get(key) ?? noFailures;
  }

  set(key: string, r: BackoffRecord): void {
    this.records.set(key, r);
  }

  remove(key: string): void {
    this.records.delete(key);
  }
}
