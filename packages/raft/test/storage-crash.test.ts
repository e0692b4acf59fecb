// Property: under any sequence of saves, compactions and crashes (losing unsynced data, or
// keeping a random prefix of it), reopening yields exactly the state after some prefix of the
// saves, and that prefix includes every save that was acknowledged as durable.
import t from 'tap';
import fc from 'fast-check';
import { readdirSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { DiskStorage, MemoryDisk, nodeFs, type RecoveredState, type StorageFile, type StorageFs } from '../src/storage/index.js';
import type { Entry, HardState, Snapshot } from '../src/types.js';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const entry = (index: number, term: number): Entry => ({
  index,
  term,
  type: index % 7 === 0 ? 'confChange' : 'normal',
  data: new Uint8Array((index * 37) % 90).fill((index + term) & 0xff),
});
const snapshotAt = (index: number, term: number): Snapshot => ({
  metadata: { index, term, confState: { voters: [1, 2, 3], learners: [] } },
  data: new Uint8Array(20 + (index % 50)).fill(index & 0xff),
});

/** The log as the saves so far describe it. */
interface ModelState {
  hs: HardState;
  base: number;
  baseTerm: number;
  entries: Entry[];
}
const lastIndex = (m: ModelState): number => m.base + m.entries.length;
const termAt = (m: ModelState, i: number): number | undefined => (i === m.base ? m.baseTerm : m.entries[i - m.base - 1]?.term);

type Command =
  | { kind: 'append'; n: number; withHs: boolean; sync: boolean }
  | { kind: 'newTerm'; vote: number; overwriteBack: number; n: number }
  | { kind: 'commit'; k: number }
  | { kind: 'restore'; ahead: number; after: number }
  | { kind: 'compact'; crashAfterTicks: number | undefined }
  | { kind: 'yield'; ticks: number }
  | { kind: 'crash'; keepUnsynced: boolean; seed: number };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('append' as const), n: fc.integer({ min: 1, max: 6 }), withHs: fc.boolean(), sync: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('newTerm' as const), vote: fc.integer({ min: 0, max: 3 }), overwriteBack: fc.integer({ min: 0, max: 5 }), n: fc.integer({ min: 0, max: 4 }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("commit" as const), k: fc.integer({ min: 1, max: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restore' as const), ahead: fc.integer({ min: 0, max: 10 }), after: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('compact' as const), crashAfterTicks: fc.option(fc.integer({ min: 0, max: 12 }), { nil: undefined }) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('yield' as const), ticks: fc.integer({ min: 0, max: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crash' as const), keepUnsynced: fc.boolean(), seed: fc.nat() }) },
);

/** A disk that can lose power. */
interface CrashableDisk {
  dir: string;
  mount(): StorageFs;
  crash(random: (() => number) | undefined): Promise<void>;
}

const ticks = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
};

function sameEntry(a: Entry | undefined, b: Entry | undefined): boolean {
  if (!a || !b) return false;
  return a.index === b.index && a.term === b.term && a.type === b.type && Buffer.from(a.data).equals(Buffer.from(b.data));
}

/** Does the recovered state equal model state m (seen through the recovered snapshot)? */
function matches(r: RecoveredState, m: ModelState): boolean {
  const s = r.snapshot?.metadata.index ?? 0;
  if (s < m.base || s > Math.max(lastIndex(m), m.base)) return false;
  if (r.snapshot && termAt(m, s) !== r.snapshot.metadata.term) return false;
  if (r.hardState.term !== m.hs.term || r.hardState.vote !== m.hs.vote || r.hardState.commit !== Math.max(m.hs.commit, s)) return false;
  const want = m.entries.filter((e) => e.index > s);
  return r.entries.length === want.length && r.entries.every((e, i) => sameEntry(e, want[i]));
}

/** What the runs exercised, so a vacuous pass would show. */
const seen = { crashes: 0, tornTails: 0, releases: 0, snapshotsRecovered: 0, recoveredEntries: 0 };
const countingLogger = {
  debug: (_o: object | string, msg?: string) => {
    if (msg === 'released WAL segments') seen.releases++;
  },
  info: () => {},
  warn: (_o: object | string, msg?: string) => {
    if (msg?.startsWith('WAL ends with a torn record')) seen.tornTails++;
  },
  error: () => {},
};

