// A watch: GET ...?watch=true, read as a chunked stream of `{"type","object"}` lines, handed
// out as an async iterable. It ends cleanly when the server ends the stream (timeoutSeconds,
// a restart) or when stop() is called; an ERROR event ends it with the Status's ApiError
// (ResourceExpiredError for 410); a broken connection ends it with a TransportError.

import { ApiError } from '@kubets/api';
import type { WatchEvent, WatchEventType } from '@kubets/api';
import { encodeQuery, listQuery, type SelectorInput } from '../rest/options.js';
import { TransportError } from '../rest/errors.js';
import type { StreamResponse, Transport } from '../rest/transport.js';
import { ResourceExpiredError, WatchDecodeError, watchError } from './errors.js';
import { LineDecoder } from './line-decoder.js';

export interface WatchOptions {
  /** Start after this version; unset or '0' starts with ADDED events for what exists. */
  resourceVersion?: string;
  labelSelector?: SelectorInput;
  fieldSelector?: SelectorInput;
  allowWatchBookmarks?: boolean;
  /** The server ends the watch after this long. */
  timeoutSeconds?: number;
  /** How long to wait for the server to accept the watch (ms). */
  timeoutMs?: number;
  /** Stops the watch when aborted. */
  signal?: AbortSignal;
}

/** @kubets/api's WatchEvent as a watch delivers it: ERROR events are thrown, never delivered. */
export interface WatchStreamEvent<T> extends WatchEvent<T> {
  type: Exclude<WatchEventType, 'ERROR'>;
}

/** Past timeoutSeconds, the server should have ended the stream; this much later we end it ourselves. */
const clientGraceMs = 30_000;

export class Watch<T> implements AsyncIterable<WatchStreamEvent<T>> {
  private stopped = false;
  private iterated = false;
  private guard: NodeJS.Timeout | undefined;

  constructor(private readonly res: StreamResponse, opts: WatchOptions) {
    const onAbort = () => this.stop();
    if (opts.signal !== undefined) {
      if (opts.signal.aborted) this.stop();
      else opts.signal.addEventListener('abort', onAbort, { once: true });
      res.body.once('close', () => opts.signal?.removeEventListener('abort', onAbort));
    }
    // A server that vanished without closing the connection (a partition) must not hold a watch forever.
    if (opts.timeoutSeconds !== undefined && opts.timeoutSeconds > 0) {
      this.guard = setTimeout(() => this.stop(), opts.timeoutSeconds * 1000 + clientGraceMs);
      this.guard.unref?.();
    }
  }

  /** The API server this watch is connected to. */
  get server(): string {
    return this.res.server;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Ends the watch; the iteration then finishes without an error. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.guard !== undefined) clearTimeout(this.guard);
    this.res.abort();
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchStreamEvent<T>> {
    if (this.iterated) throw new Error('a watch can be iterated only once');
    this.iterated = true;
    return this.events();
  }

  private async *events(): AsyncGenerator<WatchStreamEvent<T>> {
    const decoder = new LineDecoder();
    try {
      try {
        for await (const chunk of this.res.body) {
          for (const line of decoder.push(chunk as Buffer)) yield this.decode(line);
          if (this.stopped) return;
        }
      } catch (e) {
        if (this.stopped) return;
        if (e instanceof ApiError || e instanceof WatchDecodeError) throw e;
        throw new TransportError(`watch on ${this.res.server} broke off: ${(e as Error).message}`, [{ server: this.res.server, error: e as Error }]);
      }
      if (this.stopped) return;
      for (const line of decoder.end()) yield this.decode(line);
    } finally {
      // Ends the connection whether the stream ended, failed, or the consumer stopped reading.
      this.stop();
    }
  }

  private decode(line: string): WatchStreamEvent<T> {
    let ev: { type?: unknown; object?: unknown };
    try {
      ev = JSON.parse(line) as typeof ev;
    } catch (e) {
      throw new WatchDecodeError(`watch on ${this.res.server}: a line is not JSON (${(e as Error).message}): ${line.slice(0, 200)}`);
    }
    if (typeof ev !== 'object' || ev === null || typeof ev.type !== 'string') {
      throw new WatchDecodeError(`watch on ${this.res.server}: not a watch event: ${line.slice(0, 200)}`);
    }
    switch (ev.type) {
      case 'ADDED':
      case 'MODIFIED':
      case 'DELETED':
      case 'BOOKMARK':
        return { type: ev.type, object: ev.object as T };
      case 'ERROR':
        throw watchError(ev.object);
      default:
        throw new WatchDecodeError(`watch on ${this.res.server}: unknown event type ${JSON.stringify(ev.type)}`);
    }
  }
}

/** Opens the watch on `path` (a collection path), failing over between servers like any GET. */
export async function openWatch<T>(transport: Transport, path: string, opts: WatchOptions): Promise<Watch<T>> {
  const query = {
    ...listQuery({
      ...(opts.labelSelector !== undefined ? { labelSelector: opts.labelSelector } : {}),
      ...(opts.fieldSelector !== undefined ? { fieldSelector: opts.fieldSelector } : {}),
      ...(opts.resourceVersion !== undefined ? { resourceVersion: opts.resourceVersion } : {}),
      ...(opts.timeoutSeconds !== undefined ? { timeoutSeconds: opts.timeoutSeconds } : {}),
    }),
    watch: 'true',
    allowWatchBookmarks: opts.allowWatchBookmarks === true ? 'true' : undefined,
  };
  try {
    const res = await transport.stream({
      method: 'GET',
      path: path + encodeQuery(query),
      ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
    });
    return new Watch<T>(res, opts);
  } catch (e) {
    // A server may refuse a too-old version up front with HTTP 410 rather than an ERROR event.
    if (e instanceof ApiError && e.code === 410 && !(e instanceof ResourceExpiredError)) throw new ResourceExpiredError(e.status);
    throw e;
  }
}
