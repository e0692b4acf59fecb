// The Raft log as the core sees it: durable entries in Storage, followed by the unstable tail,
// plus the commit and apply cursors. All log-shape invariants are asserted here.
import type { Entry, Snapshot } from '../types.js';
import { invariant } from './assert.js';
import { countWithinSize, entrySize } from './entries.js';
import type { Storage } from './storage.js';
import { Unstable } from './unstable.js';

export class RaftLog {
  readonly storage: Storage;
  readonly unstable: Unstable;
  /** Highest index known committed. Never decreases, never exceeds lastIndex(). */
  committed: number;
  /** Highest index handed to the application in a Ready (applied <= applying <= committed). */
  applying: number;
  /** Highest index the application has applied (confirmed by advance()). */
  applied: number;
  private readonly maxApplyingSize: number;

  constructor(storage: Storage, maxApplyingSize: number) {
    this.storage = storage;
    this.maxApplyingSize = maxApplyingSize;
    const first = storage.firstIndex();
    const last = storage.lastIndex();
    this.unstable = new Unstable(last + 1);
    // Everything up to the snapshot is committed and applied by definition.
    this.committed = first - 1;
    this.applying = first - 1;
    this.applied = first - 1;
  }

  firstIndex(): number {
    return this.unstable.maybeFirstIndex() ?? this.storage.firstIndex();
  }

  lastIndex(): number {
    return this.unstable.maybeLastIndex() ?? this.storage.lastIndex();
  }

  /** Term of entry i, or undefined if i is compacted (below firstIndex-1) or beyond the log. */
  term(i: number): number | undefined {
    const dummy = this.firstIndex() - 1;
    if (i < dummy || i > this.lastIndex()) return undefined;
    const t = this.unstable.maybeTerm(i);
    if (t !== undefined) return t;
    return this.storage.term(i);
  }

  /** Term of entry i, which must exist. */
  mustTerm(i: number): number {
    const t = this.term(i);
    invariant(t !== undefined, () => `term(${i}) outside the log [${this.firstIndex() - 1}, ${this.lastIndex()}]`);
    return t;
  }

  lastTerm(): number {
    return this.mustTerm(this.lastIndex());
  }

  matchTerm(i: number, t: number): boolean {
    return this.term(i) === t;
  }

