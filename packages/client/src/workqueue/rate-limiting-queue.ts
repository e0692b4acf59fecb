// The queue controllers use: a delaying queue plus a rate limiter that decides how long a
// failed key waits before it is retried.

import type { Clock } from '../clock/clock.js';
import { DelayingQueue } from './delaying-queue.js';
import { QueueMetricsRecorder, type QueueMetricSinks } from './metrics.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiters.js';

export interface RateLimitingQueueOptions<T> {
  clock?: Clock;
  /** defaultControllerRateLimiter by default. */
  rateLimiter?: RateLimiter<T>;
  /** For logs and metrics. */
  name?: string;
  /** Where the queue's workqueue_* metrics go; none by default. */
  metrics?: QueueMetricSinks;
}

export class RateLimitingQueue<T = string> extends DelayingQueue<T> {
  readonly rateLimiter: RateLimiter<T>;
  readonly name: string;

  constructor(opts: RateLimitingQueueOptions<T> = {}) {
    super(opts.clock !== undefined ? { clock: opts.clock } : {});
    this.rateLimiter = opts.rateLimiter ?? defaultControllerRateLimiter<T>({ clock: this.clock });
    this.name = opts.name ?? '';
    if (opts.metrics !== undefined) this.metrics = new QueueMetricsRecorder<T>(opts.metrics, this.clock);
  }

  /** Queues the key after the delay the rate limiter gives it (a retry after a failure). */
  addRateLimited(item: T): void {
    this.metrics?.retry();
    this.addAfter(item, this.rateLimiter.when(item));
  }

  /** Ends the key's backoff: call when it was processed successfully. */
  forget(item: T): void {
    this.rateLimiter.forget(item);
  }

  /** Refreshes the gauges of work in hand (unfinished work, longest running); call before a scrape. */
  updateUnfinishedWorkMetrics(): void {
    this.metrics?.updateUnfinishedWork();
  }

  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }
}
