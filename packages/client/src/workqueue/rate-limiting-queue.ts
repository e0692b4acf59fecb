// The queue controllers use: a delaying queue plus a rate limiter that decides how long a
// failed key waits before it is retried.

import type { Clock } from '../clock/clock.js';
import { DelayingQueue } from './delaying-queue.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiters.js';

export interface RateLimitingQueueOptions<T> {
  clock?: Clock;
  /** defaultControllerRateLimiter by default. */
  rateLimiter?: RateLimiter<T>;
  /** For logs and metrics. */
  name?: string;
}

export class RateLimitingQueue<T = string> extends DelayingQueue<T> {
  readonly rateLimiter: RateLimiter<T>;
  readonly name: string;

  constructor(opts: RateLimitingQueueOptions<T> = {}) {
    super(opts.clock !== undefined ? { clock: opts.clock } : {});
    this.rateLimiter = opts.rateLimiter ?? defaultControllerRateLimiter<T>({ clock: this.clock });
    this.name = opts.name ?? '';
  }

  /** Queues the key after the delay the rate limiter gives it (a retry after a failure). */
  addRateLimited(item: T): void {
    this.addAfter(item, this.rateLimiter.when(item));
  }

  /** Ends the key's backoff: call when it was processed successfully. */
  forget(item: T): void {
    this.rateLimiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }
}
