// readContainerLogs against hand-written CRI files: what it prints, as upstream's ReadLogs
// decides it, over a container run's rotated files and its current one.
import { join } from 'node:path';
import { renameSync } from 'node:fs';
import { eventually } from '@kubets/testing';
import t from 'tap';
import { readContainerLogs, type ReadLogsOptions } from '../src/logs/reader.js';
import { appendLog, at, cri, isOpenHere, Sink, tempDir, writeLog } from './logs-fixtures.js';

/** Takes each chunk a turn of the event loop later, so that its buffer fills when written to too fast. */
class SlowSink extends Sink {
  override _write(chunk: Buffer, enc: BufferEncoding, done: () => void): void {
    setImmediate(() => super._write(chunk, enc, done));
  }
}

async function read(files: string[], o: Partial<ReadLogsOptions> = {}): Promise<string> {
  const sink = new Sink();
  await readContainerLogs({ files, follow: false, timestamps: false, signal: new AbortController().signal, ...o }, sink);
  return sink.text;
}

/** Three files of one run: two rotated (lines 1-2, 3-4) and the current one (lines 5-6). */
function rotatedRun(dir: string): string[] {
  return [
    writeLog(join(dir, '0.log.20260101-000001.000'), cri(1, 'stdout', 'F', 'one'), cri(2, 'stdout', 'F', 'two')),
    writeLog(join(dir, '0.log.20260101-000003.000'), cri(3, 'stdout', 'F', 'three'), cri(4, 'stderr', 'F', 'four')),
    writeLog(join(dir, '0.log'), cri(5, 'stdout', 'F', 'five'), cri(6, 'stdout', 'F', 'six')),
  ];
}

t.test('the whole log is every file in order, both streams', async (t) => {
  t.equal(await read(rotatedRun(tempDir(t))), 'one\ntwo\nthree\nfour\nfive\nsix\n');
});

t.test('partial lines join with their continuation into one line', async (t) => {
  const file = writeLog(join(tempDir(t), '0.log'), cri(1, 'stdout', 'P', 'hel'), cri(1, 'stdout', 'P', 'lo '), cri(2, 'stdout', 'F', 'world'), cri(3, 'stdout', 'F', 'next'));
  t.equal(await read([file]), 'hello world\nnext\n');
});

t.test('an unfinished partial line at the end is printed without a newline', async (t) => {
  const file = writeLog(join(tempDir(t), '0.log'), cri(1, 'stdout', 'F', 'a'), cri(2, 'stdout', 'P', 'prompt> '));
  t.equal(await read([file]), 'a\nprompt> ');
});

t.test('lines that are not CRI are skipped', async (t) => {
  const file = writeLog(join(tempDir(t), '0.log'), cri(1, 'stdout', 'F', 'a'), 'garbage\n', '2026-01-01T00:00:02Z stdin F x\n', cri(3, 'stdout', 'F', 'b'));
  t.equal(await read([file]), 'a\nb\n');
});

t.test('an empty full line is an empty line', async (t) => {
  const file = writeLog(join(tempDir(t), '0.log'), cri(1, 'stdout', 'F', ''), '2026-01-01T00:00:02Z stdout F\n', cri(3, 'stdout', 'F', 'x'));
  t.equal(await read([file]), '\n\nx\n');
});

t.test('timestamps put the line time with nine fraction digits before each line, once per joined line', async (t) => {
  const file = writeLog(
    join(tempDir(t), '0.log'),
    '2026-01-01T00:00:01.5Z stdout F short fraction\n',
    '2026-01-01T00:00:02Z stdout F no fraction\n',
    cri(3, 'stdout', 'P', 'joined '),
    cri(4, 'stdout', 'F', 'line'),
  );
  t.equal(
    await read([file], { timestamps: true }),
    '2026-01-01T00:00:01.500000000Z short fraction\n2026-01-01T00:00:02.000000000Z no fraction\n2026-01-01T00:00:03.123456789Z joined line\n',
  );
});

t.test('tailLines counts whole lines from the end, across rotated files', async (t) => {
  const files = rotatedRun(tempDir(t));
  t.equal(await read(files, { tailLines: 1 }), 'six\n');
  t.equal(await read(files, { tailLines: 3 }), 'four\nfive\nsix\n');
  t.equal(await read(files, { tailLines: 5 }), 'two\nthree\nfour\nfive\nsix\n');
  t.equal(await read(files, { tailLines: 100 }), 'one\ntwo\nthree\nfour\nfive\nsix\n');
  t.equal(await read(files, { tailLines: 0 }), '');
});

