// The few file operations the WAL and the snapshotter need, behind an interface so that tests can
// count fsyncs or simulate a crash, and the simulation can run the real log logic in memory
// (memory-fs.ts). nodeFs is the real thing.

import { promises as fsp, writeSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

export interface StorageFile {
  /** Writes all of `data` at `position` (loops over short writes). */
  write(data: Uint8Array, position: number): Promise<void>;
  /** fdatasync: the written data (and the size, if it grew) is durable when this resolves. */
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

export interface StorageFs {
  /** mkdir -p; true if it created something. */
  mkdirp(dir: string): Promise<boolean>;
  /** File names in `dir` (not paths). */
  readdir(dir: string): Promise<string[]>;
  readFile(path: string): Promise<Uint8Array>;
  /** Creates a new file for writing; fails if it exists. */
  create(path: string): Promise<StorageFile>;
  /** Opens an existing file for writing (not appending: writes go where `position` says). */
  openForWrite(path: string): Promise<StorageFile>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** fsync a directory, making the creations, renames and deletions in it durable. */
  syncDir(dir: string): Promise<void>;
}

/**
 * Writes up to this size are copied into the page cache on the calling thread. That takes
 * microseconds, while a thread-pool write costs two thread wake-ups: on a busy or virtualised
 * machine those cost more than the copy. The fdatasync that makes the bytes durable still runs
 * off the event loop. Larger writes (snapshots) go to the thread pool so they never stall it.
 */
const INLINE_WRITE_BYTES = 256 * 1024;

class NodeFile implements StorageFile {
  constructor(private readonly fh: FileHandle) {}

  async write(data: Uint8Array, position: number): Promise<void> {
    let off = 0;
    while (off < data.length) {
      const bytesWritten =
        data.length <= INLINE_WRITE_BYTES
          ? writeSync(this.fh.fd, data, off, data.length - off, position + off)
          : (await this.fh.write(data, off, data.length - off, position + off)).bytesWritten;
      if (bytesWritten <= 0) throw new Error(`short write: 0 of ${data.length - off} bytes`);
      off += bytesWritten;
    }
  }

  datasync(): Promise<void> {
    return this.fh.datasync();
  }

  truncate(length: number): Promise<void> {
    return this.fh.truncate(length);
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}

export const nodeFs: StorageFs = {
  async mkdirp(dir) {
    return (await fsp.mkdir(dir, { recursive: true })) !== undefined;
  },
  readdir: (dir) => fsp.readdir(dir),
  readFile: (path) => fsp.readFile(path),
  create: async (path) => new NodeFile(await fsp.open(path, 'wx')),
  openForWrite: async (path) => new NodeFile(await fsp.open(path, 'r+')),
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
  async syncDir(dir) {
    const fh = await fsp.open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  },
};
