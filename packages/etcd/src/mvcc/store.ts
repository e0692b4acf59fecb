// The MVCC key-value store: every key's history in an ordered B-tree (keys as latin1 strings,
// whose order is the byte order), one global revision that each write transaction that changes
// something bumps by one, and compaction of history no reader can ask for any more.
import sortedBtree from 'sorted-btree';
import { KeyHistory, sizeOf, type Revision } from './key-history.js';
import { errors, type Event, type KeyValue, type LeaseId } from './types.js';

// sorted-btree is CommonJS: its class is the module's `default` export.
const BTree = sortedBtree.default;
const EMPTY = Buffer.alloc(0);

export const keyString = (k: Buffer): string => k.toString('latin1');

/** Whether rangeEnd means "every key >= key" (a single 0 byte). */
const isOpenEnd = (end: Buffer | undefined): boolean => end !== undefined && end.length === 1 && end[0] === 0;

export class MvccStore {
  private readonly index = new BTree<string, KeyHistory>();
  currentRevision = 1;
  compactRevision = 0;
  private bytes = 0;

  get sizeBytes(): number {
    return this.bytes;
  }

  /**
   * Calls fn for each key in [key, rangeEnd) in key order until it returns false. An empty
   * rangeEnd means the key alone; "\0" means every key >= key (and key "\0" then means all).
   */
  scan(key: Buffer, rangeEnd: Buffer | undefined, fn: (k: string, h: KeyHistory) => boolean | void): void {
    if (rangeEnd === undefined || rangeEnd.length === 0) {
      const k = keyString(key);
      const h = this.index.get(k);
      if (h) fn(k, h);
      return;
    }
    const low = keyString(key);
    const high = isOpenEnd(rangeEnd) ? undefined : keyString(rangeEnd);
    if (high !== undefined && low >= high) return;
    for (const [k, h] of this.index.entries(low)) {
      if (high !== undefined && k >= high) break;
      if (fn(k, h) === false) break;
    }
  }

  /** The live values in range as of `rev`, in key order (the caller checks rev is readable). */
  valuesAt(key: Buffer, rangeEnd: Buffer | undefined, rev: number, fn: (kv: KeyValue) => boolean | void): void {
    this.scan(key, rangeEnd, (_, h) => {
      const kv = h.at(rev);
      return kv === undefined ? true : fn(kv);
    });
  }

  get(key: Buffer): KeyValue | undefined {
    return this.index.get(keyString(key))?.latest;
  }

  /**
   * Writes key at revision `main`, sub revision `sub`; returns the event (with the previous value,
   * if any). An undefined value or lease keeps the previous one (ignore_value, ignore_lease).
   */
  put(key: Buffer, value: Buffer | undefined, lease: LeaseId | undefined, main: number, sub: number): Event {
    const k = keyString(key);
    let h = this.index.get(k);
    if (!h) {
      h = new KeyHistory();
      this.index.set(k, h);
    }
    const prev = h.latest;
    const kv: KeyValue = {
      key,
      createRevision: prev ? prev.createRevision : main,
      modRevision: main,
      version: prev ? prev.version + 1 : 1,
      value: value ?? prev!.value,
      lease: lease ?? prev!.lease,
    };
    this.record(h, { main, sub, kv });
    return prev ? { type: 'PUT', kv, prevKv: prev } : { type: 'PUT', kv };
  }

  /** Deletes a live key at revision `main`; returns the event. */
  delete(prev: KeyValue, main: number, sub: number): Event {
    const h = this.index.get(keyString(prev.key))!;
    this.record(h, { main, sub, kv: undefined });
    return { type: 'DELETE', kv: tombstone(prev.key, main), prevKv: prev };
  }

  private record(h: KeyHistory, r: Revision): void {
    h.push(r);
    this.bytes += sizeOf(r);
  }

  /** Forgets history before `rev`; reads and watches from `rev` on keep working. */
  compact(rev: number): void {
    this.compactRevision = rev;
    const empty: string[] = [];
    for (const [k, h] of this.index.entries()) {
      this.bytes -= h.compact(rev);
      if (h.revisions.length === 0) empty.push(k);
    }
    for (const k of empty) this.index.delete(k);
  }

  /** The events on keys in range with revision >= start, in revision order. */
  eventsSince(start: number, key: Buffer, rangeEnd: Buffer | undefined): Event[] {
    if (start < this.compactRevision) throw errors.compacted();
    const found: { main: number; sub: number; event: Event }[] = [];
    this.scan(key, rangeEnd, (k, h) => {
      const rs = h.revisions;
      for (let i = h.firstAtOrAfter(start); i < rs.length; i++) {
        const r = rs[i]!;
        const prev = i > 0 ? rs[i - 1]!.kv : undefined;
        const kv = r.kv ?? tombstone(prev?.key ?? Buffer.from(k, 'latin1'), r.main);
        const event: Event = { type: r.kv ? 'PUT' : 'DELETE', kv };
        if (prev) event.prevKv = prev;
        found.push({ main: r.main, sub: r.sub, event });
      }
    });
    found.sort((a, b) => a.main - b.main || a.sub - b.sub);
    return found.map((f) => f.event);
  }

  /** Every key's history, for a snapshot. */
  *histories(): IterableIterator<[string, KeyHistory]> {
    yield* this.index.entries();
  }

  /** Restores one key's history (from a snapshot). */
  load(k: string, revisions: Revision[]): void {
    const h = new KeyHistory();
    for (const r of revisions) this.record(h, r);
    this.index.set(k, h);
  }
}

/** A deletion's kv as etcd reports it in events: the key and the deletion's revision. */
function tombstone(key: Buffer, main: number): KeyValue {
  return { key, createRevision: 0, modRevision: main, version: 0, value: EMPTY, lease: 0n };
}
