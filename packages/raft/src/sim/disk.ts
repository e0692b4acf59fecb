// A replica's disk as a write-ahead log sees it. Everything written with fsync is durable; a write
// without fsync (a Ready whose only change is the commit index) lingers in the page cache until
// the next fsync. A crash keeps a prefix of what was not yet synced: the torn tail a real WAL
// truncates at recovery. Within a Ready the records go snapshot, entries, hard state, so a torn
// write never leaves a commit index pointing past the entries on disk.
import { emptyHardState, MemoryStorage } from '../core/storage.js';
import type { Entry, HardState, Snapshot } from '../types.js';

export type DiskRecord = { kind: 'hardState'; hs: HardState } | { kind: 'snapshot'; snap: Snapshot } | { kind: 'entries'; ents: Entry[] };

export class Disk {
  /** What the core reads: the durable log plus any unsynced hard state. */
  readonly storage = new MemoryStorage();
  /** The hard state that survives a crash. */
  durableHard: HardState = emptyHardState();
  private unsynced: HardState | undefined;

  /** A write without fsync: only the commit index changed. */
  writeUnsynced(hs: HardState): void {
    this.storage.setHardState(hs);
    this.unsynced = hs;
  }

  /** A write followed by fsync: it and everything before it is durable. */
  writeSynced(snap: Snapshot | undefined, ents: Entry[], hs: HardState | undefined): void {
    if (snap) this.storage.applySnapshot(snap);
    this.storage.append(ents);
    if (hs) this.storage.setHardState(hs);
    this.durableHard = this.storage.hardStateNow();
    this.unsynced = undefined;
  }

  /** An fsync on its own (e.g. the application saving a snapshot syncs the WAL too). */
  sync(): void {
    this.durableHard = this.storage.hardStateNow();
    this.unsynced = undefined;
  }

  /**
   * The machine crashed while `inFlight` (a Ready's records) was being written. `keep` of the
   * unsynced records survive, in order: first the lingering hard state, then the Ready's.
   * Returns how many records were kept.
   */
  crash(inFlight: DiskRecord[], keep: number): number {
    const recs: DiskRecord[] = [];
    if (this.unsynced) recs.push({ kind: 'hardState', hs: this.unsynced });
    for (const r of inFlight) recs.push(r);
    const k = Math.min(keep, recs.length);
    // Unsynced writes never reached the disk unless kept below.
    this.storage.setHardState(this.durableHard);
    for (const r of recs.slice(0, k)) {
      if (r.kind === 'hardState') this.storage.setHardState(r.hs);
      else if (r.kind === 'snapshot') this.storage.applySnapshot(r.snap);
      else this.storage.append(r.ents);
    }
    this.durableHard = this.storage.hardStateNow();
    this.unsynced = undefined;
    return k;
  }
}

/** A Ready's writes as WAL records, in the order a WAL must write them. */
export function readyRecords(snap: Snapshot | undefined, ents: Entry[], hs: HardState | undefined): DiskRecord[] {
  const recs: DiskRecord[] = [];
  if (snap) recs.push({ kind: 'snapshot', snap });
  // One record per entry, so a torn write can keep any prefix of them.
  for (const e of ents) recs.push({ kind: 'entries', ents: [e] });
  if (hs) recs.push({ kind: 'hardState', hs });
  return recs;
}
