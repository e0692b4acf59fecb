// Where the reader writes: a Writable (an HTTP response, a test's sink). Writes respect its
// backpressure, so a slow client slows the reading instead of filling memory.

export interface LogOutput {
  write(chunk: Buffer): boolean;
  once(event: 'drain' | 'close', listener: () => void): unknown;
  removeListener(event: 'drain' | 'close', listener: () => void): unknown;
}

/** Writes the chunk and, when the output's buffer is full, waits until it drains, closes or the signal aborts. */
export async function writeWithBackpressure(out: LogOutput, chunk: Buffer, signal: AbortSignal): Promise<void> {
  if (out.write(chunk) || signal.aborted) return;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      out.removeListener('drain', done);
      out.removeListener('close', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    out.once('drain', done);
    out.once('close', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