t.test('tailLines counts a line written in fragments once, and an unfinished one too', async (t) => {
  const file = writeLog(join(tempDir(t), '0.log'), cri(1, 'stdout', 'F', 'a'), cri(2, 'stdout', 'P', 'b1'), cri(2, 'stdout', 'P', 'b2'), cri(2, 'stdout', 'F', 'b3'), cri(3, 'stdout', 'P', 'c'));
  t.equal(await read([file], { tailLines: 1 }), 'c');
  t.equal(await read([file], { tailLines: 2 }), 'b1b2b3\nc');
  t.equal(await read([file], { tailLines: 3 }), 'a\nb1b2b3\nc');
});

t.test('tailLines reads backwards over chunk boundaries in a large file', async (t) => {
  const lines = Array.from({ length: 5000 }, (_, i) => cri(i % 60, 'stdout', 'F', `line ${i} ${'x'.repeat(i % 97)}`));
  const file = writeLog(join(tempDir(t), '0.log'), ...lines);
  const expected = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(i % 97)}\n`);
  t.equal(await read([file], { tailLines: 3000 }), expected.slice(-3000).join(''));
  t.equal(await read([file], { tailLines: 4999 }), expected.slice(1).join(''));
});

t.test('stream selects stdout or stderr lines, also for tailLines', async (t) => {
  const files = rotatedRun(tempDir(t));
  t.equal(await read(files, { stream: 'stderr' }), 'four\n');
  t.equal(await read(files, { stream: 'stdout', tailLines: 2 }), 'five\nsix\n');
  t.equal(await read(files, { stream: 'stderr', tailLines: 2 }), 'four\n');
});

t.test('sinceTime skips older lines and keeps a line at exactly that time', async (t) => {
  const files = rotatedRun(tempDir(t));
  t.equal(await read(files, { sinceTime: at(4) }), 'four\nfive\nsix\n');
  t.equal(await read(files, { sinceTime: new Date(at(4).getTime() + 124) }), 'five\nsix\n');
  t.equal(await read(files, { sinceTime: at(60) }), '');
});

t.test('tailLines is applied before sinceTime, as upstream', async (t) => {
  t.equal(await read(rotatedRun(tempDir(t)), { tailLines: 3, sinceTime: at(5) }), 'five\nsix\n');
});

t.test('limitBytes cuts the output after that many bytes, timestamps counted', async (t) => {
  const files = rotatedRun(tempDir(t));
  t.equal(await read(files, { limitBytes: 6 }), 'one\ntw');
  t.equal(await read(files, { limitBytes: 4 }), 'one\n');
  t.equal(await read(files, { limitBytes: 33, timestamps: true }), '2026-01-01T00:00:01.123456789Z on');
});

t.test('files that are gone (deleted by rotation) or not yet made are skipped', async (t) => {
  const dir = tempDir(t);
  const file = writeLog(join(dir, '1.log.20260101-000001.000'), cri(1, 'stdout', 'F', 'kept'));
  t.equal(await read([join(dir, '1.log.20260101-000000.000'), file, join(dir, '1.log')]), 'kept\n');
});

t.test('no files print nothing, also when following', async (t) => {
  t.equal(await read([]), '');
  t.equal(await read([], { follow: true }), '');
});

t.test('follow', async (t) => {
  t.test('prints lines as they are appended, and ends on abort', async (t) => {
    const file = writeLog(join(tempDir(t), '0.log'), cri(1, 'stdout', 'F', 'first'));
    const sink = new Sink();
    const abort = new AbortController();
    const done = readContainerLogs({ files: [file], follow: true, timestamps: false, signal: abort.signal }, sink);
    t.teardown(() => abort.abort());
    await eventually(() => sink.text === 'first\n', 'the existing line');
    appendLog(file, cri(2, 'stdout', 'P', 'sec'));
    appendLog(file, cri(2, 'stdout', 'F', 'ond'));
    await eventually(() => sink.text === 'first\nsecond\n', 'the appended line');
    abort.abort();
    await done;
    t.equal(sink.text, 'first\nsecond\n');
  });

  t.test('a line written in two writes is printed once it is whole', async (t) => {
    const file = writeLog(join(tempDir(t), '0.log'));
    const sink = new Sink();
    const abort = new AbortController();
    const done = readContainerLogs({ files: [file], follow: true, timestamps: false, signal: abort.signal }, sink);
    t.teardown(() => abort.abort());
    const line = cri(1, 'stdout', 'F', 'whole');
    appendLog(file, line.slice(0, 20));
    appendLog(file, line.slice(20));
    await eventually(() => sink.text === 'whole\n', 'the line');
    abort.abort();
    await done;
  });

  t.test('follows a rotation to the new current file, reading the old one to its end', async (t) => {
    const dir = tempDir(t);
    const file = writeLog(join(dir, '0.log'), cri(1, 'stdout', 'F', 'before'));
    const sink = new Sink();
    const abort = new AbortController();
    const done = readContainerLogs({ files: [file], follow: true, timestamps: false, signal: abort.signal }, sink);
    t.teardown(() => abort.abort());
    await eventually(() => sink.text === 'before\n', 'the first line');
    appendLog(file, cri(2, 'stdout', 'F', 'last of old'));
    const rotated = join(dir, '0.log.20260101-000002.000');
    renameSync(file, rotated);
    writeLog(file, cri(3, 'stdout', 'F', 'after'));
    appendLog(file, cri(4, 'stdout', 'F', 'more'));
    await eventually(() => sink.text === 'before\nlast of old\nafter\nmore\n', 'the lines of both files');
    t.notOk(isOpenHere(rotated), 'the rotated-away file is closed');
    t.ok(isOpenHere(file), 'the new current file is followed');
    abort.abort();
    await done;
  });

  t.test('waits for a current file that does not exist yet', async (t) => {
    const dir = tempDir(t);
    const sink = new Sink();
    const abort = new AbortController();
    const done = readContainerLogs({ files: [join(dir, '0.log')], follow: true, timestamps: false, signal: abort.signal }, sink);
    t.teardown(() => abort.abort());
    writeLog(join(dir, '0.log'), cri(1, 'stdout', 'F', 'hello'));
    await eventually(() => sink.text === 'hello\n', 'the line');
    abort.abort();
    await done;
  });

  t.test('ends once the container has stopped and all it wrote is printed', async (t) => {
    const file = writeLog(join(tempDir(t), '0.log'), cri(1, 'stdout', 'F', 'a'));
    const sink = new Sink();
    let running = true;
    const done = readContainerLogs({ files: [file], follow: true, timestamps: false, isRunning: () => running, signal: new AbortController().signal }, sink);
    await eventually(() => sink.text === 'a\n', 'the first line');
    appendLog(file, cri(2, 'stdout', 'F', 'b'), cri(3, 'stdout', 'P', 'unfinished'));
    running = false;
    await done;
    t.equal(sink.text, 'a\nb\nunfinished');
  });

  t.test('of a stopped container prints everything and ends', async (t) => {
    const files = rotatedRun(tempDir(t));
    const sink = new Sink();
    await readContainerLogs({ files, follow: true, tailLines: 2, timestamps: false, isRunning: () => false, signal: new AbortController().signal }, sink);
    t.equal(sink.text, 'five\nsix\n');
  });

  t.test('ends when limitBytes is reached', async (t) => {
    const file = writeLog(join(tempDir(t), '0.log'), cri(1, 'stdout', 'F', 'abc'));
    const sink = new Sink();
    const done = readContainerLogs({ files: [file], follow: true, limitBytes: 6, timestamps: false, signal: new AbortController().signal }, sink);
    await eventually(() => sink.text === 'abc\n', 'the first line');
    appendLog(file, cri(2, 'stdout', 'F', 'defgh'));
    await done;
    t.equal(sink.text, 'abc\nde');
  });

  t.test('with tailLines starts at the tail and goes on', async (t) => {
    const files = rotatedRun(tempDir(t));
    const sink = new Sink();
    const abort = new AbortController();
    const done = readContainerLogs({ files, follow: true, tailLines: 1, timestamps: false, signal: abort.signal }, sink);
    t.teardown(() => abort.abort());
    await eventually(() => sink.text === 'six\n', 'the tail');
    t.notOk(isOpenHere(files[0]!) || isOpenHere(files[1]!), 'the rotated files are closed once read');
    appendLog(files[2]!, cri(7, 'stdout', 'F', 'seven'));
    await eventually(() => sink.text === 'six\nseven\n', 'the tail and the new line');
    abort.abort();
    await done;
  });
  t.end();
});

t.test('a slow output is written no faster than it drains', async (t) => {
  const lines = Array.from({ length: 5000 }, (_, i) => cri(1, 'stdout', 'F', `${i} ${'y'.repeat(200)}`));
  const file = writeLog(join(tempDir(t), '0.log'), ...lines);
  const sink = new SlowSink({ highWaterMark: 1024 });
  let maxBuffered = 0;
  const write = sink.write.bind(sink);
  sink.write = ((chunk: Buffer) => {
    const ok = write(chunk);
    maxBuffered = Math.max(maxBuffered, sink.writableLength);
    return ok;
  }) as typeof sink.write;
  await readContainerLogs({ files: [file], follow: false, timestamps: false, signal: new AbortController().signal }, sink);
  await new Promise((resolve) => sink.end(resolve));
  t.equal(sink.text.split('\n').length, 5001);
  t.ok(maxBuffered < 4096, `at most a line beyond the high water mark was buffered (${maxBuffered})`);
});
