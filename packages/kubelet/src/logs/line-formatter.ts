// What the reader prints for each CRI line, as upstream's logWriter decides it: lines older than
// `since` are skipped, `timestamps` puts the line's time and a space before it, and `limitBytes`
// cuts the output after that many bytes. Partial (P) lines are printed as they come, without
// their newline, so the fragments of a line join into one; the time goes before the first
// fragment only, as the line's time (upstream prefixes every fragment).
import type { CriLine, LogStream } from './cri-line.js';
import type { StreamSelection } from './tail.js';

export interface LineFormatterOptions {
  sinceNanos?: bigint;
  timestamps: boolean;
  limitBytes?: number;
  stream: StreamSelection;
}

export class LineFormatter {
  private remaining: number;
  /** Streams in the middle of a line (their last line was a P fragment). */
  private readonly midLine = new Set<LogStream>();

  constructor(private readonly o: LineFormatterOptions) {
    this.remaining = o.limitBytes ?? Number.POSITIVE_INFINITY;
  }

  /** True once limitBytes bytes have been printed: nothing more may be. */
  get exhausted(): boolean {
    return this.remaining <= 0;
  }

  /** The bytes to print for this line (possibly none). */
  format(line: CriLine): Buffer | undefined {
    if (this.exhausted) return undefined;
    if (this.o.stream !== 'all' && line.stream !== this.o.stream) return undefined;
    if (this.o.sinceNanos !== undefined && line.timeNanos < this.o.sinceNanos) return undefined;
    const startsLine = !this.midLine.has(line.stream);
    if (line.partial) this.midLine.add(line.stream);
    else this.midLine.delete(line.stream);
    let out = this.o.timestamps && startsLine ? Buffer.concat([Buffer.from(`${line.timestamp} `), line.content]) : line.content;
    if (out.length > this.remaining) out = out.subarray(0, this.remaining);
    this.remaining -= out.length;
    return out.length > 0 ? out : undefined;
  }
}
