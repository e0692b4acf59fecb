// The aggregator of client-go's EventCorrelator (EventAggregator): events that differ only in
// their message (one reason, one object, one source) are counted by distinct message; once
// maxEvents distinct ones have been seen, each without a gap of more than maxIntervalMs, every
// further one becomes a single aggregate event instead, "(combined from similar events): " and
// the latest message, which the de-duplicating logger then counts up under the group's key.

import type { Event } from '@kubets/api';
import { aggregateKeys, eventKey } from './event-keys.js';
import { formatEventTime, type EventNanoClock } from './event-time.js';
import { eventName } from './event-name.js';
import { LruCache } from './lru-cache.js';

export interface AggregatorOptions {
  cacheSize: number;
  /** Distinct messages before aggregating (upstream: 10). */
  maxEvents: number;
  /** A group older than this since its last event starts afresh (upstream: 10 minutes). */
  maxIntervalMs: number;
  nanoClock: EventNanoClock;
}

interface AggregateRecord {
  /** The distinct messages seen in the group (never more than maxEvents - 1 kept). */
  localKeys: Set<string>;
  /** When the group last saw an event (ms). */
  lastSeen: number;
}

export const aggregateMessagePrefix = '(combined from similar events): ';

export class EventAggregator {
  private readonly records: LruCache<string, AggregateRecord>;

  constructor(private readonly opts: AggregatorOptions) {
    this.records = new LruCache(opts.cacheSize);
  }

  /**
   * The event to record (this one, or an aggregate in its place) and the key the logger counts
   * it under: the event's own key, or the group's key for an aggregate.
   */
  aggregate(ev: Event): { event: Event; key: string } {
    const now = this.opts.nanoClock.clock.now();
    const { aggregateKey, localKey } = aggregateKeys(ev);
    let record = this.records.get(aggregateKey);
    if (record === undefined || now - record.lastSeen > this.opts.maxIntervalMs) record = { localKeys: new Set(), lastSeen: now };
    record.localKeys.add(localKey);
    record.lastSeen = now;
    this.records.add(aggregateKey, record);
    if (record.localKeys.size < this.opts.maxEvents) return { event: ev, key: eventKey(ev) };
    dropOne(record.localKeys);
    return { event: this.aggregateEvent(ev, now), key: aggregateKey };
  }

  /** Upstream's aggregate carries only these fields: no reportingComponent or reportingInstance. */
  private aggregateEvent(ev: Event, now: number): Event {
    const time = formatEventTime(now);
    const aggregate: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: eventName(ev.involvedObject.name ?? '', this.opts.nanoClock.nowNanos()), namespace: ev.metadata?.namespace },
      involvedObject: ev.involvedObject,
      count: 1,
      firstTimestamp: time,
      lastTimestamp: time,
      message: aggregateMessagePrefix + (ev.message ?? ''),
      type: ev.type,
      reason: ev.reason,
    };
    if (ev.source !== undefined) aggregate.source = ev.source;
    return aggregate;
  }
}

/** Keeps the set below the threshold, so every further similar event aggregates (Go's PopAny). */
function dropOne(keys: Set<string>): void {
  const first = keys.values().next();
  if (first.done !== true) keys.delete(first.value);
}
