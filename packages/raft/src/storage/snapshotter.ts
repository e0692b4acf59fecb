// Snapshot files: <term>-<index>.snap (16 hex digits each, as etcd names them).
//
//   0   "KSNP"
//   4   u32 format version (1)
//   8   u32 metadata length, then SnapshotMetadata
//   ..  u64 data length, then the data
//   end u32 CRC-32C of every byte before it
//
// Written atomically: a temp file, fsync, rename, fsync of the directory. A crash leaves either
// the old set of files or the new one, plus perhaps a temp file, which is ignored and removed.

import { join } from 'node:path';
import type { Snapshot, SnapshotMetadata } from '../types.js';
import { crc32c } from './crc32c.js';
import { readSnapshotMetadata, Reader, snapshotMetadataSize, writeSnapshotMetadata, Writer } from './codec.js';
import { CodecError } from './errors.js';
import type { StorageFs } from './fs.js';
import type { Logger } from './logger.js';

const MAGIC = 0x504e534b; // "KSNP" read as little-endian u32
const VERSION = 1;
const SUFFIX = '.snap';
const TMP_SUFFIX = '.snap.tmp';
const BROKEN_SUFFIX = '.snap.broken';
const PATTERN = /^([0-9a-f]{16})-([0-9a-f]{16})\.snap$/;

export interface SnapshotRef {
  term: number;
  index: number;
  path: string;
}

const hex16 = (n: number): string => n.toString(16).padStart(16, '0');

export function snapshotFileName(m: { term: number; index: number }): string {
  return `${hex16(m.term)}-${hex16(m.index)}${SUFFIX}`;
}

/** Newest first: by index, then term. */
const newestFirst = (a: SnapshotRef, b: SnapshotRef): number => b.index - a.index || b.term - a.term;

export class Snapshotter {
  /** Saves run one at a time: two saves of one snapshot would otherwise share a temp file. */
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly fs: StorageFs,
    readonly dir: string,
    private readonly logger: Logger,
  ) {}

  /** Removes temp files left by a crash during a save. */
  async cleanup(): Promise<void> {
    for (const name of await this.fs.readdir(this.dir)) {
      if (name.endsWith(TMP_SUFFIX)) {
        this.logger.warn({ file: join(this.dir, name) }, 'removing a snapshot file whose write was interrupted');
        await this.fs.unlink(join(this.dir, name));
      }
    }
  }

  async list(): Promise<SnapshotRef[]> {
    const refs: SnapshotRef[] = [];
    for (const name of await this.fs.readdir(this.dir)) {
      const m = PATTERN.exec(name);
      if (!m) continue;
      refs.push({ term: Number.parseInt(m[1]!, 16), index: Number.parseInt(m[2]!, 16), path: join(this.dir, name) });
    }
    return refs.sort(newestFirst);
  }

  save(snap: Snapshot): Promise<void> {
    const run = this.saving.then(() => this.write(snap));
    this.saving = run.catch(() => {});
    return run;
  }

  private async write(snap: Snapshot): Promise<void> {
    const { metadata, data } = snap;
    const metaSize = snapshotMetadataSize(metadata);
    const head = new Writer(Buffer.allocUnsafe(12 + metaSize + 8));
    head.u32(MAGIC);
    head.u32(VERSION);
    head.u32(metaSize);
    writeSnapshotMetadata(head, metadata);
    head.u64(data.length, 'snapshot data length');
    const crc = crc32c(data, crc32c(head.buf));
    const tail = Buffer.allocUnsafe(4);
    tail.writeUInt32LE(crc, 0);

    const path = join(this.dir, snapshotFileName(metadata));
    const tmp = path.slice(0, -SUFFIX.length) + TMP_SUFFIX;
    await this.fs.unlink(tmp).catch(() => {});
    const f = await this.fs.create(tmp);
    try {
      // Three writes rather than one concatenation: the data may be hundreds of MiB.
      await f.write(head.buf, 0);
      await f.write(data, head.buf.length);
      await f.write(tail, head.buf.length + data.length);
      await f.datasync();
    } finally {
      await f.close();
    }
    await this.fs.rename(tmp, path);
    await this.fs.syncDir(this.dir);
  }

  /** Loads and verifies a snapshot file; a damaged one is renamed aside and undefined returned. */
  async load(ref: SnapshotRef): Promise<Snapshot | undefined> {
    let buf: Uint8Array;
    try {
      buf = await this.fs.readFile(ref.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      return decodeSnapshotFile(buf, ref);
    } catch (err) {
      if (!(err instanceof CodecError)) throw err;
      const broken = ref.path.slice(0, -SUFFIX.length) + BROKEN_SUFFIX;
      this.logger.error({ file: ref.path, err: err.message, movedTo: broken }, 'snapshot file is damaged; setting it aside');
      await this.fs.rename(ref.path, broken);
      await this.fs.syncDir(this.dir);
      return undefined;
    }
  }

  /** Keeps the `keep` newest snapshots at or below `upTo` (newer ones may be in flight); deletes older ones. */
  async purge(keep: number, upTo: number): Promise<void> {
    const older = (await this.list()).filter((r) => r.index <= upTo).slice(keep);
    for (const r of older) await this.fs.unlink(r.path);
    if (older.length > 0) await this.fs.syncDir(this.dir);
  }
}

function decodeSnapshotFile(buf: Uint8Array, ref: SnapshotRef): Snapshot {
  if (buf.length < 12 + 4) throw new CodecError(`snapshot file too short (${buf.length} bytes)`, 0);
  const stored = new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getUint32(buf.length - 4, true);
  if (crc32c(buf, 0, 0, buf.length - 4) !== stored) throw new CodecError('snapshot checksum mismatch', buf.length - 4);
  const r = new Reader(buf, 0, buf.length - 4);
  if (r.u32('magic') !== MAGIC) throw new CodecError('not a snapshot file', 0);
  const version = r.u32('version');
  if (version !== VERSION) throw new CodecError(`unknown snapshot format version ${version}`, 4);
  const metaLen = r.u32('metadata length');
  const metaEnd = r.pos + metaLen;
  if (metaLen > r.remaining) throw new CodecError('metadata length exceeds the file', 8);
  const metaReader = new Reader(buf, r.pos, metaEnd);
  const metadata: SnapshotMetadata = readSnapshotMetadata(metaReader);
  metaReader.done('snapshot metadata');
  r.pos = metaEnd;
  const dataLen = r.u64('data length');
  if (dataLen !== r.remaining) throw new CodecError(`data length ${dataLen} but ${r.remaining} bytes present`, r.pos - 8);
  if (metadata.index !== ref.index || metadata.term !== ref.term) {
    throw new CodecError(`metadata (term ${metadata.term}, index ${metadata.index}) does not match the file name`, 12);
  }
  // A view, not a copy: the buffer was read for this snapshot alone.
  const data = new Uint8Array(buf.buffer, buf.byteOffset + r.pos, dataLen);
  return { metadata, data };
}
