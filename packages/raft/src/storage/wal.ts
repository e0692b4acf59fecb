// The WAL writer: appends STATE records to the last segment with group commit, rolls over to a
// new segment when the current one is full, and releases old segments after a snapshot.
//
// Group commit: append() encodes its record at once (so records are in call order and the CRC
// chain follows it) and queues it. One flush loop writes everything queued as a single write and
// a single fdatasync; appends that arrive while that fsync is in flight wait and go together in
// the next one. So N concurrent saves cost about 2 fsyncs, not N.

import { join } from 'node:path';
import { StorageFailedError } from './errors.js';
import type { StorageFile, StorageFs } from './fs.js';
import type { Logger } from './logger.js';
import { encodeSegmentRecord, encodeStateRecord, type SegmentInfo, type StateUpdate } from './record.js';
import { SEGMENT_TMP_SUFFIX, segmentFileName } from './segment-name.js';
import type { SegmentFile, WalContents } from './wal-reader.js';

export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;

export interface WalStats {
  /** append() calls that carried something to write. */
  appends: number;
  /** Write batches (one write() call each). */
  batches: number;
  /** fdatasync calls on segment data (not counting segment creation). */
  fsyncs: number;
  bytesWritten: number;
  segmentsCreated: number;
  segmentsReleased: number;
}

interface WriteOp {
  kind: 'write';
  buf: Buffer | undefined;
  sync: boolean;
  /** Must settle before this op's bytes are written (the snapshot file a restore marker refers to). */
  barrier: Promise<unknown> | undefined;
  resolve: () => void;
  reject: (err: Error) => void;
}

interface CutOp {
  kind: 'cut';
  info: SegmentInfo;
  header: Buffer;
}

type Op = WriteOp | CutOp;

export interface AppendOptions {
  /** fdatasync before resolving (Ready.mustSync). Without it the record is written but may sit in the page cache. */
  sync: boolean;
  barrier?: Promise<unknown>;
}

export class WalWriter {
  readonly stats: WalStats = { appends: 0, batches: 0, fsyncs: 0, bytesWritten: 0, segmentsCreated: 0, segmentsReleased: 0 };
  private readonly segments: SegmentFile[];
  private tail: StorageFile;
  private tailOffset: number;
  private tailDirty = false;
  // The logical end of the log, as of the last append() (ahead of the disk while a flush runs).
  private chain: number;
  private lastIndex: number;
  private seq: number;
  private firstIndex: number;
  private assigned: number;

