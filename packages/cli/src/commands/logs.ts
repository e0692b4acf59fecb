// `kubets logs <process> [-f] [--tail N]`: a process's log file from the data dir, followed
// with -f as `tail -f` does (new lines as they are written, until Ctrl-C).
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { clusterPaths } from '../cluster/layout.js';
import { UsageError } from './errors.js';

export interface LogsOptions {
  dataDir: string;
  process: string;
  follow: boolean;
  /** Lines from the end; -1 for all. */
  tail: number;
}

export function logNames(dataDir: string): string[] {
  const dir = clusterPaths(dataDir).logsDir;
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.log')).map((f) => f.slice(0, -4)).sort() : [];
}

export async function logs(o: LogsOptions): Promise<number> {
  const names = logNames(o.dataDir);
  // `kubets logs apiserver` means apiserver-0, as `kubectl logs deploy/x` picks one pod.
  const name = names.includes(o.process) ? o.process : names.find((n) => n.startsWith(`${o.process}-`));
  if (name === undefined) throw new UsageError(`no log for "${o.process}"; the logs are: ${names.join(', ') || 'none yet'}`);
  const path = clusterPaths(o.dataDir).logFile(name);
  let offset = printTail(path, o.tail);
  while (o.follow) {
    await new Promise((r) => setTimeout(r, 200));
    offset = copyFrom(path, offset);
  }
  return 0;
}

function printTail(path: string, lines: number): number {
  const size = statSync(path).size;
  if (lines < 0) return copyFrom(path, 0);
  // Read back in blocks until enough newlines are seen.
  let start = size;
  let text = '';
  while (start > 0 && text.split('\n').length <= lines + 1) {
    const from = Math.max(0, start - 64 * 1024);
    text = read(path, from, start - from) + text;
    start = from;
  }
  const kept = text.split('\n');
  process.stdout.write(kept.slice(Math.max(0, kept.length - lines - 1)).join('\n'));
  return size;
}

/** Writes what the file holds from offset on; returns the new offset. A truncated file is read from the start. */
function copyFrom(path: string, offset: number): number {
  const size = statSync(path).size;
  const from = size < offset ? 0 : offset;
  if (size > from) process.stdout.write(read(path, from, size - from));
  return size;
}

function read(path: string, position: number, length: number): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    readSync(fd, buf, 0, length, position);
    return buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
}
