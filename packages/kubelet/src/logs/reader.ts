// readContainerLogs: prints a container run's CRI log, as upstream's kubelet does for
// /containerLogs (ReadLogs in pkg/kubelet/kuberuntime/logs/logs.go), over all of the run's files:
// the rotated ones, oldest first, then the current one, which a follower keeps reading as it
// grows and across rotations. Guarantees:
// - without follow, it prints what the files held when it opened them, and ends;
// - with follow, it ends when the signal aborts, when limitBytes is reached, or once the
//   container has stopped and everything written before it stopped has been printed;
// - it writes no faster than `out` takes, and closes every file it opened.
import { open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ChangeWaiter } from './change-waiter.js';
import { dateToNanos, parseCriLine } from './cri-line.js';
import { FileCursor, type LineConsumer } from './file-cursor.js';
import { LineFormatter } from './line-formatter.js';
import { type LogOutput, writeWithBackpressure } from './log-output.js';
import { findTailStart, type OpenLogFile, type StreamSelection } from './tail.js';

export interface ReadLogsOptions {
  /** The run's files, oldest first; the last is the current file (it may not exist yet). */
  files: string[];
  follow: boolean;
  /** Whole lines from the end; undefined prints all. */
  tailLines?: number;
  /** Lines older than this are skipped. */
  sinceTime?: Date;
  /** Stops after this many bytes. */
  limitBytes?: number;
  /** Prefixes each line with its RFC3339 time (nine fraction digits) and a space. */
  timestamps: boolean;
  stream?: StreamSelection;
  /** Asked when following reaches the end: false ends the follow once the rest is printed. Default: always running. */
  isRunning?: () => boolean;
  signal: AbortSignal;
}

interface OpenedFile extends OpenLogFile {
  path: string;
  ino: number;
}

export async function readContainerLogs(opts: ReadLogsOptions, out: LogOutput): Promise<void> {
  if (opts.files.length === 0) return; // no run, nothing to print or to follow
  const opened = new Set<OpenedFile>();
  try {
    const files = await openExisting(opts.files, opened);
    const formatter = new LineFormatter({
      timestamps: opts.timestamps,
      stream: opts.stream ?? 'all',
      ...(opts.sinceTime !== undefined ? { sinceNanos: dateToNanos(opts.sinceTime) } : {}),
      ...(opts.limitBytes !== undefined ? { limitBytes: opts.limitBytes } : {}),
    });
    const print: LineConsumer = async (line) => {
      const parsed = parseCriLine(line);
      const bytes = parsed === undefined ? undefined : formatter.format(parsed);
      if (bytes !== undefined) await writeWithBackpressure(out, bytes, opts.signal);
      return !formatter.exhausted && !opts.signal.aborted;
    };
    const current = await printHistory(opts, files, opened, print);
    if (current === 'stopped' || !opts.follow) return;
    await follow(opts, current, opened, print);
  } finally {
    await Promise.all([...opened].map((f) => f.handle.close()));
  }
}

async function openExisting(paths: readonly string[], opened: Set<OpenedFile>): Promise<OpenedFile[]> {
  const files: OpenedFile[] = [];
  for (const path of paths) {
    const file = await openIfExists(path, opened);
    if (file !== undefined) files.push(file);
  }
  return files;
}

/** Opens a file and records it for closing; undefined when it is not there (deleted by rotation, or not yet made). */
async function openIfExists(path: string, opened: Set<OpenedFile>): Promise<OpenedFile | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const file: OpenedFile = { path, handle, size: 0, ino: 0 };
  opened.add(file);
  const st = await handle.stat();
  file.size = st.size;
  file.ino = st.ino;
  return file;
}

/**
 * Prints from the tail's start up to each file's size when opened. When following, returns the
 * cursor of the current file (undefined when it does not exist yet) for the follow to go on with.
 */
async function printHistory(opts: ReadLogsOptions, files: OpenedFile[], opened: Set<OpenedFile>, print: LineConsumer): Promise<Following | 'stopped'> {
  const start = opts.tailLines !== undefined ? await findTailStart(files, opts.tailLines, opts.stream ?? 'all') : { fileIndex: 0, offset: 0 };
  const currentPath = opts.files[opts.files.length - 1];
  for (const before of files.slice(0, start.fileIndex)) await closeFile(before, opened);
  for (let i = start.fileIndex; i < files.length; i++) {
    const file = files[i]!;
    const cursor = new FileCursor(file.handle, i === start.fileIndex ? start.offset : 0);
    if (!(await cursor.readTo(file.size, print))) return 'stopped';
    if (opts.follow && file.path === currentPath) return { cursor, file };
    if (!(await cursor.flush(print))) return 'stopped';
    await closeFile(file, opened);
  }
  return { cursor: undefined, file: undefined };
}

/** The current file as the follow reads it: undefined until it exists. */
interface Following {
  cursor: FileCursor | undefined;
  file: OpenedFile | undefined;
}

/** Closes a file that is done with, so that a long follow across many rotations holds one file open. */
async function closeFile(file: OpenedFile, opened: Set<OpenedFile>): Promise<void> {
  opened.delete(file);
  await file.handle.close();
}

async function follow(opts: ReadLogsOptions, state: Following, opened: Set<OpenedFile>, print: LineConsumer): Promise<void> {
  const currentPath = opts.files[opts.files.length - 1]!;
  const isRunning = opts.isRunning ?? (() => true);
  const waiter = new ChangeWaiter(dirname(currentPath), opts.signal);
  try {
    while (!opts.signal.aborted) {
      // Asked before reading, so that whatever it wrote before it stopped is read below.
      const running = isRunning();
      if (state.cursor !== undefined && !(await state.cursor.readTo(Number.POSITIVE_INFINITY, print))) return;
      const rotated = await openIfReplaced(currentPath, state.file?.ino, opened);
      if (rotated !== undefined) {
        if (state.cursor !== undefined && !(await finishFile(state.cursor, print))) return;
        if (state.file !== undefined) await closeFile(state.file, opened);
        state.cursor = new FileCursor(rotated.handle, 0);
        state.file = rotated;
        continue;
      }
      if (!running) {
        await state.cursor?.flush(print);
        return;
      }
      await waiter.wait();
    }
  } finally {
    waiter.close();
  }
}

/** Reads a rotated-away file to its end (the writer may have written after our last read), then its unfinished line. */
async function finishFile(cursor: FileCursor, print: LineConsumer): Promise<boolean> {
  return (await cursor.readTo(Number.POSITIVE_INFINITY, print)) && cursor.flush(print);
}

/** The file now at `path`, opened, when it is another file than the one followed (a rotation made it). */
async function openIfReplaced(path: string, followedIno: number | undefined, opened: Set<OpenedFile>): Promise<OpenedFile | undefined> {
  try {
    if ((await stat(path)).ino === followedIno) return undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // mid-rotation, or not made yet
    throw e;
  }
  return openIfExists(path, opened);
}
