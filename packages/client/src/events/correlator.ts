// client-go's EventCorrelator with its defaults: each event goes through the aggregator (similar
// events become one aggregate), the de-duplicating logger (a repeat becomes a patch of the Event
// already written) and the spam filter (a source over its budget for an object is dropped), in
// that order, as upstream. So a pod retried every few seconds counts one Event up instead of
// writing a new one each time.

import type { Event } from '@kubets/api';
import { EventAggregator } from './aggregator.js';
import { EventDeduplicator, type EventCountPatch } from './deduplicator.js';
import type { EventNanoClock } from './event-time.js';
import { SpamFilter } from './spam-filter.js';

export const correlatorDefaults = {
  cacheSize: 4096,
  spamBurst: 25,
  spamRefillEveryMs: 5 * 60_000,
  aggregateMaxEvents: 10,
  aggregateMaxIntervalMs: 10 * 60_000,
};

export type CorrelateResult = { skip: true } | { skip: false; event: Event; patch?: EventCountPatch };

export class EventCorrelator {
  private readonly aggregator: EventAggregator;
  private readonly deduplicator: EventDeduplicator;
  private readonly spamFilter: SpamFilter;

  constructor(nanoClock: EventNanoClock) {
    const d = correlatorDefaults;
    this.aggregator = new EventAggregator({ cacheSize: d.cacheSize, maxEvents: d.aggregateMaxEvents, maxIntervalMs: d.aggregateMaxIntervalMs, nanoClock });
    this.deduplicator = new EventDeduplicator(d.cacheSize);
    this.spamFilter = new SpamFilter({ cacheSize: d.cacheSize, burst: d.spamBurst, refillEveryMs: d.spamRefillEveryMs, clock: nanoClock.clock });
  }

  /** What to write for the event: skip it, create it, or patch (when patch is set) the Event it repeats. */
  correlate(ev: Event): CorrelateResult {
    const aggregated = this.aggregator.aggregate(ev);
    const observed = this.deduplicator.observe(aggregated.event, aggregated.key);
    if (this.spamFilter.filter(observed.event)) return { skip: true };
    return { skip: false, ...observed };
  }

  /** After a write: what the server stored, so later repeats patch the right object. */
  updateState(stored: Event): void {
    this.deduplicator.updateState(stored);
  }
}
