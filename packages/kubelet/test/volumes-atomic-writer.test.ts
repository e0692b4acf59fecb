// The atomic writer: files through ..data, exact modes, no write when nothing changed, the old
// version's directory removed, and a reader that never sees half of an update.
import { lstat, mkdir, readFile, readdir, readlink, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { invalidPayloadPath, writeAtomically, type Payload } from '../src/volumes/atomic-writer.js';
import { tempDir } from './volumes-fixtures.js';

const payload = (files: Record<string, string | [string, number]>): Payload =>
  new Map(Object.entries(files).map(([path, v]) => [path, Array.isArray(v) ? { data: Buffer.from(v[0]), mode: v[1] } : { data: Buffer.from(v), mode: 0o644 }]));

const versionDirs = async (dir: string) => (await readdir(dir)).filter((n) => /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\./.test(n));

t.test('files appear as symlinks through ..data into one timestamped directory, with their modes', async (t) => {
  const dir = await tempDir(t);
  t.equal(await writeAtomically(dir, payload({ 'app.conf': 'a=1', 'nested/deep/key': ['secret', 0o400] })), true);
  t.same((await readdir(dir)).sort(), ['..data', 'app.conf', 'nested', (await versionDirs(dir))[0]].sort());
  t.equal(await readlink(join(dir, 'app.conf')), '..data/app.conf');
  t.equal(await readlink(join(dir, 'nested')), '..data/nested');
  t.match(await readlink(join(dir, '..data')), /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.[0-9a-f]+$/);
  t.equal(await readFile(join(dir, 'nested/deep/key'), 'utf8'), 'secret');
  t.equal((await stat(join(dir, 'nested/deep/key'))).mode & 0o7777, 0o400);
  t.equal((await stat(join(dir, 'app.conf'))).mode & 0o7777, 0o644);
});

t.test('an unchanged payload writes nothing; a change makes a new version and removes the old one', async (t) => {
  const dir = await tempDir(t);
  await writeAtomically(dir, payload({ a: '1', b: '2' }));
  const first = await readlink(join(dir, '..data'));
  t.equal(await writeAtomically(dir, payload({ a: '1', b: '2' })), false, 'same content and modes');
  t.equal(await readlink(join(dir, '..data')), first);
  t.equal(await writeAtomically(dir, payload({ a: '1', b: ['2', 0o600] })), true, 'a mode change is a change');
  t.equal(await writeAtomically(dir, payload({ a: '1', c: '3' })), true);
  t.not(await readlink(join(dir, '..data')), first);
  t.equal((await versionDirs(dir)).length, 1, 'only the current version is left');
  t.equal(await readFile(join(dir, 'c'), 'utf8'), '3');
  await t.rejects(lstat(join(dir, 'b')), { code: 'ENOENT' }, 'a key no longer there loses its symlink');
  t.equal(await writeAtomically(dir, new Map()), true);
  t.same((await readdir(dir)).filter((n) => !n.startsWith('..')), [], 'an empty payload leaves no user-visible files');
});

t.test('a version left behind by a crash before its swap is removed by the next write', async (t) => {
  const dir = await tempDir(t);
  await writeAtomically(dir, payload({ a: '1' }));
  await mkdir(join(dir, '..2020_01_01_00_00_00.deadbeef'));
  await writeAtomically(dir, payload({ a: '2' }));
  t.same(await versionDirs(dir), [await readlink(join(dir, '..data'))]);
});

t.test('a reader never sees a half-written set', async (t) => {
  const dir = await tempDir(t);
  const keys = ['one', 'two', 'three', 'sub/four'];
  const version = (n: number) => payload(Object.fromEntries(keys.map((k) => [k, `v${n}`])));
  await writeAtomically(dir, version(0));
  let writing = true;
  let consistentReads = 0;
  const reader = (async () => {
    while (writing) {
      // A reader that resolves ..data once reads one version, whole.
      const data = await realpath(join(dir, '..data')).catch(() => undefined);
      if (data === undefined) continue;
      const values = await Promise.all(keys.map((k) => readFile(join(data, k), 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)))));
      if (values.some((v) => v === undefined)) continue; // that version was replaced and removed meanwhile
      t.equal(new Set(values).size, 1, `one version: ${values.join(',')}`);
      for (const k of keys) t.match(await readFile(join(dir, k), 'utf8'), /^v\d+$/, 'a user-visible file is always complete');
      consistentReads++;
    }
  })();
  for (let n = 1; n <= 40; n++) await writeAtomically(dir, version(n));
  writing = false;
  await reader;
  t.ok(consistentReads > 0, `the reader read ${consistentReads} whole versions`);
  t.equal((await versionDirs(dir)).length, 1);
});

t.test('payload paths are checked as upstream checks them', async (t) => {
  t.equal(invalidPayloadPath('a/b.conf'), undefined);
  t.equal(invalidPayloadPath('..a'), "invalid path: must not start with '..'");
  t.equal(invalidPayloadPath('a/../b'), "invalid path: must not contain '..'");
  t.equal(invalidPayloadPath('/etc/passwd'), 'invalid path: must be relative path');
  t.equal(invalidPayloadPath('x'.repeat(256)), 'invalid path: must not contain elements longer than 255 characters');
  const dir = await tempDir(t);
  await t.rejects(writeAtomically(dir, payload({ '../escape': 'x' })), { message: /must not contain '\.\.'/ });
  t.same(await readdir(dir), [], 'nothing written for a bad payload');
});
