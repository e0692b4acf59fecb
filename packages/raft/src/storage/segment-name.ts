// WAL segment file names: <seq>-<firstIndex>.wal, both as 16 hex digits, so that a directory
// listing sorts in log order and release can pick segments by index without opening them.

export interface SegmentName {
  seq: number;
  firstIndex: number;
}

const PATTERN = /^([0-9a-f]{16})-([0-9a-f]{16})\.wal$/;
export const SEGMENT_TMP_SUFFIX = '.wal.tmp';

const hex16 = (n: number): string => n.toString(16).padStart(16, '0');

export function segmentFileName(s: SegmentName): string {
  return `${hex16(s.seq)}-${hex16(s.firstIndex)}.wal`;
}

export function parseSegmentFileName(name: string): SegmentName | undefined {
  const m = PATTERN.exec(name);
  if (!m) return undefined;
  const seq = Number.parseInt(m[1]!, 16);
  const firstIndex = Number.parseInt(m[2]!, 16);
  if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(firstIndex)) return undefined;
  return { seq, firstIndex };
}
