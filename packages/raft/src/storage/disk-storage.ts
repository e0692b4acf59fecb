// The storage adapter a Raft node uses: durable hard state, log entries and snapshots in a data
// directory (<dir>/wal/*.wal, <dir>/snap/*.snap).
//
// It is write-only in steady state. At startup, open() recovers the state (newest usable
// snapshot, then the WAL after it) and recover() hands it out, to seed the core's in-memory
// log storage; from then on the node persists each Ready with save() before sending its messages.

import { dirname, join } from 'node:path';
import type { Entry, HardState, Ready, Snapshot, SnapshotMetadata } from '../types.js';
import { CorruptionError } from './errors.js';
import { nodeFs, type StorageFs } from './fs.js';
import { LogRebuilder } from './log-rebuild.js';
import { noopLogger, type Logger } from './logger.js';
import { Snapshotter } from './snapshotter.js';
import { readWal } from './wal-reader.js';
import { DEFAULT_SEGMENT_BYTES, WalWriter, type WalStats } from './wal.js';

export interface DiskStorageOptions {
  /** File system to use (tests inject counting or crashing ones). Default: node:fs. */
  fs?: StorageFs;
  /** Roll over to a new WAL segment past this size. Default 64 MiB. */
  segmentBytes?: number;
  /** Snapshot files to keep. Default 3. */
  snapshotsToKeep?: number;
  logger?: Logger;
}

export interface RecoveredState {
  hardState: HardState;
  /** The newest snapshot the WAL recorded and whose file is intact; absent for a log that starts at index 1. */
  snapshot: Snapshot | undefined;
  /** Entries after the snapshot (or from index 1), contiguous. */
  entries: Entry[];
}

export interface SaveOptions {
  /** fdatasync before resolving. Default true; pass Ready.mustSync to skip the fsync when Raft allows it. */
  sync?: boolean;
}

export interface StorageStats extends WalStats {
  saves: number;
  snapshotsSaved: number;
  segments: number;
}

export class DiskStorage {
  private saves = 0;
  private snapshotsSaved = 0;

  private constructor(
    readonly dir: string,
    private readonly wal: WalWriter,
    private readonly snapshotter: Snapshotter,
    private readonly recovered: RecoveredState,
    private readonly snapshotsToKeep: number,
    private readonly logger: Logger,
  ) {}

  /**
   * Opens (or creates) the data directory and recovers its state. A torn WAL tail is cut away;
   * any other damage throws CorruptionError naming the file and byte offset.
   */
  static async open(dir: string, options: DiskStorageOptions = {}): Promise<DiskStorage> {
    const fs = options.fs ?? nodeFs;
    const logger = options.logger ?? noopLogger;
    const walDir = join(dir, 'wal');
    const snapDir = join(dir, 'snap');
    const createdWal = await fs.mkdirp(walDir);
    const createdSnap = await fs.mkdirp(snapDir);
    if (createdWal || createdSnap) {
      // Make the new directories themselves durable.
      await fs.syncDir(dir);
      await fs.syncDir(dirname(dir));
    }
    const snapshotter = new Snapshotter(fs, snapDir, logger);
    await snapshotter.cleanup();

    const contents = await readWal(fs, walDir, logger);
    if (contents.segments.length === 0 && (await snapshotter.list()).length > 0) {
      // Starting over would forget this member's term and vote: it could vote twice in a term.
      throw new CorruptionError(walDir, 0, 'no WAL segments, yet snapshot files exist (was the WAL deleted?)');
    }
    const first = contents.segments[0];
    const rebuilder = new LogRebuilder(first ? first.firstIndex - 1 : 0);
    for (const rec of contents.records) rebuilder.apply(rec);

    const snapshot = await pickSnapshot(snapshotter, rebuilder.markers.map((m) => m.metadata), logger);
    const { hardState, entries } = rebuilder.finish(snapshot?.metadata, walDir);
    const lastIndex = entries[entries.length - 1]?.index ?? snapshot?.metadata.index ?? 0;
    const wal = await WalWriter.open(fs, walDir, logger, contents, lastIndex, options.segmentBytes ?? DEFAULT_SEGMENT_BYTES);
    logger.info(
      {
        dir,
        segments: contents.segments.length,
        snapshotIndex: snapshot?.metadata.index ?? 0,
        firstIndex: entries[0]?.index,
        lastIndex,
        term: hardState.term,
        commit: hardState.commit,
      },
      'recovered raft storage',
    );
    return new DiskStorage(dir, wal, snapshotter, { hardState, snapshot, entries }, options.snapshotsToKeep ?? 3, logger);
  }

