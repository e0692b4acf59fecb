import t from 'tap';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryStorage } from '../src/core/index.js';
import { DiskStorage, nodeFs, seedLogStorage, type StorageFs } from '../src/storage/index.js';
import type { Entry, HardState, Ready, Snapshot } from '../src/types.js';

const ent = (index: number, term = 1, size = 8): Entry => ({ term, index, type: 'normal', data: new Uint8Array(size).fill(index % 251) });
const range = (from: number, to: number, term = 1, size = 8): Entry[] => {
  const out: Entry[] = [];
  for (let i = from; i <= to; i++) out.push(ent(i, term, size));
  return out;
};
const snap = (index: number, term: number, fill = 9): Snapshot => ({
  metadata: { index, term, confState: { voters: [1, 2, 3], learners: [4] } },
  data: new Uint8Array(100).fill(fill),
});
/** Opens, takes the recovered state and closes again. */
async function recovered(dir: string, options: Parameters<typeof DiskStorage.open>[1] = {}) {
  const s = await DiskStorage.open(dir, options);
  await s.close();
  return s.recover();
}
const walFiles = (dir: string): string[] => readdirSync(join(dir, 'wal')).filter((n) => n.endsWith('.wal')).sort();

/** node:fs with a count of data fsyncs and an optional gate that holds them. */
function countingFs(): { fs: StorageFs; syncs: () => number; hold: () => () => void } {
  let syncs = 0;
  let gate: Promise<void> | undefined;
  const fs: StorageFs = {
    ...nodeFs,
    create: async (p) => wrap(await nodeFs.create(p)),
    openForWrite: async (p) => wrap(await nodeFs.openForWrite(p)),
  };
  function wrap(f: Awaited<ReturnType<StorageFs['create']>>): typeof f {
    return {
      write: (d, pos) => f.write(d, pos),
      truncate: (n) => f.truncate(n),
      close: () => f.close(),
      datasync: async () => {
        syncs++;
        if (gate) await gate;
        return f.datasync();
      },
    };
  }
  return {
    fs,
    syncs: () => syncs,
    hold: () => {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

t.test('a missing data directory is created, with an empty state', async (t) => {
  const dir = join(t.testdir(), 'a', 'b');
  const s = await DiskStorage.open(dir);
  t.same(s.recover(), { hardState: { term: 0, vote: 0, commit: 0 }, snapshot: undefined, entries: [] });
  await s.close();
  t.same(walFiles(dir), ['0000000000000000-0000000000000001.wal']);
  const again = await DiskStorage.open(dir);
  t.same(again.recover().entries, []);
  await again.close();
});

t.test('hard state and entries survive a reopen', async (t) => {
  const dir = t.testdir();
  const s = await DiskStorage.open(dir);
  await s.save({ term: 1, vote: 2, commit: 0 }, range(1, 3));
  await s.save(undefined, range(4, 10, 1, 300));
  await s.save({ term: 2, vote: 0, commit: 7 }, []);
  await s.save(undefined, [{ term: 2, index: 11, type: 'confChange', data: new Uint8Array([1, 2]) }]);
  await s.close();
  const r = await recovered(dir);
  t.same(r.hardState, { term: 2, vote: 0, commit: 7 });
  t.same(r.entries, [...range(1, 3), ...range(4, 10, 1, 300), { term: 2, index: 11, type: 'confChange', data: new Uint8Array([1, 2]) }]);
  t.equal(r.snapshot, undefined);
});

t.test('entries saved from index i replace the saved log from i on', async (t) => {
  const dir = t.testdir();
  const s = await DiskStorage.open(dir);
  await s.save({ term: 1, vote: 1, commit: 2 }, range(1, 10));
  await s.save({ term: 2, vote: 3, commit: 2 }, range(6, 8, 2)); // a new leader overwrote 6..10 with 6..8
  await s.save(undefined, range(9, 9, 2));
  await s.save({ term: 3, vote: 0, commit: 4 }, range(4, 5, 3)); // and again from 4
  await s.close();
  const reopened = await DiskStorage.open(dir);
  t.same(reopened.recover().entries, [...range(1, 3), ...range(4, 5, 3)]);
  t.same(reopened.recover().hardState, { term: 3, vote: 0, commit: 4 });
  await reopened.close();
});

t.test('saves that would corrupt the log are refused', async (t) => {
  const s = await DiskStorage.open(t.testdir());
  await s.save(undefined, range(1, 3));
  await t.rejects(s.save(undefined, [ent(4), ent(6)]), /not contiguous/);
  await t.rejects(s.save(undefined, [ent(5)]), /gap after the last index 3/);
  await t.rejects(s.save({ term: -1, vote: 0, commit: 0 }, []), RangeError);
  await s.save(undefined, [ent(4)]);
  await s.close();
  await t.rejects(s.save(undefined, [ent(5)]), /closed/);
});

t.test('an installed snapshot replaces the log; entries after it follow', async (t) => {
  const dir = t.testdir();
  const s = await DiskStorage.open(dir);
  await s.save({ term: 1, vote: 1, commit: 3 }, range(1, 5));
  await s.save({ term: 4, vote: 0, commit: 50 }, range(51, 52, 4), snap(50, 4));
  await s.close();
  const r = await recovered(dir);
  t.same(r.snapshot, snap(50, 4));
  t.same(r.entries, range(51, 52, 4));
  t.same(r.hardState, { term: 4, vote: 0, commit: 50 });
});

t.test('group commit: saves made while an fsync is in flight share the next one', async (t) => {
  const c = countingFs();
  const s = await DiskStorage.open(t.testdir(), { fs: c.fs });
  const before = c.syncs();
  const release = c.hold();
  const first = s.save({ term: 1, vote: 1, commit: 0 }, [ent(1)]);
  // Wait until the first flush is blocked in its fsync.
  while (c.syncs() === before) await new Promise<void>((r) => setImmediate(r));
  const rest: Promise<void>[] = [];
  for (let i = 2; i <= 65; i++) rest.push(s.save(undefined, [ent(i)]));
  release();
  await Promise.all([first, ...rest]);
  t.equal(c.syncs() - before, 2, '65 saves, 2 fsyncs');
  t.equal(s.stats.fsyncs, 2);
  t.equal(s.stats.batches, 2);

  // Saves made in one synchronous run go out in a single write and fsync.
  const burst: Promise<void>[] = [];
  for (let i = 66; i <= 200; i++) burst.push(s.save({ term: 1, vote: 1, commit: i - 1 }, [ent(i)]));
  await Promise.all(burst);
  t.equal(c.syncs() - before, 3);

  // mustSync false: written, not fsynced.
  await s.save({ term: 1, vote: 1, commit: 200 }, [], undefined, { sync: false });
  t.equal(c.syncs() - before, 3);
  await s.close();
  t.equal(c.syncs() - before, 4, 'close syncs what was left unsynced');
});

t.test('segments roll over at the size limit and are released after a snapshot', async (t) => {
  const dir = t.testdir();
  const s = await DiskStorage.open(dir, { segmentBytes: 4096 });
  for (let i = 1; i <= 200; i += 5) await s.save({ term: 1, vote: 1, commit: i - 1 }, range(i, i + 4, 1, 100));
  const files = walFiles(dir);
  t.ok(files.length >= 5, `rolled over into ${files.length} segments`);
  for (const f of files) t.ok(statSync(join(dir, 'wal', f)).size < 4096 + 700, `${f} is about the limit`);
  t.equal(s.stats.segments, files.length);
  await s.close();

  const s2 = await DiskStorage.open(dir, { segmentBytes: 4096 });
  t.same(s2.recover().entries, range(1, 200, 1, 100), 'all entries across segments');
  await s2.saveSnapshot(snap(150, 1));
  await s2.releaseTo(150);
  const left = walFiles(dir);
  t.ok(left.length < files.length, `released down to ${left.length} segments`);
  const firstIndex = Number.parseInt(left[0]!.slice(17, 33), 16);
  t.ok(firstIndex <= 151, `the first kept segment starts at ${firstIndex}, at or before 151`);
  await s2.save(undefined, range(201, 230, 1, 100));
  await s2.close();

  const r = await recovered(dir, { segmentBytes: 4096 });
  t.same(r.snapshot?.metadata.index, 150);
  t.same(r.entries, range(151, 230, 1, 100), 'the log resumes after the snapshot');
});

t.test('old snapshot files are purged; the newest few are kept', async (t) => {
  const dir = t.testdir();
  const s = await DiskStorage.open(dir, { snapshotsToKeep: 2 });
  await s.save({ term: 1, vote: 1, commit: 40 }, range(1, 40));
  for (const i of [10, 20, 30, 40]) await s.saveSnapshot(snap(i, 1, i));
  t.same(readdirSync(join(dir, 'snap')).sort(), ['0000000000000001-000000000000001e.snap', '0000000000000001-0000000000000028.snap']);
  await s.close();
  const r = await recovered(dir);
  t.same(r.snapshot, snap(40, 1, 40));
  t.same(r.entries, [], 'entries up to the snapshot are not handed out again');
  t.same(r.hardState.commit, 40);
});

t.test('a WAL that was deleted while snapshots remain is refused', async (t) => {
  const dir = t.testdir();
  const s = await DiskStorage.open(dir);
  await s.save({ term: 2, vote: 1, commit: 3 }, range(1, 3));
  await s.saveSnapshot(snap(3, 1));
  await s.close();
  rmSync(join(dir, 'wal'), { recursive: true });
  await t.rejects(DiskStorage.open(dir), { name: 'CorruptionError', message: /no WAL segments, yet snapshot files exist/ });
});

t.test('recovered state seeds the core MemoryStorage; saveReady persists a Ready', async (t) => {
  const dir = t.testdir();
  const s = await DiskStorage.open(dir);
  const ready = (hs: HardState | undefined, entries: Entry[], snapshot?: Snapshot): Ready => ({
    hardState: hs, entries, snapshot, committedEntries: [], messages: [], readStates: [], mustSync: true,
  });
  await s.saveReady(ready({ term: 1, vote: 1, commit: 0 }, range(1, 4)));
  await s.saveReady(ready({ term: 2, vote: 1, commit: 10 }, range(11, 12, 2), snap(10, 2)));
  await s.saveReady({ ...ready({ term: 2, vote: 1, commit: 11 }, []), mustSync: false });
  await s.close();
  const ms = new MemoryStorage();
  seedLogStorage(ms, await recovered(dir));
  t.equal(ms.firstIndex(), 11);
  t.equal(ms.lastIndex(), 12);
  t.equal(ms.term(10), 2);
  t.same(ms.entries(11, 13, Infinity), range(11, 12, 2));
  t.same(ms.initialState().hardState, { term: 2, vote: 1, commit: 11 });
  t.same(ms.snapshot().metadata, snap(10, 2).metadata);
});