  /** Raft §5.4.1: a candidate's log is at least as up to date as ours. */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const ourTerm = this.lastTerm();
    return lastTerm > ourTerm || (lastTerm === ourTerm && lastIndex >= this.lastIndex());
  }

  /** Index of the first entry that is not already in our log with the same term, or 0. */
  findConflict(ents: readonly Entry[]): number {
    for (const e of ents) {
      if (!this.matchTerm(e.index, e.term)) return e.index;
    }
    return 0;
  }

  /**
   * Fast backtracking (thesis §5.3 / etcd): the largest index <= `index` whose term is <= `term`,
   * with that term. Terms never decrease along a log, so this is a binary search. If the answer
   * is compacted or unknown, returns [index, 0]-like values that make the leader probe there.
   */
  findConflictByTerm(index: number, term: number): [number, number] {
    const lo0 = this.firstIndex() - 1;
    if (index < lo0 || index > this.lastIndex()) return [index, 0];
    const tIndex = this.mustTerm(index);
    if (tIndex <= term) return [index, tIndex];
    const tLo = this.mustTerm(lo0);
    if (tLo > term) return [Math.max(lo0 - 1, 0), 0];
    let lo = lo0; // term(lo) <= term
    let hi = index; // term(hi) > term
    while (hi - lo > 1) {
      const mid = lo + Math.floor((hi - lo) / 2);
      if (this.mustTerm(mid) <= term) lo = mid;
      else hi = mid;
    }
    return [lo, this.mustTerm(lo)];
  }

  /**
   * Follower side of AppendEntries: if our log has (prevIndex, prevTerm), make the log hold
   * `ents` after it and move commit up to min(leaderCommit, last new index).
   * Returns the last index the message vouches for, or undefined on a log mismatch.
   */
  maybeAppend(prevIndex: number, prevTerm: number, leaderCommit: number, ents: readonly Entry[]): number | undefined {
    if (!this.matchTerm(prevIndex, prevTerm)) return undefined;
    const lastNew = prevIndex + ents.length;
    const ci = this.findConflict(ents);
    if (ci !== 0) {
      invariant(ci > this.committed, () => `entry ${ci} conflicts with committed entry (committed ${this.committed})`);
      this.append(ents.slice(ci - (prevIndex + 1)));
    }
    this.commitTo(Math.min(leaderCommit, lastNew));
    return lastNew;
  }

  /** Appends contiguous entries, replacing any conflicting uncommitted tail. Returns lastIndex. */
  append(ents: readonly Entry[]): number {
    if (ents.length === 0) return this.lastIndex();
    const first = ents[0]!;
    const after = first.index - 1;
    invariant(after >= this.committed, () => `append at ${first.index} would overwrite committed entries (committed ${this.committed})`);
    invariant(after <= this.lastIndex(), () => `append at ${first.index} leaves a gap after ${this.lastIndex()}`);
    const prevTerm = this.term(after);
    invariant(prevTerm === undefined || prevTerm <= first.term, () => `append: term ${first.term} at ${first.index} is below the previous term ${prevTerm}`);
    for (let k = 1; k < ents.length; k++) {
      const a = ents[k - 1]!;
      const b = ents[k]!;
      invariant(b.index === a.index + 1 && b.term >= a.term, () => `append: entries not contiguous at ${a.index}/${a.term} -> ${b.index}/${b.term}`);
    }
    this.unstable.truncateAndAppend(ents);
    return this.lastIndex();
  }

  /** Entries [lo, hi) cut to about maxSize bytes (at least one entry). */
  slice(lo: number, hi: number, maxSize: number): Entry[] {
    invariant(lo >= this.firstIndex() && hi <= this.lastIndex() + 1 && lo <= hi, () => `slice(${lo}, ${hi}) outside [${this.firstIndex()}, ${this.lastIndex() + 1}]`);
    if (lo === hi) return [];
    const uoff = this.unstable.offset;
    let out: Entry[] = [];
    if (lo < uoff) {
      const stored = this.storage.entries(lo, Math.min(hi, uoff), maxSize);
      // Storage cut the batch short (size limit), so there is no room for the unstable part.
      if (stored.length < Math.min(hi, uoff) - lo || hi <= uoff) return stored;
      out = stored;
    }
    const ulo = Math.max(lo, uoff);
    const ents = this.unstable.entries;
    const from = ulo - uoff;
    let room = maxSize;
    for (const e of out) room -= entrySize(e);
    // Still return at least one entry overall.
    const n = out.length === 0 ? countWithinSize(ents, from, hi - uoff, maxSize) : Math.max(0, countWithinRoom(ents, from, hi - uoff, room));
    for (let k = 0; k < n; k++) out.push(ents[from + k]!);
    return out;
  }

  /** True if entries [lo, ...] are still in the log (not compacted). */
  isCompacted(i: number): boolean {
    return i < this.firstIndex();
  }

  /** Committed entries not yet handed to the application, up to maxApplyingSize bytes. */
  nextCommittedEntries(): Entry[] {
    const lo = Math.max(this.applying + 1, this.firstIndex());
    if (lo > this.committed) return [];
    return this.slice(lo, this.committed + 1, this.maxApplyingSize);
  }

  hasNextCommittedEntries(): boolean {
    return Math.max(this.applying + 1, this.firstIndex()) <= this.committed;
  }

  commitTo(c: number): void {
    if (c <= this.committed) return;
    invariant(c <= this.lastIndex(), () => `commit ${c} is beyond the last index ${this.lastIndex()}: was the log corrupted, truncated or lost?`);
    this.committed = c;
  }

  /** Figure 8: commit `maxIndex` only if that entry is from the current term. */
  maybeCommit(maxIndex: number, term: number): boolean {
    if (maxIndex > this.committed && this.term(maxIndex) === term) {
      this.commitTo(maxIndex);
      return true;
    }
    return false;
  }

  acceptApplying(i: number): void {
    invariant(i <= this.committed, () => `applying ${i} beyond commit ${this.committed}`);
    if (i > this.applying) this.applying = i;
  }

  appliedTo(i: number): void {
    invariant(i <= this.committed, () => `applied ${i} beyond commit ${this.committed}`);
    if (i > this.applied) this.applied = i;
    if (i > this.applying) this.applying = i;
  }

  stableTo(i: number, t: number): void {
    this.unstable.stableTo(i, t);
  }

  stableSnapTo(i: number): void {
    this.unstable.stableSnapTo(i);
  }

  /** Installs a snapshot from the leader: the whole log is replaced by it. */
  restore(s: Snapshot): void {
    invariant(s.metadata.index > this.committed, () => `restore: snapshot ${s.metadata.index} is not beyond commit ${this.committed}`);
    this.committed = s.metadata.index;
    this.unstable.restore(s);
  }

  snapshot(): Snapshot {
    return this.unstable.snapshot ?? this.storage.snapshot();
  }
}

function countWithinRoom(ents: readonly Entry[], from: number, to: number, room: number): number {
  let i = from;
  for (; i < to; i++) {
    room -= entrySize(ents[i]!);
    if (room < 0) break;
  }
  return i - from;
}
