// The tail of the log not yet handed to storage: entries (and possibly a snapshot) the core has
// accepted in memory but the application has not yet confirmed durable via advance().
import type { Entry, Snapshot } from '../types.js';
import { invariant } from './assert.js';

export class Unstable {
  snapshot: Snapshot | undefined;
  entries: Entry[] = [];
  /** Index of entries[0] (or where the next entry would go). */
  offset: number;

  constructor(offset: number) {
    this.offset = offset;
  }

  maybeFirstIndex(): number | undefined {
    return this.snapshot ? this.snapshot.metadata.index + 1 : undefined;
  }

  maybeLastIndex(): number | undefined {
    if (this.entries.length > 0) return this.offset + this.entries.length - 1;
    return this.snapshot ? this.snapshot.metadata.index : undefined;
  }

  maybeTerm(i: number): number | undefined {
    if (i < this.offset) {
      const s = this.snapshot;
      return s && s.metadata.index === i ? s.metadata.term : undefined;
    }
    const k = i - this.offset;
    return k < this.entries.length ? this.entries[k]!.term : undefined;
  }

  /** Entries up to (i, t) are durable. Ignored if the tail was rewritten since (term differs). */
  stableTo(i: number, t: number): void {
    if (i < this.offset) return;
    const gt = this.maybeTerm(i);
    if (gt !== t) return;
    this.entries = this.entries.slice(i + 1 - this.offset);
    this.offset = i + 1;
  }

  stableSnapTo(i: number): void {
    if (this.snapshot && this.snapshot.metadata.index === i) this.snapshot = undefined;
  }

  restore(s: Snapshot): void {
    this.offset = s.metadata.index + 1;
    this.entries = [];
    this.snapshot = s;
  }

  truncateAndAppend(ents: readonly Entry[]): void {
    const first = ents[0]!.index;
    if (first === this.offset + this.entries.length) {
      for (const e of ents) this.entries.push(e);
    } else if (first <= this.offset) {
      // Replaces the whole unstable tail (and whatever storage holds from `first` on).
      this.offset = first;
      this.entries = ents.slice();
    } else {
      invariant(first < this.offset + this.entries.length, 'unstable append leaves a gap');
      this.entries = this.entries.slice(0, first - this.offset);
      for (const e of ents) this.entries.push(e);
    }
  }

  /** Entries [lo, hi); the caller has checked the bounds. */
  slice(lo: number, hi: number): Entry[] {
    invariant(lo >= this.offset && hi <= this.offset + this.entries.length && lo <= hi, () => `unstable.slice(${lo}, ${hi}) out of [${this.offset}, ${this.offset + this.entries.length})`);
    return this.entries.slice(lo - this.offset, hi - this.offset);
  }
}
