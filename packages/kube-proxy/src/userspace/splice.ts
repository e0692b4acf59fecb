// Splicing two connected TCP sockets both ways: the bytes a proxy moves for one connection.
//
// Guarantees
// - Half-close: when one peer ends its writing (FIN), the other peer's socket is ended after what
//   was read has been written; the other direction keeps flowing until it ends too.
// - Backpressure: a reader is paused as soon as its writer's buffer is over its high-water mark and
//   resumed on 'drain', so a fast peer never makes the proxy buffer more than about one read (64
//   KiB) plus the writer's high-water mark per direction.
// - Errors: a socket that closes without having finished both directions (an error, a reset, a
//   destroy) resets the other (an RST, not a FIN: its peer must not take a cut stream for a
//   complete one).
// - onClosed is called once, after both sockets have closed, with the first error either saw.
//
// Why plain 'data'/write/pause/resume with Node's default high-water marks: measured on loopback
// (2 cores), stream.pipe and 256 KiB high-water marks moved bytes at the same rate within noise,
// and the proxy spends most of its CPU in the kernel copying (two copies per byte, where each
// endpoint makes one); larger buffers only cost memory per connection. What did pay is reading the
// endpoint's side into a buffer of the connection's own (own-buffer-reads.ts): b may come with one.

import type { Socket } from 'node:net';
import type { OwnBufferReads } from './own-buffer-reads.js';

export type SpliceClosed = (bytesFromA: number, bytesFromB: number, err: Error | undefined) => void;

/** `bReads`: b was connected with these reads (its bytes go to a through them, not through 'data'). */
export function splice(a: Socket, b: Socket, onClosed: SpliceClosed, bReads?: OwnBufferReads): void {
  let firstError: Error | undefined;
  let open = 2;
  const noteError = (err: Error) => {
    firstError ??= err;
  };
  const closed = () => {
    if (--open === 0) onClosed(a.bytesRead, b.bytesRead, firstError);
  };
  for (const [self, other] of [[a, b], [b, a]] as const) {
    self.on('error', noteError);
    self.once('close', () => {
      if (!finishedBothWays(self)) resetSocket(other);
      closed();
    });
  }
  pump(a, b);
  pump(b, a, bReads);
}

/** Copies from -> to with backpressure, ending `to` when `from` ends (also if it already has). */
function pump(from: Socket, to: Socket, ownReads?: OwnBufferReads): void {
  if (ownReads === undefined) {
    from.on('data', (chunk: Buffer) => {
      if (!to.write(chunk)) from.pause();
    });
  } else if (!ownReads.attach(to)) {
    from.pause();
  }
  to.on('drain', () => from.resume());
  if (from.readableEnded) to.end();
  else from.once('end', () => to.end());
  if (!to.writableNeedDrain) from.resume();
}

/** Both its peer's FIN received and its own FIN sent and acknowledged by the kernel: a clean close. */
function finishedBothWays(s: Socket): boolean {
  return s.readableEnded && s.writableFinished;
}

/** An RST where Node allows it (a live TCP handle), else a plain destroy. */
export function resetSocket(s: Socket): void {
  if (s.destroyed) return;
  if (s.connecting) s.destroy();
  else s.resetAndDestroy();
}
