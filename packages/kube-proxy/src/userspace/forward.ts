// Forwarding one accepted client connection to a Service endpoint: the old userspace proxier's
// tryConnect + ProxyTCP, done carefully.
//
// The life of a connection
// 1. Connecting: endpoints are tried as connectWithRetries says. Meanwhile the client is read,
//    but only to notice it going away (an RST or error abandons the attempt and destroys the
//    backend socket); what it sends is held, at most earlyDataLimit bytes before it is paused, and
//    its FIN is remembered (a client may send its request and shut down its writing at once).
// 2. No endpoint to try, or every attempt failed: the client is reset at once (an RST, never a
//    hang and never a FIN that would look like an empty answer).
// 3. Connected: what was held goes to the backend, then the two sockets are spliced both ways.
// 4. Closed: observer.closed is called once, with the bytes read from each side; `done` resolves
//    when every socket and timer of the connection is released.

import type { ServerOpts, Socket } from 'node:net';
import { connectWithRetries, defaultConnectTimeoutsMs, keepAliveInitialDelayMs, type ConnectOutcome } from './connect.js';
import type { Backend } from './load-balancer.js';
import { OwnBufferReads } from './own-buffer-reads.js';
import { resetSocket, splice } from './splice.js';

export interface ForwardObserver {
  connected?(b: Backend): void;
  /** Each failed attempt (ConnectTimeoutError when it got no answer in time). */
  connectFailed?(b: Backend, err: Error): void;
  /** Nothing to try: the client was reset at once. */
  noEndpoint?(): void;
  /** Once, when both sides are gone (also after a failed or abandoned connect); err is the first socket error seen. */
  closed?(bytesFromClient: number, bytesFromBackend: number, err?: Error): void;
}

export interface ForwardOptions {
  /** The balancer's next(clientIP, failed.length > 0, failed): `failed` are the endpoints this connection could not reach so far. */
  pick(failed: readonly Backend[]): Backend | undefined;
  /** Attempt i waits this long for an answer; default [250, 500, 1000, 2000]. */
  connectTimeoutsMs?: readonly number[];
  observer?: ForwardObserver;
}

export interface Forwarding {
  /** Ends the connection now: both sides are reset, a connect under way is abandoned. */
  destroy(): void;
  readonly done: Promise<void>;
}

/** The server options every proxy listener uses: nothing is read before the forwarder attaches. */
export const proxyServerOptions: ServerOpts = {
  allowHalfOpen: true,
  pauseOnConnect: true,
  noDelay: true,
  keepAlive: true,
  keepAliveInitialDelay: keepAliveInitialDelayMs,
};

/** What the client may send before an endpoint answers (a request, typically) before it is paused. */
export const earlyDataLimit = 64 * 1024;

export function forwardConnection(client: Socket, o: ForwardOptions): Forwarding {
  const abandon = new AbortController();
  let backend: Socket | undefined;
  const early = holdWhileConnecting(client, () => abandon.abort());
  const reads = new OwnBufferReads();
  const done = connectWithRetries({
    pick: o.pick,
    timeoutsMs: o.connectTimeoutsMs ?? defaultConnectTimeoutsMs,
    onFailed: (b, err) => o.observer?.connectFailed?.(b, err),
    signal: abandon.signal,
    onread: reads.onread,
  }).then((outcome) => {
    if (outcome.kind === 'connected') backend = outcome.socket;
    return finishConnecting(client, outcome, early.release(), o.observer, reads);
  }).finally(() => reads.release());
  return {
    destroy() {
      abandon.abort();
      resetSocket(client);
      if (backend) resetSocket(backend);
    },
    done,
  };
}

/** Starts the splice, or resets the client when there is no backend; resolves when all is closed. */
function finishConnecting(client: Socket, outcome: ConnectOutcome, held: HeldData, observer: ForwardObserver | undefined, reads: OwnBufferReads): Promise<void> {
  if (outcome.kind !== 'connected') {
    if (outcome.kind === 'no-endpoint') observer?.noEndpoint?.();
    return closeUnconnected(client, held, observer);
  }
  const { socket: backend, backend: b } = outcome;
  observer?.connected?.(b);
  if (client.closed) return closeUnspliced(backend, client, held, observer);
  for (const chunk of held.chunks) backend.write(chunk);
  return new Promise((resolve) => {
    splice(client, backend, (fromClient, fromBackend, err) => {
      observer?.closed?.(fromClient, fromBackend, err ?? held.error);
      resolve();
    }, reads);
  });
}

/** The client left as the backend answered: the backend is reset, then the connection reported closed. */
async function closeUnspliced(backend: Socket, client: Socket, held: HeldData, observer: ForwardObserver | undefined): Promise<void> {
  const closed = new Promise((resolve) => backend.once('close', resolve));
  resetSocket(backend);
  await closed;
  observer?.closed?.(client.bytesRead, backend.bytesRead, held.error);
}

/** Resets the client (if still there) and reports the connection closed once it is. */
async function closeUnconnected(client: Socket, held: HeldData, observer: ForwardObserver | undefined): Promise<void> {
  if (!client.closed) {
    const closed = new Promise((resolve) => client.once('close', resolve));
    resetSocket(client);
    await closed;
  }
  observer?.closed?.(client.bytesRead, 0, held.error);
}

interface HeldData {
  chunks: Buffer[];
  error: Error | undefined;
}

/**
 * Reads the client while an endpoint is being connected, to see it go away: `gone` is called on
 * its close. Data is held (paused past earlyDataLimit); release() hands it over, leaving the client
 * paused, its FIN (if any) seen in client.readableEnded. The error listener stays for the socket's
 * life: the first error is kept for observer.closed and an unhandled one would throw.
 */
function holdWhileConnecting(client: Socket, gone: () => void): { release(): HeldData } {
  const held: HeldData = { chunks: [], error: undefined };
  let bytes = 0;
  const onData = (chunk: Buffer) => {
    held.chunks.push(chunk);
    bytes += chunk.length;
    if (bytes >= earlyDataLimit) client.pause();
  };
  const onError = (err: Error) => {
    held.error ??= err;
  };
  client.on('data', onData).on('error', onError).once('close', gone);
  client.resume();
  return {
    release() {
      client.pause();
      client.off('data', onData).off('close', gone);
      return held;
    },
  };
}
