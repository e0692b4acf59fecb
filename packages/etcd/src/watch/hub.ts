// The watch hub: every watcher on this replica, fed from the apply path. A watcher that starts
// in the past is first caught up from the MVCC history, synchronously, so it joins the live feed
// exactly at the next revision: no event is skipped, repeated or reordered, whatever the leader.
import type { Event } from '../mvcc/types.js';
import { inRange, type KeyRange } from './key-range.js';

export interface EventHistory {
  currentRevision(): number;
  compactRevision(): number;
  /** Events on keys in `range` with revision >= startRevision, in revision order (throws if compacted). */
  eventsSince(startRevision: number, range: KeyRange): Event[];
}

export interface Watcher extends KeyRange {
  prevKv: boolean;
  noPut: boolean;
  noDelete: boolean;
  /** Receives each batch of matching events (already filtered) and the revision they bring the watcher to. */
  deliver(events: Event[], revision: number): void;
}

export type AddResult = { compacted: number } | { compacted?: undefined };

export class WatchHub {
  /** Each watcher with the first revision it wants (a start revision in the future waits for it). */
  private readonly watchers = new Map<Watcher, number>();

  constructor(private readonly history: EventHistory) {}

  get size(): number {
    return this.watchers.size;
  }

  /**
   * Registers a watcher from startRevision (0 = from the next revision). Returns compacted if that
   * revision is gone; otherwise delivers the history since then and joins the live feed.
   */
  add(w: Watcher, startRevision: number): AddResult {
    const current = this.history.currentRevision();
    if (startRevision > 0 && startRevision <= current) {
      const compacted = this.history.compactRevision();
      // As etcd's watchable store: the compaction revision itself can still be watched from.
      if (startRevision < compacted) return { compacted };
      const past = this.filter(w, this.history.eventsSince(startRevision, w));
      if (past.length > 0) w.deliver(past, current);
    }
    this.watchers.set(w, Math.max(startRevision, current + 1));
    return {};
  }

  remove(w: Watcher): void {
    this.watchers.delete(w);
  }

  /** A write transaction at `revision` produced `events`. */
  notify(revision: number, events: Event[]): void {
    if (events.length === 0) return;
    for (const [w, from] of this.watchers) {
      if (revision < from) continue;
      const mine = this.filter(w, events);
      if (mine.length > 0) w.deliver(mine, revision);
    }
  }

  private filter(w: Watcher, events: Event[]): Event[] {
    const out: Event[] = [];
    for (const e of events) {
      if (e.type === 'PUT' ? w.noPut : w.noDelete) continue;
      if (!inRange(w, e.kv.key)) continue;
      out.push(w.prevKv || e.prevKv === undefined ? e : { type: e.type, kv: e.kv });
    }
    return out;
  }
}
