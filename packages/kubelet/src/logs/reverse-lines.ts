// Reads a file's lines from the end backwards, a chunk at a time, so that `tailLines` costs the
// size of the tail rather than the size of the file (upstream's pkg/util/tail does the same).
import type { FileHandle } from 'node:fs/promises';
import { LogReadError } from './errors.js';

export interface PositionedLine {
  /** Offset of the line's first byte in the file. */
  start: number;
  /** The line with its newline (the last line of a file may have none). */
  line: Buffer;
}

const NEWLINE = 0x0a;
const chunkSize = 64 * 1024;

/** The physical lines of the file's first `end` bytes, the last one first. Never yields an empty line. */
export async function* linesBackwards(file: FileHandle, end: number): AsyncGenerator<PositionedLine> {
  let lineEnd = end; // exclusive end of the line being looked for
  let bufStart = end; // buf holds the bytes [bufStart, lineEnd)
  let buf = Buffer.alloc(0);
  while (lineEnd > 0) {
    // The line ends with its own newline at lineEnd-1; its start follows the newline before that.
    const searchFrom = lineEnd - 2 - bufStart;
    const idx = searchFrom >= 0 ? buf.lastIndexOf(NEWLINE, searchFrom) : -1;
    if (idx >= 0) {
      yield { start: bufStart + idx + 1, line: buf.subarray(idx + 1) };
      lineEnd = bufStart + idx + 1;
      buf = buf.subarray(0, idx + 1);
    } else if (bufStart === 0) {
      yield { start: 0, line: buf };
      return;
    } else {
      const from = Math.max(0, bufStart - chunkSize);
      const chunk = Buffer.alloc(bufStart - from);
      await readFully(file, chunk, from);
      buf = Buffer.concat([chunk, buf]);
      bufStart = from;
    }
  }
}

export async function readFully(file: FileHandle, into: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < into.length) {
    const { bytesRead } = await file.read(into, done, into.length - done, position + done);
    // Our writer only appends and renames; a file that shrinks was truncated by someone else.
    if (bytesRead === 0) throw new LogReadError('LogFileTruncated', `log file ended at ${position + done} while reading ${into.length} bytes at ${position}`);
    done += bytesRead;
  }
}