async function run(disk: CrashableDisk, commands: Command[]): Promise<void> {
  const options = { segmentBytes: 300, snapshotsToKeep: 2, logger: countingLogger };
  let storage = await DiskStorage.open(disk.dir, { ...options, fs: disk.mount() });
  // states[k]: after the first k ordered saves since the last (re)open; states[0] is what was recovered.
  let states: ModelState[] = [{ hs: { term: 0, vote: 0, commit: 0 }, base: 0, baseTerm: 0, entries: [] }];
  let acked = 0; // the highest k whose save is acknowledged durable
  let ackedSnapshot = 0; // the newest snapshot index acknowledged durable
  let lastSnapshot = 0;
  let generation = 0;

  const cur = (): ModelState => states[states.length - 1]!;
  const issue = (next: ModelState, hs: HardState | undefined, entries: Entry[], snap: Snapshot | undefined, sync: boolean): void => {
    states.push(next);
    const k = states.length - 1;
    const gen = generation;
    storage.save(hs, entries, snap, { sync }).then(
      () => {
        if (gen !== generation) return;
        if (sync || snap) acked = Math.max(acked, k);
        if (snap) ackedSnapshot = Math.max(ackedSnapshot, snap.metadata.index);
      },
      () => {},
    );
  };

  const crashAndCheck = async (random: (() => number) | undefined): Promise<void> => {
    generation++;
    await disk.crash(random);
    storage = await DiskStorage.open(disk.dir, { ...options, fs: disk.mount() });
    const r = storage.recover();
    seen.crashes++;
    if (r.snapshot) seen.snapshotsRecovered++;
    seen.recoveredEntries += r.entries.length;
    let k = states.length - 1;
    while (k >= acked && !matches(r, states[k]!)) k--;
    if (k < acked) {
      throw new Error(
        `recovered state matches no state from save ${acked} (acknowledged) to ${states.length - 1}: ` +
          `hs=${JSON.stringify(r.hardState)} snapshot=${r.snapshot?.metadata.index} ` +
          `entries=${r.entries.map((e) => `${e.index}@${e.term}`).join(',')}; last model state: ` +
          `hs=${JSON.stringify(cur().hs)} base=${cur().base} entries=${cur().entries.map((e) => `${e.index}@${e.term}`).join(',')}`,
      );
    }
    const s = r.snapshot?.metadata.index ?? 0;
    if (s < ackedSnapshot) throw new Error(`recovered snapshot ${s} is older than the acknowledged snapshot ${ackedSnapshot}`);
    if (r.snapshot && !Buffer.from(r.snapshot.data).equals(Buffer.from(snapshotAt(s, r.snapshot.metadata.term).data))) {
      throw new Error(`snapshot ${s} has the wrong data`);
    }
    // Carry on from what survived (the snapshot stands in for the compacted entries).
    const m = states[k]!;
    states = [{ hs: { ...r.hardState }, base: m.base, baseTerm: m.baseTerm, entries: m.entries.filter((e) => e.index > m.base) }];
    acked = 0;
    ackedSnapshot = s;
    lastSnapshot = s;
  };

  for (const c of commands) {
    const m = cur();
    const last = lastIndex(m);
    switch (c.kind) {
      case 'append': {
        const ents = Array.from({ length: c.n }, (_, i) => entry(last + 1 + i, m.hs.term));
        const hs = c.withHs ? { ...m.hs, commit: Math.min(m.hs.commit + 1, last + c.n) } : undefined;
        issue({ ...m, hs: hs ?? m.hs, entries: [...m.entries, ...ents] }, hs, ents, undefined, c.sync);
        break;
      }
      case 'newTerm': {
        const hs = { term: m.hs.term + 1, vote: c.vote, commit: m.hs.commit };
        // A new leader's entries replace the uncommitted tail from some point on.
        const from = Math.max(m.hs.commit + 1, m.base + 1, last + 1 - c.overwriteBack);
        const ents = Array.from({ length: c.n }, (_, i) => entry(from + i, hs.term));
        const kept = c.n > 0 ? m.entries.filter((e) => e.index < from) : m.entries;
        issue({ ...m, hs, entries: [...kept, ...ents] }, hs, ents, undefined, true);
        break;
      }
      case 'commit': {
        const hs = { ...m.hs, commit: Math.min(last, m.hs.commit + c.k) };
        issue({ ...m, hs }, hs, [], undefined, true);
        break;
      }
      case 'restore': {
        if (m.hs.term === 0) break;
        const at = m.hs.commit + 1 + c.ahead;
        const snap = snapshotAt(at, m.hs.term);
        const ents = Array.from({ length: c.after }, (_, i) => entry(at + 1 + i, m.hs.term));
        const hs = { ...m.hs, commit: at };
        issue({ hs, base: at, baseTerm: m.hs.term, entries: ents }, hs, ents, snap, true);
        lastSnapshot = Math.max(lastSnapshot, at);
        break;
      }
      case 'compact': {
        const at = m.hs.commit;
        const term = termAt(m, at);
        if (at <= lastSnapshot || term === undefined) break;
        lastSnapshot = at;
        const gen = generation;
        const s = storage;
        const done = s
          .saveSnapshot(snapshotAt(at, term))
          .then(() => s.releaseTo(at))
          .then(
            () => {
              if (gen === generation) ackedSnapshot = Math.max(ackedSnapshot, at);
            },
            () => {},
          );
        if (c.crashAfterTicks === undefined) await done;
        else {
          await ticks(c.crashAfterTicks);
          await crashAndCheck(undefined);
        }
        break;
      }
      case 'yield':
        await ticks(c.ticks);
        break;
      case 'crash':
        await crashAndCheck(c.keepUnsynced ? mulberry32(c.seed) : undefined);
        break;
    }
  }
  await crashAndCheck(mulberry32(commands.length));
  await storage.close();
}

