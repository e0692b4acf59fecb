// How long a key must wait before it is retried, as client-go's workqueue rate limiters:
// - per item, exponential: 5 ms, 10 ms, 20 ms ... up to 1000 s for a key that keeps failing,
//   back to 5 ms once forgotten (after a success);
// - overall, a token bucket (10 per second, bursts of 100) so that many failing keys together
//   cannot flood the API server;
// - the controller default takes the longer of the two.

import type { Clock } from '../clock/clock.js';
import { realClock } from '../clock/real-clock.js';

export interface RateLimiter<T = string> {
  /** The delay (ms) before this key may be processed again; records one more failure. */
  when(item: T): number;
  /** Clears the key's failure history (call after it was processed successfully). */
  forget(item: T): void;
  /** How many times the key has failed since it was last forgotten. */
  numRequeues(item: T): number;
}

export class ItemExponentialFailureRateLimiter<T = string> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();

  constructor(private readonly baseMs = 5, private readonly maxMs = 1000 * 1000) {}

  when(item: T): number {
    const n = this.failures.get(item) ?? 0;
    this.failures.set(item, n + 1);
    const delay = this.baseMs * 2 ** n;
    return !Number.isFinite(delay) || delay > this.maxMs ? this.maxMs : delay;
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

/**
 * A token bucket shared by all keys (Go's rate.Limiter, reserve semantics): each call takes a
 * token, going into debt when none is left; the delay is the time until the debt is repaid.
 */
export class BucketRateLimiter<T = string> implements RateLimiter<T> {
  private tokens: number;
  private last: number;
  private readonly clock: Clock;

  constructor(private readonly qps = 10, private readonly burst = 100, opts: { clock?: Clock } = {}) {
    this.clock = opts.clock ?? realClock;
    this.tokens = burst;
    this.last = this.clock.now();
  }

  when(_item: T): number {
    const now = this.clock.now();
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.qps) / 1000);
      this.last = now;
    }
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }

  forget(_item: T): void {}

  numRequeues(_item: T): number {
    return 0;
  }
}

/** The longest delay any of the limiters asks for. */
export class MaxOfRateLimiter<T = string> implements RateLimiter<T> {
  private readonly limiters: RateLimiter<T>[];

  constructor(...limiters: RateLimiter<T>[]) {
    this.limiters = limiters;
  }

  when(item: T): number {
    // Every limiter is asked (each records the failure or spends a token), then the longest wins.
    return this.limiters.reduce((max, l) => Math.max(max, l.when(item)), 0);
  }

  forget(item: T): void {
    for (const l of this.limiters) l.forget(item);
  }

  numRequeues(item: T): number {
    return this.limiters.reduce((max, l) => Math.max(max, l.numRequeues(item)), 0);
  }
}

/** client-go's DefaultControllerRateLimiter: max(per-item 5 ms..1000 s, bucket 10 qps burst 100). */
export function defaultControllerRateLimiter<T = string>(opts: { clock?: Clock } = {}): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(new ItemExponentialFailureRateLimiter<T>(5, 1000 * 1000), new BucketRateLimiter<T>(10, 100, opts));
}
