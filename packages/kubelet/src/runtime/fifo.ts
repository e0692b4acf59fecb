// A container's stdout and stderr are FIFOs. The container gets the FIFO opened read-write,
// so it holds a reader itself: while no kubelet reads, its writes block once the pipe buffer
// is full instead of killing it with SIGPIPE. The kubelet reads with a non-blocking reader
// that sees EOF only when every writer (the container's whole process tree) has exited.
import { execFile } from 'node:child_process';
import { constants, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Makes the FIFOs with one mkfifo: Node has no mkfifo of its own, and every spawn from the kubelet costs it a fork. */
export async function makeFifos(...paths: string[]): Promise<void> {
  await run('mkfifo', ['-m', '600', ...paths]);
}

/** The descriptor the container writes to (read-write: see above); the caller closes it once spawned. */
export function openFifoForContainer(path: string): number {
  return openSync(path, 'r+');
}

/** A stream of what the container writes; ends when all its writers are gone. */
export function openFifoReader(path: string): Socket {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  return new Socket({ fd, readable: true, writable: false });
}
