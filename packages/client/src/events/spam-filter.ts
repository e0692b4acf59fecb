// The spam filter of client-go's EventCorrelator (EventSourceObjectSpamFilter): each source may
// report a burst of events about one object, then one per refill period. It keeps an object
// that is always unhealthy from writing events without end; over the budget, events are
// dropped. Budgets live in an LRU cache, so a forgotten object starts with a full bucket.

import type { Event } from '@kubets/api';
import type { Clock } from '../clock/clock.js';
import { spamKey } from './event-keys.js';
import { LruCache } from './lru-cache.js';
import { PassiveTokenBucket } from './token-bucket.js';

export interface SpamFilterOptions {
  cacheSize: number;
  /** Events a source may report about an object at once (upstream: 25). */
  burst: number;
  /** Then one more per this many ms (upstream: 5 minutes). */
  refillEveryMs: number;
  clock: Clock;
}

export class SpamFilter {
  private readonly buckets: LruCache<string, PassiveTokenBucket>;

  constructor(private readonly opts: SpamFilterOptions) {
    this.buckets = new LruCache(opts.cacheSize);
  }

  /** True when the event is over its source's budget for the object and must be dropped. */
  filter(ev: Event): boolean {
    const key = spamKey(ev);
    const bucket = this.buckets.get(key) ?? new PassiveTokenBucket(this.opts.burst, this.opts.refillEveryMs, this.opts.clock);
    const over = !bucket.tryAccept();
    this.buckets.add(key, bucket);
    return over;
  }
}
