import t from 'tap';
import { cpSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync, existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { CorruptionError, DiskStorage, type RecoveredState } from '../src/storage/index.js';
import type { Entry, Snapshot } from '../src/types.js';

const ent = (index: number, term = 1, size = 8): Entry => ({ term, index, type: 'normal', data: new Uint8Array(size).fill(index % 251) });
const range = (from: number, to: number, term = 1, size = 8): Entry[] => {
  const out: Entry[] = [];
  for (let i = from; i <= to; i++) out.push(ent(i, term, size));
  return out;
};
const snap = (index: number, term: number, fill = 9): Snapshot => ({
  metadata: { index, term, confState: { voters: [1, 2, 3], learners: [] } },
  data: new Uint8Array(64).fill(fill),
});
const walPaths = (dir: string): string[] =>
  readdirSync(join(dir, 'wal'))
    .filter((n) => n.endsWith('.wal'))
    .sort()
    .map((n) => join(dir, 'wal', n));

async function recovered(dir: string, segmentBytes?: number): Promise<RecoveredState> {
  const s = await DiskStorage.open(dir, segmentBytes ? { segmentBytes } : {});
  await s.close();
  return s.recover();
}

/** The state after the first two of threeSaves(). */
const twoSaves: RecoveredState = {
  hardState: { term: 1, vote: 1, commit: 4 },
  snapshot: undefined,
  entries: [...range(1, 4), ...range(5, 6, 1, 40)],
};

/** A log of three saves in one segment; returns the byte offsets where each record starts. */
async function threeSaves(dir: string): Promise<{ file: string; starts: number[]; end: number }> {
  const s = await DiskStorage.open(dir);
  const file = walPaths(dir)[0]!;
  const starts: number[] = [];
  const saves: Array<() => Promise<void>> = [
    () => s.save({ term: 1, vote: 1, commit: 0 }, range(1, 4)),
    () => s.save({ term: 1, vote: 1, commit: 4 }, range(5, 6, 1, 40)),
    () => s.save({ term: 2, vote: 2, commit: 5 }, range(6, 7, 2, 20)),
  ];
  for (const save of saves) {
    starts.push(statSync(file).size);
    await save();
  }
  const end = statSync(file).size;
  await s.close();
  return { file, starts, end };
}

t.test('a torn last record is cut away, whatever byte the crash stopped at', async (t) => {
  const base = t.testdir();
  const src = join(base, 'src');
  const { file, starts, end } = await threeSaves(src);
  const lastStart = starts[2]!;
  const full = await recovered(src);
  t.same(full.entries.length, 7, 'sanity: the untouched log has all three saves');

  let n = 0;
  for (let cut = lastStart; cut < end; cut++) {
    for (const mode of ['truncate', 'zeros'] as const) {
      const dir = join(base, `c${n++}`);
      cpSync(src, dir, { recursive: true });
      const f = join(dir, 'wal', file.split('/').pop()!);
      if (mode === 'truncate') truncateSync(f, cut);
      else {
        // The file grew, but the crash left the rest of the last record unwritten (zeros).
        const bytes = readFileSync(f);
        bytes.fill(0, cut);
        writeFileSync(f, bytes);
      }
      const r = await recovered(dir);
      if (r.entries.length !== 6 || r.hardState.commit !== 4) t.fail(`${mode} at ${cut}: wrong state`);
      t.same(r, twoSaves, `${mode} at ${cut}`);
      t.equal(statSync(f).size, lastStart, `${mode} at ${cut}: the file is truncated on disk`);
      // And the log goes on from there.
      const s = await DiskStorage.open(dir);
      await s.save({ term: 3, vote: 3, commit: 6 }, [ent(7, 3)]);
      await s.close();
      const after = await recovered(dir);
      t.same(after.entries.at(-1), ent(7, 3), `${mode} at ${cut}: appends after the cut survive a reopen`);
    }
  }
});

t.test('a damaged record followed by intact ones is refused, naming file and offset', async (t) => {
  const base = t.testdir();
  const src = join(base, 'src');
  const { file, starts } = await threeSaves(src);
  const midStart = starts[1]!;
  const midEnd = starts[2]!;
  let n = 0;
  // Every byte of the middle record, header and payload alike.
  for (let at = midStart; at < midEnd; at++) {
    const dir = join(base, `f${n++}`);
    cpSync(src, dir, { recursive: true });
    const f = join(dir, 'wal', file.split('/').pop()!);
    const bytes = readFileSync(f);
    bytes[at]! ^= 0x40;
    writeFileSync(f, bytes);
    try {
      await recovered(dir);
      t.fail(`flip at ${at} was accepted`);
    } catch (err) {
      if (!(err instanceof CorruptionError)) throw err;
      if (err.file !== f || err.offset !== midStart) t.fail(`flip at ${at}: reported ${err.file}:${err.offset}`);
      t.match(err.message, `${f} at byte offset ${midStart}`, `flip at byte ${at}`);
    }
    t.equal(statSync(f).size, bytes.length, 'nothing was truncated');
  }
});

t.test('damage in a segment that is not the last is refused', async (t) => {
  const base = t.testdir();
  const src = join(base, 'src');
  const s = await DiskStorage.open(src, { segmentBytes: 1024 });
  for (let i = 1; i <= 60; i += 3) await s.save({ term: 1, vote: 1, commit: i }, range(i, i + 2, 1, 50));
  await s.close();
  const segs = walPaths(src);
  t.ok(segs.length >= 3);
  const name = (p: string) => p.split('/').pop()!;

  const flipped = join(base, 'flipped');
  cpSync(src, flipped, { recursive: true });
  const f = join(flipped, 'wal', name(segs[1]!));
  const bytes = readFileSync(f);
  bytes[bytes.length - 1]! ^= 1; // the very end of an earlier segment: not a torn tail
  writeFileSync(f, bytes);
  await t.rejects(recovered(flipped, 1024), { name: 'CorruptionError', file: f, message: /not the last/ });

  const truncated = join(base, 'truncated');
  cpSync(src, truncated, { recursive: true });
  const g = join(truncated, 'wal', name(segs[0]!));
  truncateSync(g, statSync(g).size - 3);
  await t.rejects(recovered(truncated, 1024), { name: 'CorruptionError', file: g });

  const missing = join(base, 'missing');
  cpSync(src, missing, { recursive: true });
  unlinkSync(join(missing, 'wal', name(segs[1]!)));
  await t.rejects(recovered(missing, 1024), /segment 1 is missing/);

  t.same((await recovered(src, 1024)).entries, range(1, 60, 1, 50), 'the undamaged copy still opens');
});

t.test('damage to the last record alone reads as a torn write and is cut', async (t) => {
  // Indistinguishable from a crash mid-write, so it is treated as one (as etcd does).
  const dir = t.testdir();
  const { file, starts } = await threeSaves(dir);
  const bytes = readFileSync(file);
  bytes[starts[2]! + 30]! ^= 0xff;
  writeFileSync(file, bytes);
  t.same(await recovered(dir), twoSaves);
});

t.test('leftovers of interrupted file creation are ignored and removed', async (t) => {
  const dir = t.testdir();
  const s = await DiskStorage.open(dir);
  await s.save({ term: 1, vote: 1, commit: 2 }, range(1, 3));
  await s.saveSnapshot(snap(2, 1));
  await s.close();
  // A crash during a snapshot write and during a segment creation.
  writeFileSync(join(dir, 'snap', '0000000000000001-0000000000000003.snap.tmp'), 'half a snapshot');
  writeFileSync(join(dir, 'wal', '0000000000000001-0000000000000004.wal.tmp'), 'half a header');
  const r = await recovered(dir);
  t.same(r.snapshot, snap(2, 1));
  t.same(r.entries, [ent(3)]);
  t.notOk(existsSync(join(dir, 'snap', '0000000000000001-0000000000000003.snap.tmp')));
  t.notOk(existsSync(join(dir, 'wal', '0000000000000001-0000000000000004.wal.tmp')));
});

t.test('a snapshot file the WAL never recorded is not used', async (t) => {
  // The crash came after the file was renamed into place but before the marker was fsynced.
  const base = t.testdir();
  const dir = join(base, 'node');
  const s = await DiskStorage.open(dir);
  await s.save({ term: 1, vote: 1, commit: 3 }, range(1, 5));
  await s.saveSnapshot(snap(3, 1));
  await s.close();
  const donor = join(base, 'donor');
  const d = await DiskStorage.open(donor);
  await d.save({ term: 1, vote: 1, commit: 5 }, range(1, 5));
  await d.saveSnapshot(snap(5, 1, 7));
  await d.close();
  cpSync(join(donor, 'snap', '0000000000000001-0000000000000005.snap'), join(dir, 'snap', '0000000000000001-0000000000000005.snap'));
  const r = await recovered(dir);
  t.equal(r.snapshot?.metadata.index, 3, 'the recorded snapshot, not the newer orphan');
  t.same(r.entries, range(4, 5));
});

t.test('a damaged snapshot is set aside and an older one used', async (t) => {
  const dir = t.testdir();
  const s = await DiskStorage.open(dir);
  await s.save({ term: 1, vote: 1, commit: 6 }, range(1, 8));
  await s.saveSnapshot(snap(3, 1));
  await s.saveSnapshot(snap(6, 1));
  await s.close();
  const newest = join(dir, 'snap', '0000000000000001-0000000000000006.snap');
  const bytes = readFileSync(newest);
  bytes[40]! ^= 1;
  writeFileSync(newest, bytes);
  const r = await recovered(dir);
  t.equal(r.snapshot?.metadata.index, 3);
  t.same(r.entries, range(4, 8));
  t.ok(existsSync(newest.replace(/\.snap$/, '.snap.broken')), 'renamed to .snap.broken');
});

t.test('no usable snapshot for a log whose start was released is refused', async (t) => {
  const dir = t.testdir();
  const s = await DiskStorage.open(dir, { segmentBytes: 512 });
  for (let i = 1; i <= 40; i += 2) await s.save({ term: 1, vote: 1, commit: i }, range(i, i + 1, 1, 40));
  await s.saveSnapshot(snap(30, 1));
  await s.releaseTo(30);
  await s.close();
  unlinkSync(join(dir, 'snap', '0000000000000001-000000000000001e.snap'));
  await t.rejects(recovered(dir, 512), { name: 'CorruptionError', message: /there is no usable snapshot/ });
});
