// The core's read-only view of the durable log, and MemoryStorage, the in-memory implementation
// the simulation and tests use (and that a WAL adapter can keep as its read cache, as etcd does).
//
// The core only reads Storage. The application writes it, following the Ready order: append
// Ready.entries, set Ready.hardState, apply Ready.snapshot (all durably) before sending the
// Ready's messages and before calling advance().
import type { ConfState, Entry, HardState, Snapshot } from '../types.js';
import { invariant } from './assert.js';
import { countWithinSize } from './entries.js';
import { CompactedError, SnapshotOutOfDateError, UnavailableError } from './errors.js';

export interface InitialState {
  hardState: HardState;
  /** The configuration as of the latest snapshot; later changes are replayed from the log. */
  confState: ConfState;
}

export interface Storage {
  initialState(): InitialState;
  /**
   * Entries [lo, hi), cut to about maxSize bytes but never to less than one entry.
   * Throws CompactedError if lo <= the snapshot index, UnavailableError if hi > lastIndex()+1.
   * The core never mutates the returned entries; the storage must not mutate them either.
   */
  entries(lo: number, hi: number, maxSize: number): Entry[];
  /** Term of entry i; i may be firstIndex()-1 (the snapshot's own index and term). */
  term(i: number): number;
  /** The first index still in the log (snapshot index + 1). */
  firstIndex(): number;
  /** The last index in the log (the snapshot index if the log is empty). */
  lastIndex(): number;
  /** The most recent snapshot; may throw SnapshotTemporarilyUnavailableError. */
  snapshot(): Snapshot;
}

export function emptyHardState(): HardState {
  return { term: 0, vote: 0, commit: 0 };
}

export function emptySnapshot(): Snapshot {
  return { metadata: { index: 0, term: 0, confState: { voters: [], learners: [] } }, data: new Uint8Array(0) };
}

export class MemoryStorage implements Storage {
  private hardState: HardState = emptyHardState();
  private snap: Snapshot = emptySnapshot();
  // ents[0] is a placeholder at the snapshot's index and term, so term(firstIndex-1) works and
  // offsets stay simple: entry i lives at ents[i - ents[0].index].
  private ents: Entry[] = [{ term: 0, index: 0, type: 'normal', data: new Uint8Array(0) }];

  initialState(): InitialState {
    return { hardState: { ...this.hardState }, confState: cloneConfState(this.snap.metadata.confState) };
  }

  setHardState(hs: HardState): void {
    this.hardState = { ...hs };
  }

  hardStateNow(): HardState {
    return { ...this.hardState };
  }

  private get offset(): number {
    return this.ents[0]!.index;
  }

  firstIndex(): number {
    return this.offset + 1;
  }

  lastIndex(): number {
    return this.offset + this.ents.length - 1;
  }

  term(i: number): number {
    const off = this.offset;
    if (i < off) throw new CompactedError(`term(${i}): compacted (first index ${off + 1})`);
    if (i - off >= this.ents.length) throw new UnavailableError(`term(${i}): beyond last index ${this.lastIndex()}`);
    return this.ents[i - off]!.term;
  }

  entries(lo: number, hi: number, maxSize: number): Entry[] {
    const off = this.offset;
    if (lo <= off) throw new CompactedError(`entries(${lo}, ${hi}): compacted (first index ${off + 1})`);
    if (hi > this.lastIndex() + 1) throw new UnavailableError(`entries(${lo}, ${hi}): beyond last index ${this.lastIndex()}`);
    invariant(lo <= hi, () => `entries(${lo}, ${hi}): lo > hi`);
    const from = lo - off;
    const n = countWithinSize(this.ents, from, hi - off, maxSize);
    return this.ents.slice(from, from + n);
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  /**
   * Sets the initial configuration of an empty storage (the alternative to RaftNodeConfig.peers:
   * no bootstrap entries, the log starts empty at index 1). Every initial member must agree.
   */
  initialize(confState: ConfState): void {
    invariant(this.lastIndex() === 0 && this.snap.metadata.index === 0, 'initialize() needs an empty storage');
    this.snap = { ...this.snap, metadata: { ...this.snap.metadata, confState: cloneConfState(confState) } };
  }

  /** Replaces the whole log with a snapshot received from the leader (Ready.snapshot). */
  applySnapshot(snap: Snapshot): void {
    if (snap.metadata.index <= this.snap.metadata.index) {
      throw new SnapshotOutOfDateError(`snapshot at ${snap.metadata.index} is not newer than ${this.snap.metadata.index}`);
    }
    this.snap = snap;
    this.ents = [{ term: snap.metadata.term, index: snap.metadata.index, type: 'normal', data: new Uint8Array(0) }];
  }

  /**
   * Records a snapshot of the application's state as of applied index i (the application then
   * usually calls compact(i) or compact a little below i, to keep entries for slow followers).
   */
  createSnapshot(i: number, confState: ConfState, data: Uint8Array): Snapshot {
    if (i <= this.snap.metadata.index) {
      throw new SnapshotOutOfDateError(`snapshot at ${i} is not newer than ${this.snap.metadata.index}`);
    }
    invariant(i <= this.lastIndex(), () => `createSnapshot(${i}) beyond last index ${this.lastIndex()}`);
    this.snap = { metadata: { index: i, term: this.term(i), confState: cloneConfState(confState) }, data };
    return this.snap;
  }

  /** Discards entries up to and including i, which a snapshot must already cover. */
  compact(i: number): void {
    const off = this.offset;
    if (i <= off) throw new CompactedError(`compact(${i}): already compacted to ${off}`);
    invariant(i <= this.lastIndex(), () => `compact(${i}) beyond last index ${this.lastIndex()}`);
    invariant(i <= this.snap.metadata.index, () => `compact(${i}) beyond the snapshot at ${this.snap.metadata.index}: entries would be lost`);
    const keep = this.ents.slice(i - off + 1);
    this.ents = [{ term: this.ents[i - off]!.term, index: i, type: 'normal', data: new Uint8Array(0) }];
    for (const e of keep) this.ents.push(e);
  }

  /** Appends entries from Ready.entries, replacing any conflicting suffix. */
  append(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    const first = this.firstIndex();
    const e0 = entries[0]!.index;
    const last = e0 + entries.length - 1;
    if (last < first) return; // all already compacted away
    const skip = first > e0 ? first - e0 : 0;
    const start = e0 + skip;
    const at = start - this.offset;
    invariant(at <= this.ents.length, () => `append: gap before index ${start} (last index ${this.lastIndex()})`);
    if (at < this.ents.length) this.ents.length = at; // a new leader overwrote our uncommitted tail
    let prev = this.ents[at - 1]!;
    for (let k = skip; k < entries.length; k++) {
      const e = entries[k]!;
      invariant(e.index === prev.index + 1 && e.term >= prev.term, () => `append: entry ${e.index}/${e.term} does not follow ${prev.index}/${prev.term}`);
      this.ents.push(e);
      prev = e;
    }
  }
}

export function cloneConfState(cs: ConfState): ConfState {
  return { voters: [...cs.voters], learners: [...cs.learners] };
}