function memoryDisk(): CrashableDisk {
  const disk = new MemoryDisk({ delay: () => new Promise<void>((r) => setImmediate(r)) });
  return {
    dir: '/data',
    mount: () => disk.mount(),
    crash: async (random) => disk.crash(random ? { random } : {}),
  };
}

/**
 * The real file system, with a simulated power cut: stop all I/O of the old mount, wait for what
 * is in flight, then cut each WAL segment back to its last fsynced size plus a random part of the
 * unsynced rest. (Directory operations are not rolled back: the real disk keeps them.)
 */
function realDisk(dir: string): CrashableDisk {
  let generation = 0;
  const inflight = new Set<Promise<unknown>>();
  const open = new Set<StorageFile>();
  const synced = new Map<string, number>(); // path -> fsynced size
  const track = <T>(gen: number, p: () => Promise<T>): Promise<T> => {
    if (gen !== generation) return Promise.reject(new Error('EIO: crashed'));
    const run = p();
    inflight.add(run);
    void run.catch(() => {}).finally(() => inflight.delete(run));
    return run;
  };
  return {
    dir,
    mount(): StorageFs {
      const gen = generation;
      const paths = new Map<string, { path: string }>();
      const wrap = (path: string, f: StorageFile): StorageFile => {
        open.add(f);
        let written = synced.get(path) ?? 0;
        const file = {
          path,
          write: (d: Uint8Array, pos: number) =>
            track(gen, async () => {
              await f.write(d, pos);
              written = Math.max(written, pos + d.length);
            }),
          truncate: (n: number) =>
            track(gen, async () => {
              await f.truncate(n);
              written = n;
            }),
          datasync: () =>
            track(gen, async () => {
              const upTo = written;
              await f.datasync();
              synced.set(file.path, upTo);
            }),
          close: () => {
            open.delete(f);
            return f.close();
          },
        };
        paths.set(path, file);
        return file;
      };
      return {
        mkdirp: (d) => track(gen, () => nodeFs.mkdirp(d)),
        readdir: (d) => track(gen, () => nodeFs.readdir(d)),
        readFile: (p) => track(gen, () => nodeFs.readFile(p)),
        create: (p) => track(gen, async () => wrap(p, await nodeFs.create(p))),
        openForWrite: (p) => track(gen, async () => wrap(p, await nodeFs.openForWrite(p))),
        rename: (a, b) =>
          track(gen, async () => {
            await nodeFs.rename(a, b);
            const f = paths.get(a);
            if (f) f.path = b;
            const s = synced.get(a);
            if (s !== undefined) synced.set(b, s);
          }),
        unlink: (p) => track(gen, () => nodeFs.unlink(p)),
        syncDir: (d) => track(gen, () => nodeFs.syncDir(d)),
      };
    },
    async crash(random) {
      generation++;
      while (inflight.size > 0) await Promise.allSettled([...inflight]);
      for (const f of open) await f.close().catch(() => {});
      open.clear();
      const walDir = join(dir, 'wal');
      for (const name of readdirSync(walDir)) {
        const path = join(walDir, name);
        const size = statSync(path).size;
        const durable = Math.min(synced.get(path) ?? 0, size);
        const keep = durable + (random ? Math.floor(random() * (size - durable + 1)) : 0);
        truncateSync(path, keep);
        synced.set(path, keep); // what survived a power cut is on disk
      }
    },
  };
}

t.test('recovery after crashes is a prefix that includes every acknowledged save (in-memory disk)', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.array(commandArb, { minLength: 10, maxLength: 80, size: 'max' }), (commands) => run(memoryDisk(), commands)),
    { seed: 42, numRuns: 300 },
  );
  t.comment(JSON.stringify(seen));
  t.ok(seen.crashes > 1000 && seen.tornTails > 50 && seen.releases > 50 && seen.snapshotsRecovered > 50, 'torn tails, releases and snapshots all happened');
});

t.test('the same on the real file system, crashing by cutting the unsynced tail', async (t) => {
  const base = t.testdir();
  for (const k of Object.keys(seen) as Array<keyof typeof seen>) seen[k] = 0;
  let n = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(commandArb, { minLength: 10, maxLength: 60, size: 'max' }), (commands) => run(realDisk(join(base, `run${n++}`)), commands)),
    { seed: 42, numRuns: 100 },
  );
  t.comment(JSON.stringify(seen));
});
