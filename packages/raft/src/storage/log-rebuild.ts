// Replays WAL records into the log they describe, with Raft's overwrite semantics: entries saved
// starting at index i replace the log from i on (the core only hands out entries from the first
// conflicting index), and a restore marker (an installed snapshot) replaces the whole log.

import type { Entry, HardState, SnapshotMetadata } from '../types.js';
import { CorruptionError } from './errors.js';
import type { WalRecord } from './wal-reader.js';

export interface SnapshotMarker {
  metadata: SnapshotMetadata;
  file: string;
  offset: number;
}

export class LogRebuilder {
  /** Index just before `entries[0]`: entries up to it are in released segments or a snapshot. */
  base: number;
  entries: Entry[] = [];
  hardState: HardState | undefined;
  readonly markers: SnapshotMarker[] = [];

  constructor(base: number) {
    this.base = base;
  }

  get lastIndex(): number {
    return this.base + this.entries.length;
  }

  apply(rec: WalRecord): void {
    const { update } = rec;
    if (update.snapshot) {
      this.markers.push({ metadata: update.snapshot, file: rec.file, offset: rec.offset });
      if (update.restore) {
        this.base = update.snapshot.index;
        this.entries = [];
      }
    }
    if (update.hardState) this.hardState = update.hardState;
    const ents = update.entries;
    const first = ents[0];
    if (!first) return;
    for (let i = 1; i < ents.length; i++) {
      if (ents[i]!.index !== first.index + i) {
        throw new CorruptionError(rec.file, rec.offset, `entries not contiguous: index ${ents[i]!.index} follows ${first.index + i - 1}`);
      }
    }
    if (first.index > this.lastIndex + 1) {
      throw new CorruptionError(rec.file, rec.offset, `gap in the log: entry ${first.index} follows ${this.lastIndex}`);
    }
    if (first.index <= this.base) {
      // Overwrites entries we no longer have: all that we have is replaced.
      this.entries = ents.slice(this.base + 1 - first.index);
    } else {
      this.entries.length = first.index - this.base - 1;
      for (const e of ents) this.entries.push(e);
    }
  }

  /** The log as of `snapshot` (entries after it), checking that nothing between them is missing. */
  finish(snapshot: SnapshotMetadata | undefined, where: string): { hardState: HardState; entries: Entry[] } {
    const snapIndex = snapshot?.index ?? 0;
    if (this.base > snapIndex) {
      throw new CorruptionError(
        where,
        0,
        snapshot
          ? `the log starts after index ${this.base} but the newest usable snapshot is at ${snapIndex}`
          : `the log starts after index ${this.base} and there is no usable snapshot`,
      );
    }
    const at = this.entries[snapIndex - this.base - 1];
    if (snapshot && at && at.term !== snapshot.term) {
      throw new CorruptionError(where, 0, `entry ${snapIndex} has term ${at.term} but the snapshot at it has term ${snapshot.term}`);
    }
    const entries = snapIndex >= this.lastIndex ? [] : this.entries.slice(snapIndex - this.base);
    const hs = this.hardState ?? { term: 0, vote: 0, commit: 0 };
    // A snapshot is committed state: the commit index is at least its index.
    const hardState = hs.commit < snapIndex ? { ...hs, commit: snapIndex } : hs;
    return { hardState, entries };
  }
}
