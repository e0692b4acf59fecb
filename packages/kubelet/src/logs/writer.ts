// Writes a container's stdout and stderr to its log file in the CRI log format, one entry a line:
//   2026-12-06T22:30:20.123456789Z stdout F the line
// F marks a full line, P a partial one: a line longer than 16 KiB is written in 16 KiB pieces
// tagged P with the last piece tagged F, as containerd does; what is left without a newline at
// close is written tagged P. When the file passes maxSizeBytes it is renamed to
// `<file>.<UTC YYYYMMDD-HHMMSS.mmm>` (the log reader lists the rotated files by this name) and
// at most maxFiles-1 rotated files are kept.
//
// Writes are synchronous: entries stay in order across both streams and a close never loses a
// queued write, at the cost of a short block of the event loop per chunk on a local disk.
import { closeSync, fstatSync, openSync, readdirSync, renameSync, existsSync, unlinkSync, writeSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export type LogStream = 'stdout' | 'stderr';

export interface ContainerLogWriter {
  write(stream: LogStream, chunk: Buffer): void;
  close(): Promise<void>;
}

export interface ContainerLogOptions {
  path: string;
  maxSizeBytes: number;
  maxFiles: number;
  /** The clock, for tests; by default the wall clock with sub-millisecond digits. */
  now?: () => Date;
}

/** The longest line piece written as one entry; longer lines are split and tagged P. */
export const maxLineBytes = 16 * 1024;

const newline = 0x0a;

export function openContainerLog(options: ContainerLogOptions): ContainerLogWriter {
  mkdirSync(dirname(options.path), { recursive: true });
  const file = new RotatingFile(options);
  const pending: Record<LogStream, Buffer[]> = { stdout: [], stderr: [] };
  const pendingBytes: Record<LogStream, number> = { stdout: 0, stderr: 0 };
  const timestamp = options.now === undefined ? wallClockTimestamp : () => rfc3339Nano(options.now!());
  let closed = false;

  const emit = (stream: LogStream, tag: 'F' | 'P', content: Buffer) => {
    file.append(Buffer.concat([Buffer.from(`${timestamp()} ${stream} ${tag} `), content, Buffer.from('\n')]));
  };
  const takePending = (stream: LogStream, tail: Buffer): Buffer => {
    const all = Buffer.concat([...pending[stream], tail]);
    pending[stream] = [];
    pendingBytes[stream] = 0;
    return all;
  };

  return {
    write(stream, chunk) {
      if (closed) return;
      let start = 0;
      for (let nl = chunk.indexOf(newline, start); nl >= 0; nl = chunk.indexOf(newline, start)) {
        emitLine(stream, takePending(stream, chunk.subarray(start, nl)), emit);
        start = nl + 1;
      }
      if (start < chunk.length) {
        pending[stream].push(chunk.subarray(start));
        pendingBytes[stream] += chunk.length - start;
        if (pendingBytes[stream] >= maxLineBytes) {
          const rest = emitPieces(stream, takePending(stream, Buffer.alloc(0)), emit);
          if (rest.length > 0) pending[stream].push(rest);
          pendingBytes[stream] = rest.length;
        }
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const stream of ['stdout', 'stderr'] as const) {
        if (pendingBytes[stream] > 0) emit(stream, 'P', takePending(stream, Buffer.alloc(0)));
      }
      file.close();
    },
  };
}

/** A whole line: 16 KiB pieces tagged P, the last tagged F. */
function emitLine(stream: LogStream, line: Buffer, emit: (s: LogStream, tag: 'F' | 'P', c: Buffer) => void): void {
  let offset = 0;
  while (line.length - offset > maxLineBytes) {
    emit(stream, 'P', line.subarray(offset, offset + maxLineBytes));
    offset += maxLineBytes;
  }
  emit(stream, 'F', line.subarray(offset));
}

/** A partial line that has grown past 16 KiB: its whole pieces go out tagged P; the rest stays pending. */
function emitPieces(stream: LogStream, partial: Buffer, emit: (s: LogStream, tag: 'F' | 'P', c: Buffer) => void): Buffer {
  let offset = 0;
  for (; partial.length - offset >= maxLineBytes; offset += maxLineBytes) emit(stream, 'P', partial.subarray(offset, offset + maxLineBytes));
  return partial.subarray(offset);
}

class RotatingFile {
  private fd: number;
  private size: number;

  constructor(private readonly options: ContainerLogOptions) {
    this.fd = openSync(options.path, 'a');
    this.size = fstatSync(this.fd).size;
  }

  append(entry: Buffer): void {
    let written = 0;
    while (written < entry.length) written += writeSync(this.fd, entry, written);
    this.size += entry.length;
    if (this.size > this.options.maxSizeBytes) this.rotate();
  }

  close(): void {
    closeSync(this.fd);
  }

  private rotate(): void {
    closeSync(this.fd);
    renameSync(this.options.path, this.freeRotatedName());
    removeOldRotated(this.options.path, Math.max(0, this.options.maxFiles - 1));
    this.fd = openSync(this.options.path, 'a');
    this.size = 0;
  }

  /** `<file>.<stamp>`, a millisecond later while one of that name exists, so none is overwritten. */
  private freeRotatedName(): string {
    let at = (this.options.now ?? (() => new Date()))().getTime();
    while (existsSync(rotatedName(this.options.path, new Date(at)))) at += 1;
    return rotatedName(this.options.path, new Date(at));
  }
}

export function rotatedName(path: string, at: Date): string {
  const iso = at.toISOString(); // 2026-12-06T22:30:20.123Z
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 23)}`;
  return `${path}.${stamp}`;
}

/** Deletes the oldest rotated files of path until at most keep remain (the stamps sort by time). */
function removeOldRotated(path: string, keep: number): void {
  const prefix = `${basename(path)}.`;
  const rotated = readdirSync(dirname(path))
    .filter((name) => name.startsWith(prefix) && /^\d{8}-\d{6}\.\d{3}$/.test(name.slice(prefix.length)))
    .sort();
  for (const name of rotated.slice(0, Math.max(0, rotated.length - keep))) unlinkSync(join(dirname(path), name));
}

/** RFC 3339 with nine fractional digits, in UTC, as the CRI log format writes it. */
export function rfc3339Nano(at: Date, subMillisecondNanos = 0): string {
  const iso = at.toISOString();
  const nanos = String(at.getUTCMilliseconds() * 1_000_000 + subMillisecondNanos).padStart(9, '0');
  return `${iso.slice(0, 19)}.${nanos}Z`;
}

/** The wall clock; the digits below the millisecond come from the monotonic clock. */
function wallClockTimestamp(): string {
  return rfc3339Nano(new Date(), Number(process.hrtime.bigint() % 1_000_000n));
}
