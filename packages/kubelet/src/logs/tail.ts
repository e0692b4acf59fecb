// Where `tailLines=N` starts: the first byte of the Nth-last line, across a container's files.
// A line here is a whole line as the reader prints it, so a line the runtime wrote as P fragments
// counts once (upstream counts each fragment; joined output makes whole lines the honest unit).
// Interleaved fragments of the two streams are not untangled: a line ends at any F line.
import type { FileHandle } from 'node:fs/promises';
import { parseCriLine, type LogStream } from './cri-line.js';
import { linesBackwards } from './reverse-lines.js';

export interface OpenLogFile {
  handle: FileHandle;
  /** The bytes to read: the size when opened (more may follow while following). */
  size: number;
}

export interface FilePosition {
  fileIndex: number;
  offset: number;
}

export type StreamSelection = LogStream | 'all';

/** The position of the first byte of the last `lines` lines of the selected stream(s); files are oldest first. */
export async function findTailStart(files: readonly OpenLogFile[], lines: number, stream: StreamSelection): Promise<FilePosition> {
  const last = files.length - 1;
  if (lines <= 0 || last < 0) return { fileIndex: Math.max(last, 0), offset: last < 0 ? 0 : files[last]!.size };
  let counted = 0;
  for (let i = last; i >= 0; i--) {
    for await (const { start, line } of linesBackwards(files[i]!.handle, files[i]!.size)) {
      const parsed = parseCriLine(line);
      if (parsed === undefined || (stream !== 'all' && parsed.stream !== stream)) continue;
      if (counted === 0 && parsed.partial) {
        counted = 1; // an unfinished line at the end is printed, so it counts
      } else if (!parsed.partial) {
        if (counted === lines) return { fileIndex: i, offset: start + line.length };
        counted++;
      }
    }
  }
  return { fileIndex: 0, offset: 0 };
}