  /** The state found at open(): seed the core's log storage with it. */
  recover(): RecoveredState {
    return this.recovered;
  }

  /**
   * Persists a Ready's hard state, entries and (installed) snapshot; resolves once they are durable.
   * Entries starting at index i replace any saved entries from i on; a snapshot replaces the whole
   * log before the entries. Concurrent calls share fsyncs (group commit) and take effect in call order.
   */
  save(hardState: HardState | undefined, entries: Entry[], snapshot?: Snapshot, options: SaveOptions = {}): Promise<void> {
    this.saves++;
    const sync = options.sync ?? true;
    if (!snapshot) return this.wal.append({ hardState, entries }, { sync });
    // The snapshot file must be durable before the marker that makes recovery use it.
    const file = this.snapshotter.save(snapshot);
    file.catch(() => {}); // reported through the append below
    this.snapshotsSaved++;
    const appended = this.wal.append({ snapshot: snapshot.metadata, restore: true, hardState, entries }, { sync: true, barrier: file });
    return appended.then(() => this.purge(snapshot.metadata));
  }

  /** save() of a Ready, fsyncing only if Ready.mustSync says so. */
  saveReady(rd: Ready): Promise<void> {
    return this.save(rd.hardState, rd.entries, rd.snapshot, { sync: rd.mustSync || rd.snapshot !== undefined });
  }

  /**
   * Persists a snapshot the application took of its own state (log compaction). The log stays; call
   * releaseTo(snapshot.metadata.index) afterwards to delete the WAL segments it makes unnecessary.
   */
  async saveSnapshot(snapshot: Snapshot): Promise<void> {
    await this.snapshotter.save(snapshot);
    this.snapshotsSaved++;
    // A local snapshot does not change the log, so its marker need not be ordered with other saves.
    await this.wal.append({ snapshot: snapshot.metadata, entries: [] }, { sync: true });
    await this.purge(snapshot.metadata);
  }

  /** Deletes WAL segments holding only entries at or below `index`, which a saved snapshot must cover. */
  releaseTo(index: number): Promise<void> {
    return this.wal.releaseTo(index);
  }

  get stats(): StorageStats {
    return { ...this.wal.stats, saves: this.saves, snapshotsSaved: this.snapshotsSaved, segments: this.wal.segmentCount };
  }

  /** Waits for pending saves, then closes the files. */
  close(): Promise<void> {
    return this.wal.close();
  }

  private async purge(newest: SnapshotMetadata): Promise<void> {
    try {
      await this.snapshotter.purge(this.snapshotsToKeep, newest.index);
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'could not delete old snapshot files');
    }
  }
}

/** What seedLogStorage needs: the core's MemoryStorage has this shape. */
export interface LogStorageTarget {
  applySnapshot(snapshot: Snapshot): void;
  setHardState(hardState: HardState): void;
  append(entries: readonly Entry[]): void;
}

/** Loads recovered state into the core's in-memory log storage (snapshot, then entries, then hard state). */
export function seedLogStorage(target: LogStorageTarget, state: RecoveredState): void {
  if (state.snapshot) target.applySnapshot(state.snapshot);
  target.append(state.entries);
  target.setHardState(state.hardState);
}

/** The newest snapshot that has a WAL marker (so it was fully saved) and an intact file. */
async function pickSnapshot(snapshotter: Snapshotter, markers: SnapshotMetadata[], logger: Logger): Promise<Snapshot | undefined> {
  const files = await snapshotter.list();
  const recorded = [...markers].sort((a, b) => b.index - a.index || b.term - a.term);
  for (const m of recorded) {
    const ref = files.find((f) => f.index === m.index && f.term === m.term);
    if (!ref) continue;
    const snap = await snapshotter.load(ref);
    if (snap) return snap;
  }
  const orphans = files.filter((f) => !markers.some((m) => m.index === f.index && m.term === f.term));
  if (orphans.length > 0) {
    logger.info({ files: orphans.map((f) => f.path) }, 'ignoring snapshot files the WAL never recorded (a crash while saving them)');
  }
  return undefined;
}
