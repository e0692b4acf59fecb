// One line of a CRI log file: `<RFC3339Nano time> <stdout|stderr> <tags> <content>\n`, where the
// first tag is F (the line is full) or P (partial: the content continues in this stream's next
// line; the runtime split a long line or the process wrote no newline yet). Upstream's
// parseCRILog reads the same shape (pkg/kubelet/kuberuntime/logs/logs.go).

export type LogStream = 'stdout' | 'stderr';

export interface CriLine {
  stream: LogStream;
  partial: boolean;
  /** Nanoseconds since the epoch, for the since filter (a Date keeps only milliseconds). */
  timeNanos: bigint;
  /** The time as upstream writes it with timestamps=true: RFC3339 with exactly nine fraction digits. */
  timestamp: string;
  /** The content; a full line keeps its newline, a partial one has it removed. */
  content: Buffer;
}

const SPACE = 0x20;
const NEWLINE = 0x0a;
const rfc3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

export interface ParsedTime {
  nanos: bigint;
  fixed: string;
}

// Lines come many to a second: the last second parsed is kept, since Date.parse dominates the cost.
let lastSecond = '';
let lastSecondMillis = Number.NaN;

function secondMillis(secondWithZone: string): number {
  if (secondWithZone !== lastSecond) {
    lastSecond = secondWithZone;
    lastSecondMillis = Date.parse(secondWithZone);
  }
  return lastSecondMillis;
}

/** Parses an RFC3339 time with up to nine fraction digits; undefined when it is not one. */
export function parseRfc3339Nano(text: string): ParsedTime | undefined {
  const m = rfc3339.exec(text);
  if (m === null) return undefined;
  const [, seconds, fraction = '', zone] = m;
  const millis = secondMillis(`${seconds}${zone}`);
  if (Number.isNaN(millis)) return undefined;
  const nineDigits = fraction.padEnd(9, '0');
  // Go prints a zero offset as Z, whatever the input said.
  const fixedZone = zone === '+00:00' || zone === '-00:00' ? 'Z' : zone;
  return { nanos: BigInt(millis) * 1_000_000n + BigInt(nineDigits), fixed: `${seconds}.${nineDigits}${fixedZone}` };
}

export function dateToNanos(date: Date): bigint {
  return BigInt(date.getTime()) * 1_000_000n;
}

/** Parses one physical line (with or without its trailing newline); undefined when it is not CRI. */
export function parseCriLine(line: Buffer): CriLine | undefined {
  const timeEnd = line.indexOf(SPACE);
  if (timeEnd < 0) return undefined;
  const time = parseRfc3339Nano(line.toString('latin1', 0, timeEnd));
  if (time === undefined) return undefined;
  const streamEnd = line.indexOf(SPACE, timeEnd + 1);
  if (streamEnd < 0) return undefined;
  const stream = line.toString('latin1', timeEnd + 1, streamEnd);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  let tagsEnd = line.indexOf(SPACE, streamEnd + 1);
  // Lenient where upstream is strict: `<time> stdout F\n` is an empty line, not garbage.
  const contentStart = tagsEnd < 0 ? line.length : tagsEnd + 1;
  if (tagsEnd < 0) tagsEnd = line[line.length - 1] === NEWLINE ? line.length - 1 : line.length;
  const firstTag = line.toString('latin1', streamEnd + 1, tagsEnd).split(':')[0];
  const partial = firstTag === 'P';
  let content = line.subarray(Math.min(contentStart, line.length));
  if (partial && content[content.length - 1] === NEWLINE) content = content.subarray(0, content.length - 1);
  if (!partial && content[content.length - 1] !== NEWLINE) content = Buffer.concat([content, Buffer.from('\n')]);
  return { stream, partial, timeNanos: time.nanos, timestamp: time.fixed, content };
}
