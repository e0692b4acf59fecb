// Reads one log file forwards from a position, handing complete physical lines to a consumer and
// keeping an unfinished last line until its end arrives (a writer may be mid-line).
import type { FileHandle } from 'node:fs/promises';

/** Takes one physical line; false stops the reading (limit reached, or aborted). */
export type LineConsumer = (line: Buffer) => Promise<boolean>;

const NEWLINE = 0x0a;
const chunkSize = 64 * 1024;

export class FileCursor {
  private pending = Buffer.alloc(0);
  private readonly chunk = Buffer.alloc(chunkSize);

  constructor(
    readonly handle: FileHandle,
    private position: number,
  ) {}

  /** Reads up to byte `end` (or to the end of the file as it is now); false when the consumer stopped. */
  async readTo(end: number, consume: LineConsumer): Promise<boolean> {
    while (this.position < end) {
      const want = Math.min(chunkSize, end - this.position);
      const { bytesRead } = await this.handle.read(this.chunk, 0, want, this.position);
      if (bytesRead === 0) return true;
      this.position += bytesRead;
      if (!(await this.consumeLines(Buffer.concat([this.pending, this.chunk.subarray(0, bytesRead)]), consume))) return false;
    }
    return true;
  }

  /** Hands on the unfinished last line, for when no more will come (the file was rotated, or reading ends). */
  async flush(consume: LineConsumer): Promise<boolean> {
    const rest = this.pending;
    this.pending = Buffer.alloc(0);
    return rest.length === 0 ? true : consume(rest);
  }

  private async consumeLines(data: Buffer, consume: LineConsumer): Promise<boolean> {
    let from = 0;
    for (let nl = data.indexOf(NEWLINE); nl >= 0; nl = data.indexOf(NEWLINE, from)) {
      const line = data.subarray(from, nl + 1);
      from = nl + 1;
      if (!(await consume(line))) return false;
    }
    // Copied, so that the chunk buffer can be reused for the next read.
    this.pending = Buffer.from(data.subarray(from));
    return true;
  }
}
