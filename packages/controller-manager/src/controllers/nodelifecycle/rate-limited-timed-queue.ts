// Upstream's RateLimitedTimedQueue: the nodes of one zone waiting for their NoExecute taint,
// each at most once, in order of when they may be processed, taken no faster than the zone's
// token bucket allows (burst 1). The node lifecycle controller rate-limits the tainting, not
// the evictions themselves, so that a zone losing its network does not lose all its pods at once.

import type { Clock } from '@kubets/client';

/** Burst of every eviction limiter, as upstream's EvictionRateLimiterBurst. */
export const evictionRateLimiterBurst = 1;

/** A token bucket of qps tokens per second (none ever when qps <= 0), never waiting. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(readonly qps: number, private readonly burst: number, private readonly clock: Clock) {
    this.tokens = qps > 0 ? burst : 0;
    this.last = clock.now();
  }

  tryAccept(): boolean {
    if (this.qps <= 0) return false;
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export interface TimedValue {
  value: string;
  uid: string | undefined;
  addedAt: number;
  processAt: number;
}

/** What the action says: done, or try again no sooner than retryAfterMs from now. */
export type TryResult = { done: true } | { done: false; retryAfterMs: number };

export class RateLimitedTimedQueue {
  /** Values waiting to be processed. */
  private readonly items = new Map<string, TimedValue>();
  /** Values added and not removed, processed or not: a processed value is not added again until removed. */
  private readonly members = new Set<string>();
  private limiter: TokenBucket;

  constructor(qps: number, private readonly clock: Clock) {
    this.limiter = new TokenBucket(qps, evictionRateLimiterBurst, clock);
  }

  /** Queues the value unless it was added and not removed since; true if it was added. */
  add(value: string, uid?: string): boolean {
    if (this.members.has(value)) return false;
    this.members.add(value);
    const now = this.clock.now();
    this.items.set(value, { value, uid, addedAt: now, processAt: now });
    return true;
  }

  /** Forgets the value, so it may be added again; true if it was there. */
  remove(value: string): boolean {
    this.items.delete(value);
    return this.members.delete(value);
  }

  /** Whether the value waits to be processed. */
  isQueued(value: string): boolean {
    return this.items.has(value);
  }

  get size(): number {
    return this.items.size;
  }

  get qps(): number {
    return this.limiter.qps;
  }

  private head(): TimedValue | undefined {
    let best: TimedValue | undefined;
    for (const v of this.items.values()) if (best === undefined || v.processAt < best.processAt) best = v;
    return best;
  }

  /**
   * Processes due values in order while the limiter gives tokens. A value the action finishes
   * leaves the queue; one it does not is retried after the wait it names.
   */
  async try(action: (v: TimedValue) => Promise<TryResult>): Promise<void> {
    for (let v = this.head(); v !== undefined; v = this.head()) {
      if (!this.limiter.tryAccept()) return;
      const now = this.clock.now();
      if (now < v.processAt) return;
      const result = await action(v);
      if (this.items.get(v.value) !== v) continue; // removed or replaced meanwhile
      if (result.done) this.items.delete(v.value);
      else v.processAt = now + result.retryAfterMs + 1;
    }
  }

  /** A new rate; when the old bucket is empty the new one starts empty too (burst 1). */
  swapLimiter(qps: number): void {
    if (this.limiter.qps === qps) return;
    const wasEmpty = !this.limiter.tryAccept();
    const next = new TokenBucket(qps, evictionRateLimiterBurst, this.clock);
    if (wasEmpty) next.tryAccept();
    this.limiter = next;
  }
}
