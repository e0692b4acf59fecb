// The de-duplicating logger of client-go's EventCorrelator (eventLogger): it remembers, per key,
// the Event last written for it. An event seen again under a remembered key is not a new Event
// but the old one counted up: same name, resourceVersion and firstTimestamp, count + 1, and a
// merge patch that carries what changed (count, lastTimestamp, message). After each write the
// recorder tells it what the server stored, so the next patch names the right object.

import type { Event } from '@kubets/api';
import { eventKey } from './event-keys.js';
import { LruCache } from './lru-cache.js';

interface Observation {
  count: number;
  firstTimestamp: string | null | undefined;
  name: string | undefined;
  resourceVersion: string | undefined;
}

/** The fields a repeat changes on the stored Event (upstream diffs them as a strategic patch). */
export interface EventCountPatch {
  count: number;
  lastTimestamp: string | null | undefined;
  message?: string;
}

export class EventDeduplicator {
  private readonly seen: LruCache<string, Observation>;

  constructor(cacheSize: number) {
    this.seen = new LruCache(cacheSize);
  }

  /** The event as it must be written, and the patch when it repeats one already written. */
  observe(ev: Event, key: string): { event: Event; patch?: EventCountPatch } {
    const last = this.seen.get(key);
    if (last === undefined || last.count <= 0) {
      this.remember(key, ev);
      return { event: ev };
    }
    const repeat: Event = {
      ...ev,
      metadata: { ...ev.metadata, name: last.name, resourceVersion: last.resourceVersion },
      firstTimestamp: last.firstTimestamp,
      count: last.count + 1,
    };
    this.remember(key, repeat);
    return { event: repeat, patch: countPatch(repeat) };
  }

  /** Learns the server's copy (its name, resourceVersion and count) after a write. */
  updateState(stored: Event): void {
    this.remember(eventKey(stored), stored);
  }

  private remember(key: string, ev: Event): void {
    this.seen.add(key, {
      count: ev.count ?? 0,
      firstTimestamp: ev.firstTimestamp,
      name: ev.metadata?.name,
      resourceVersion: ev.metadata?.resourceVersion,
    });
  }
}

function countPatch(ev: Event): EventCountPatch {
  const patch: EventCountPatch = { count: ev.count ?? 0, lastTimestamp: ev.lastTimestamp };
  // Upstream's diff leaves out an empty message (omitempty), so an empty one is not sent.
  if (ev.message !== undefined && ev.message !== '') patch.message = ev.message;
  return patch;
}
