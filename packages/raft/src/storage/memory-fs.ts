// An in-memory disk with a page cache, for tests and the deterministic simulation: run the real
// WAL and snapshot code, then crash() and lose exactly what a power cut would lose.
//
// Model: a file's bytes are durable up to its last datasync; writes after that are in the cache.
// A directory's entries (creations, renames, unlinks) are durable after syncDir of that directory.
// crash() keeps the durable state, plus optionally a random prefix of each file's unsynced
// appended bytes (the kernel may have written some of them back), and invalidates every mount.

import { dirname } from 'node:path';
import type { StorageFile, StorageFs } from './fs.js';

interface Inode {
  data: Uint8Array;
  len: number;
  syncedLen: number;
  /** A copy of the durable bytes, taken when a write or truncate touched them (else data[0, syncedLen)). */
  durable: Uint8Array | undefined;
}

export interface MemoryDiskOptions {
  /** Awaited inside every write and sync, to let tests interleave (or crash) operations in flight. */
  delay?: () => Promise<void>;
}

export interface CrashOptions {
  /** With a source of randomness, a random prefix of each file's unsynced tail survives. */
  random?: () => number;
}

function errno(code: string, message: string): NodeJS.ErrnoException {
  const err = new Error(`${code}: ${message}`) as NodeJS.ErrnoException;
  err.code = code;
  return err;
}

export class MemoryDisk {
  private readonly dirs = new Set<string>(['/', '.']);
  private live = new Map<string, Inode>();
  private durable = new Map<string, Inode>();
  private generation = 0;

  constructor(private readonly options: MemoryDiskOptions = {}) {}

  /** A file-system view; it stops working (every call rejects) at the next crash(). */
  mount(): StorageFs {
    const gen = this.generation;
    const check = (): void => {
      if (gen !== this.generation) throw errno('EIO', 'the disk crashed under this mount');
    };
    const delay = async (): Promise<void> => {
      if (this.options.delay) await this.options.delay();
      check();
    };
    const file = (inode: Inode): StorageFile => ({
      write: async (data, position) => {
        check();
        this.write(inode, data, position);
        await delay();
      },
      datasync: async () => {
        await delay();
        inode.syncedLen = inode.len;
        inode.durable = undefined;
      },
      truncate: async (length) => {
        check();
        this.truncate(inode, length);
        await delay();
      },
      close: async () => {},
    });
    return {
      mkdirp: async (dir) => {
        check();
        let created = false;
        for (let d = dir; !this.dirs.has(d); d = dirname(d)) {
          this.dirs.add(d);
          created = true;
        }
        return created;
      },
      readdir: async (dir) => {
        check();
        if (!this.dirs.has(dir)) throw errno('ENOENT', dir);
        return [...this.live.keys()].filter((p) => dirname(p) === dir).map((p) => p.slice(dir.length + 1));
      },
      readFile: async (path) => {
        check();
        const inode = this.live.get(path);
        if (!inode) throw errno('ENOENT', path);
        return inode.data.slice(0, inode.len);
      },
      create: async (path) => {
        check();
        if (this.live.has(path)) throw errno('EEXIST', path);
        if (!this.dirs.has(dirname(path))) throw errno('ENOENT', dirname(path));
        const inode: Inode = { data: new Uint8Array(256), len: 0, syncedLen: 0, durable: undefined };
        this.live.set(path, inode);
        return file(inode);
      },
      openForWrite: async (path) => {
        check();
        const inode = this.live.get(path);
        if (!inode) throw errno('ENOENT', path);
        return file(inode);
      },
      rename: async (from, to) => {
        check();
        const inode = this.live.get(from);
        if (!inode) throw errno('ENOENT', from);
        this.live.delete(from);
        this.live.set(to, inode);
      },
      unlink: async (path) => {
        check();
        if (!this.live.delete(path)) throw errno('ENOENT', path);
      },
      syncDir: async (dir) => {
        await delay();
        for (const p of [...this.durable.keys()]) if (dirname(p) === dir) this.durable.delete(p);
        for (const [p, inode] of this.live) if (dirname(p) === dir) this.durable.set(p, inode);
      },
    };
  }

  /** Power cut: keep what was durable (and, with `random`, some of what was not). */
  crash(options: CrashOptions = {}): void {
    this.generation++;
    const survivors = new Map<string, Inode>();
    const seen = new Map<Inode, Inode>();
    for (const [path, inode] of this.durable) {
      let after = seen.get(inode);
      if (!after) {
        const base = inode.durable ?? inode.data.subarray(0, inode.syncedLen);
        let keep = base.length;
        if (options.random && inode.durable === undefined && inode.len > inode.syncedLen) {
          keep += Math.floor(options.random() * (inode.len - inode.syncedLen + 1));
        }
        const data = new Uint8Array(Math.max(keep, 256));
        data.set(inode.durable ? base : inode.data.subarray(0, keep));
        after = { data, len: keep, syncedLen: keep, durable: undefined };
        seen.set(inode, after);
      }
      survivors.set(path, after);
    }
    this.live = survivors;
    this.durable = new Map(survivors);
  }

  /** Test helpers: read or overwrite a file's current bytes directly. */
  peek(path: string): Uint8Array | undefined {
    const inode = this.live.get(path);
    return inode?.data.slice(0, inode.len);
  }

  poke(path: string, bytes: Uint8Array): void {
    const inode = this.live.get(path);
    if (!inode) throw errno('ENOENT', path);
    inode.data = bytes.slice();
    inode.len = bytes.length;
    inode.syncedLen = bytes.length;
    inode.durable = undefined;
  }

  paths(): string[] {
    return [...this.live.keys()].sort();
  }

  private touchDurable(inode: Inode, from: number): void {
    if (from < inode.syncedLen && inode.durable === undefined) inode.durable = inode.data.slice(0, inode.syncedLen);
  }

  private write(inode: Inode, data: Uint8Array, position: number): void {
    this.touchDurable(inode, position);
    const end = position + data.length;
    if (end > inode.data.length) {
      const grown = new Uint8Array(Math.max(end, inode.data.length * 2));
      grown.set(inode.data.subarray(0, inode.len));
      inode.data = grown;
    }
    if (position > inode.len) inode.data.fill(0, inode.len, position);
    inode.data.set(data, position);
    inode.len = Math.max(inode.len, end);
  }

  private truncate(inode: Inode, length: number): void {
    this.touchDurable(inode, length);
    if (length > inode.len) this.write(inode, new Uint8Array(length - inode.len), inode.len);
    inode.len = length;
  }
}