  private queue: Op[] = [];
  private flushing: Promise<void> | undefined;
  private failed: Error | undefined;
  private closed = false;
  private releasing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly fs: StorageFs,
    private readonly dir: string,
    private readonly segmentBytes: number,
    private readonly logger: Logger,
    init: { segments: SegmentFile[]; tail: StorageFile; tailSize: number; chain: number; lastIndex: number },
  ) {
    this.segments = init.segments;
    const last = init.segments[init.segments.length - 1]!;
    this.tail = init.tail;
    this.tailOffset = init.tailSize;
    this.chain = init.chain;
    this.lastIndex = init.lastIndex;
    this.seq = last.seq;
    this.firstIndex = last.firstIndex;
    this.assigned = init.tailSize;
  }

  /** Continues the log that readWal() read (or starts one, if there was none). */
  static async open(
    fs: StorageFs,
    dir: string,
    logger: Logger,
    contents: WalContents,
    lastIndex: number,
    segmentBytes = DEFAULT_SEGMENT_BYTES,
  ): Promise<WalWriter> {
    const last = contents.segments[contents.segments.length - 1];
    if (last) {
      const tail = await fs.openForWrite(last.path);
      return new WalWriter(fs, dir, segmentBytes, logger, {
        segments: [...contents.segments],
        tail,
        tailSize: contents.tailSize,
        chain: contents.chain,
        lastIndex,
      });
    }
    const info: SegmentInfo = { seq: 0, firstIndex: lastIndex + 1, prevCrc: 0 };
    const header = encodeSegmentRecord(info);
    const tail = await createSegment(fs, dir, info, header.buf);
    const w = new WalWriter(fs, dir, segmentBytes, logger, {
      segments: [{ seq: info.seq, firstIndex: info.firstIndex, path: join(dir, segmentFileName(info)) }],
      tail,
      tailSize: header.buf.length,
      chain: header.crc,
      lastIndex,
    });
    w.stats.segmentsCreated++;
    return w;
  }

  /** Number of segment files currently on disk. */
  get segmentCount(): number {
    return this.segments.length;
  }

  append(update: StateUpdate, options: AppendOptions): Promise<void> {
    if (this.failed) return Promise.reject(new StorageFailedError('the WAL failed earlier; restart the node', { cause: this.failed }));
    if (this.closed) return Promise.reject(new StorageFailedError('the WAL is closed'));
    let buf: Buffer | undefined;
    if (update.snapshot || update.hardState || update.entries.length > 0) {
      try {
        this.checkEntries(update);
        if (this.assigned >= this.segmentBytes) this.cutLater();
        const rec = encodeStateRecord(update, this.chain);
        this.chain = rec.crc;
        this.assigned += rec.buf.length;
        buf = rec.buf;
      } catch (err) {
        return Promise.reject(err);
      }
      if (update.snapshot && update.restore) this.lastIndex = update.snapshot.index;
      const lastEntry = update.entries[update.entries.length - 1];
      if (lastEntry) this.lastIndex = lastEntry.index;
      this.stats.appends++;
    }
    // An empty append still queues, so it resolves only after everything before it.
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ kind: 'write', buf, sync: options.sync, barrier: options.barrier, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Deletes the oldest segments that hold only entries at or below `index` (which a durable
   * snapshot covers). The last segment always stays.
   */
  releaseTo(index: number): Promise<void> {
    const work = this.releasing.then(async () => {
      let released = 0;
      while (this.segments.length > 1 && this.segments[1]!.firstIndex <= index) {
        const doomed = this.segments[0]!;
        await this.fs.unlink(doomed.path);
        this.segments.shift();
        this.stats.segmentsReleased++;
        released++;
      }
      if (released > 0) {
        await this.fs.syncDir(this.dir);
        this.logger.debug({ released, upTo: index }, 'released WAL segments');
      }
    });
    this.releasing = work.catch(() => {});
    return work;
  }

  /** Waits for queued appends, syncs and closes the tail segment. Appends after close() fail. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing) await this.flushing;
    await this.releasing;
    try {
      if (!this.failed && this.tailDirty) await this.tail.datasync();
    } finally {
      await this.tail.close().catch(() => {});
    }
  }

  private checkEntries(u: StateUpdate): void {
    const first = u.entries[0];
    if (!first) return;
    for (let i = 1; i < u.entries.length; i++) {
      if (u.entries[i]!.index !== first.index + i) throw new RangeError(`entries not contiguous at index ${u.entries[i]!.index}`);
    }
    const last = u.snapshot && u.restore ? u.snapshot.index : this.lastIndex;
    if (first.index > last + 1) throw new RangeError(`entry ${first.index} would leave a gap after the last index ${last}`);
    if (first.index < 1) throw new RangeError(`entry index ${first.index} is below 1`);
  }

  /** Starts a new segment in the logical log; the flush loop creates its file in order. */
  private cutLater(): void {
    // Named by the index it expects next; never below its predecessor's, so names stay ordered.
    const info: SegmentInfo = { seq: this.seq + 1, firstIndex: Math.max(this.lastIndex + 1, this.firstIndex), prevCrc: this.chain };
    const header = encodeSegmentRecord(info);
    this.seq = info.seq;
    this.firstIndex = info.firstIndex;
    this.chain = header.crc;
    this.assigned = header.buf.length;
    this.queue.push({ kind: 'cut', info, header: header.buf });
  }

  private schedule(): void {
    if (this.flushing) return;
    // Start on a microtask: appends made in the same synchronous run join the first batch.
    this.flushing = Promise.resolve()
      .then(() => this.flushLoop())
      .finally(() => {
        this.flushing = undefined;
        if (this.queue.length > 0) this.schedule();
      });
  }

  private async flushLoop(): Promise<void> {
    while (this.queue.length > 0) {
      const ops = this.queue;
      this.queue = [];
      if (this.failed) {
        this.rejectAll(ops, this.failed);
        continue;
      }
      let i = 0;
      try {
        const barriers = ops.flatMap((op) => (op.kind === 'write' && op.barrier ? [op.barrier] : []));
        if (barriers.length > 0) await Promise.all(barriers);
        let from = 0;
        for (; i < ops.length; i++) {
          const op = ops[i]!;
          if (op.kind !== 'cut') continue;
          await this.writeOut(ops, from, i, true);
          await this.cutNow(op);
          from = i + 1;
        }
        await this.writeOut(ops, from, ops.length, false);
      } catch (err) {
        this.failed = err instanceof Error ? err : new Error(String(err));
        this.logger.error({ err: this.failed.message, dir: this.dir }, 'WAL write failed; every further save will fail');
        const unresolved = ops.filter((op) => !('done' in op));
        this.rejectAll(unresolved, this.failed);
      }
    }
  }

  /** Writes ops[from, to) in one write, fsyncs if any asked for it (or `forceSync`), and resolves them. */
  private async writeOut(ops: Op[], from: number, to: number, forceSync: boolean): Promise<void> {
    const bufs: Buffer[] = [];
    let sync = forceSync;
    for (let i = from; i < to; i++) {
      const op = ops[i] as WriteOp;
      if (op.buf) bufs.push(op.buf);
      sync ||= op.sync;
    }
    if (bufs.length > 0) {
      const data = bufs.length === 1 ? bufs[0]! : Buffer.concat(bufs);
      await this.tail.write(data, this.tailOffset);
      this.tailOffset += data.length;
      this.tailDirty = true;
      this.stats.batches++;
      this.stats.bytesWritten += data.length;
    }
    if (sync && this.tailDirty) {
      await this.tail.datasync();
      this.tailDirty = false;
      this.stats.fsyncs++;
    }
    for (let i = from; i < to; i++) {
      const op = ops[i] as WriteOp & { done?: true };
      op.done = true;
      op.resolve();
    }
  }

  private async cutNow(op: CutOp): Promise<void> {
    const file = await createSegment(this.fs, this.dir, op.info, op.header);
    const old = this.tail;
    this.tail = file;
    this.tailOffset = op.header.length;
    this.tailDirty = false;
    this.segments.push({ seq: op.info.seq, firstIndex: op.info.firstIndex, path: join(this.dir, segmentFileName(op.info)) });
    this.stats.segmentsCreated++;
    (op as CutOp & { done?: true }).done = true;
    await old.close();
    this.logger.debug({ seq: op.info.seq, firstIndex: op.info.firstIndex }, 'started a new WAL segment');
  }

  private rejectAll(ops: Op[], cause: Error): void {
    const err = new StorageFailedError(`WAL write failed: ${cause.message}`, { cause });
    for (const op of ops) if (op.kind === 'write') op.reject(err);
    for (const op of this.queue.splice(0)) if (op.kind === 'write') op.reject(err);
  }
}

/** Creates a segment whole: header into a temp file, fsync, rename, fsync the directory. */
async function createSegment(fs: StorageFs, dir: string, info: SegmentInfo, header: Buffer): Promise<StorageFile> {
  const path = join(dir, segmentFileName(info));
  const tmp = path.slice(0, -'.wal'.length) + SEGMENT_TMP_SUFFIX;
  const f = await fs.create(tmp);
  try {
    await f.write(header, 0);
    await f.datasync();
    await fs.rename(tmp, path);
    await fs.syncDir(dir);
  } catch (err) {
    await f.close().catch(() => {});
    throw err;
  }
  return f;
}
