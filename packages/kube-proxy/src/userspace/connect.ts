// Connecting to a Service's endpoint with retries, as the old userspace proxier's tryConnect: up
// to one attempt per timeout, the first endpoint from the balancer as usual, every later one with
// its affinity reset (the client's recorded endpoint just failed). An attempt fails when it is
// refused, unreachable, or unanswered within its timeout; an abandoned attempt (the client went
// away) destroys its socket at once, so nothing outlives the caller's interest.

import { connect, type OnReadOpts, type Socket } from 'node:net';
import type { Backend } from './load-balancer.js';

/** An attempt that got no answer within its timeout. */
export class ConnectTimeoutError extends Error {
  constructor(
    readonly backend: Backend,
    readonly timeoutMs: number,
  ) {
    super(`connect to ${backend.ip}:${backend.port} timed out after ${timeoutMs} ms`);
    this.name = 'ConnectTimeoutError';
  }
}

/** The old userspace proxier's EndpointDialTimeouts. */
export const defaultConnectTimeoutsMs: readonly number[] = [250, 500, 1000, 2000];

/** Before the first probe of an idle connection (as Go's net.Dialer default, which upstream's proxies get). */
export const keepAliveInitialDelayMs = 15_000;

export interface ConnectRetries {
  /** The endpoint for the next attempt; `failed`: those this connection could not reach so far. */
  pick(failed: readonly Backend[]): Backend | undefined;
  timeoutsMs: readonly number[];
  onFailed(backend: Backend, err: Error): void;
  /** Aborted when the client went away: the attempt under way is destroyed. */
  signal: AbortSignal;
  /** Reads of the connected socket into the caller's own buffer (see own-buffer-reads.ts). */
  onread?: OnReadOpts;
}

export type ConnectOutcome =
  | { kind: 'connected'; backend: Backend; socket: Socket }
  /** pick() had nothing for the first attempt. */
  | { kind: 'no-endpoint' }
  /** Every attempt failed, or pick() ran out of endpoints after a failure. */
  | { kind: 'failed' }
  | { kind: 'abandoned' };

export async function connectWithRetries(o: ConnectRetries): Promise<ConnectOutcome> {
  const failed: Backend[] = [];
  for (let attempt = 0; attempt < o.timeoutsMs.length; attempt++) {
    if (o.signal.aborted) return { kind: 'abandoned' };
    const backend = o.pick(failed);
    if (!backend) return attempt === 0 ? { kind: 'no-endpoint' } : { kind: 'failed' };
    try {
      return { kind: 'connected', backend, socket: await connectOnce(backend, o.timeoutsMs[attempt]!, o.signal, o.onread) };
    } catch (err) {
      if (o.signal.aborted) return { kind: 'abandoned' };
      failed.push(backend);
      o.onFailed(backend, err as Error);
    }
  }
  return { kind: 'failed' };
}

/** A socket connected to the backend (no Nagle, keepalive on), or the reason it is not; `signal` only concerns the attempt. */
export function connectOnce(backend: Backend, timeoutMs: number, signal: AbortSignal, onread?: OnReadOpts): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: backend.ip, port: backend.port, allowHalfOpen: true, noDelay: true, keepAlive: true, keepAliveInitialDelay: keepAliveInitialDelayMs, ...(onread !== undefined ? { onread } : {}) });
    const timer = setTimeout(() => socket.destroy(new ConnectTimeoutError(backend, timeoutMs)), timeoutMs);
    const abandon = () => socket.destroy(signal.reason as Error);
    // The error listener stays after success: the caller's handlers attach after an await, and an
    // error emitted in between must not be unhandled (settling twice does nothing).
    const settle = (err?: Error) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', abandon);
      if (err) reject(err);
      else resolve(socket);
    };
    socket.once('connect', settle).once('error', settle);
    signal.addEventListener('abort', abandon, { once: true });
  });
}
