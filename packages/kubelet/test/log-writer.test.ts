// The CRI log writer: the line format, partial lines, long lines and rotation by size.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { maxLineBytes, openContainerLog, rfc3339Nano, rotatedName } from '../src/logs/writer.js';

async function tempDir(t: { teardown(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kubets-logwriter-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

const fixedClock = () => new Date(Date.UTC(2026, 11, 6, 22, 30, 20, 123));

t.test('timestamps are RFC 3339 in UTC with nine fractional digits', async (t) => {
  t.equal(rfc3339Nano(fixedClock(), 456789), '2026-12-06T22:30:20.123456789Z');
  t.equal(rfc3339Nano(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 0))), '2026-01-02T03:04:05.000000000Z');
  const log = openContainerLog({ path: join(await tempDir(t), 'c', '0.log'), maxSizeBytes: 1 << 20, maxFiles: 2 });
  log.write('stdout', Buffer.from('x\n'));
  await log.close();
});

t.test('full lines are tagged F, per stream, and a partial line waits for its newline', async (t) => {
  const path = join(await tempDir(t), '0.log');
  const log = openContainerLog({ path, maxSizeBytes: 1 << 20, maxFiles: 5, now: fixedClock });
  log.write('stdout', Buffer.from('hello\nwor'));
  log.write('stderr', Buffer.from('oops\n'));
  log.write('stdout', Buffer.from('ld\n\nlast'));
  await log.close();
  const ts = '2026-12-06T22:30:20.123000000Z';
  t.equal(await readFile(path, 'utf8'), [
    `${ts} stdout F hello`,
    `${ts} stderr F oops`,
    `${ts} stdout F world`,
    `${ts} stdout F `,
    `${ts} stdout P last`,
    '',
  ].join('\n'));
});

t.test('a line longer than 16 KiB is written in P pieces ending with F', async (t) => {
  const path = join(await tempDir(t), '0.log');
  const log = openContainerLog({ path, maxSizeBytes: 1 << 20, maxFiles: 5, now: fixedClock });
  const long = 'a'.repeat(maxLineBytes * 2 + 10);
  log.write('stdout', Buffer.from(long.slice(0, maxLineBytes + 5)));
  log.write('stdout', Buffer.from(long.slice(maxLineBytes + 5) + '\n'));
  await log.close();
  const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
  t.same(lines.map((l) => l.split(' ')[2]), ['P', 'P', 'F']);
  t.equal(lines.map((l) => l.split(' ')[3]).join(''), long);
});

t.test('the file rotates past maxSizeBytes and keeps maxFiles-1 rotated files', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, '0.log');
  let ms = Date.UTC(2026, 11, 6, 22, 30, 20, 0);
  const log = openContainerLog({ path, maxSizeBytes: 100, maxFiles: 3, now: () => new Date((ms += 1000)) });
  for (let i = 0; i < 20; i++) log.write('stdout', Buffer.from(`line ${i} ${'x'.repeat(40)}\n`));
  await log.close();
  const files = (await readdir(dir)).sort();
  t.equal(files.length, 3, 'the live file and two rotated ones');
  t.ok(files.includes('0.log'));
  for (const f of files.filter((f) => f !== '0.log')) t.match(f, /^0\.log\.\d{8}-\d{6}\.\d{3}$/);
  const all = (await Promise.all(files.filter((f) => f !== '0.log').concat('0.log').map((f) => readFile(join(dir, f), 'utf8')))).join('');
  t.match(all, /stdout F line 19 /, 'the newest lines are kept');
  t.notMatch(all, /stdout F line 0 /, 'the oldest were deleted');
  t.equal(rotatedName('/x/0.log', new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6))), '/x/0.log.20260102-030405.006');
});

t.test('a reopened log appends and counts the size it already has', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, '0.log');
  const first = openContainerLog({ path, maxSizeBytes: 80, maxFiles: 2, now: fixedClock });
  first.write('stdout', Buffer.from('one\n'));
  await first.close();
  const second = openContainerLog({ path, maxSizeBytes: 80, maxFiles: 2, now: fixedClock });
  second.write('stdout', Buffer.from('two\n'));
  await second.close();
  t.equal((await readdir(dir)).length, 2, 'the two entries passed 80 bytes: rotated once');
});
