// HTTP to a set of API servers over undici: one keep-alive Pool per server, and failover.
// A call sticks to the server that last answered; when that one refuses the connection,
// drops it, times out, or answers 503/429, the call moves on to the next. After a full round
// of failures it waits (Retry-After if the servers asked for it, else a short backoff) and
// goes round again, up to maxAttempts.
//
// What may be retried is decided by whether the server can have acted on the request:
// - a connection that was never made (refused, unreachable): any verb;
// - 429 Too Many Requests: any verb, since the server turned it away before handling it
//   (kube-apiserver's max-in-flight and priority-and-fairness reject first; client-go retries
//   every verb on 429 too);
// - a dropped connection, a timeout or a 503: idempotent calls only (GET, PUT, DELETE, and
//   patches that are not JSON patches). A POST is never sent twice once it may have arrived.

import type { Readable } from 'node:stream';
import { Pool } from 'undici';
import { sleep, type Clock } from '../clock/clock.js';
import { realClock } from '../clock/real-clock.js';
import { Authenticator } from './auth.js';
import type { ClientConfig } from './config.js';
import { apiErrorFromResponse, failedBeforeSending, RequestTimeoutError, retryAfterSeconds, TransportError } from './errors.js';

export interface TransportOptions {
  /** Sent as User-Agent. */
  userAgent: string;
  /** Per attempt, until the whole answer is in (until the headers, for streams). Default 60 000; 0 = none. */
  timeoutMs?: number;
  /** Attempts per call across all servers. Default: three rounds over the servers. */
  maxAttempts?: number;
  /** Longest Retry-After honoured (ms); longer requests are cut to this. Default 30 000. */
  maxRetryAfterMs?: number;
  /** Pause between rounds when no Retry-After was given: base * 2^(round-1), up to 2 s. Default base 100 ms. */
  roundBackoffMs?: number;
  /** The clock for waits between rounds (timeouts are always wall-clock). */
  clock?: Clock;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  /** Path and query, starting with '/'. */
  path: string;
  body?: string;
  contentType?: string;
  accept?: string;
  /** Whether sending the request twice is harmless; by default true for GET, HEAD, PUT and DELETE. */
  idempotent?: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export type Headers = Record<string, string | string[] | undefined>;

export interface HttpResponse {
  statusCode: number;
  headers: Headers;
  body: string;
  /** The server (base URL) that answered. */
  server: string;
}

export interface StreamResponse {
  statusCode: number;
  headers: Headers;
  body: Readable;
  server: string;
  /** Ends the stream from our side (the body then ends with an error, or just ends). */
  abort(): void;
}

interface Server {
  url: string;
  prefix: string;
  pool: Pool;
}

const idempotentMethods = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

/** An abort caused by the caller's own signal: never retried. */
class CallerAbort extends Error {}

export class Transport {
  private readonly servers: Server[];
  private readonly auth: Authenticator;
  private readonly clock: Clock;
  private readonly streams = new Set<AbortController>();
  private current = 0;
  private closed = false;

  constructor(config: ClientConfig, private readonly opts: TransportOptions) {
    if (config.servers.length === 0) throw new Error('a client needs at least one API server URL');
    this.clock = opts.clock ?? realClock;
    this.auth = new Authenticator(config.auth);
    const tls = config.tls;
    this.servers = config.servers.map((s) => {
      const url = new URL(s);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`API server URL ${s}: only http and https are supported`);
      const connect = url.protocol === 'https:' && tls !== undefined
        ? {
            rejectUnauthorized: tls.insecureSkipTlsVerify !== true,
            ...(tls.ca !== undefined ? { ca: tls.ca } : {}),
            ...(tls.cert !== undefined ? { cert: tls.cert } : {}),
            ...(tls.key !== undefined ? { key: tls.key } : {}),
            ...(tls.serverName !== undefined ? { servername: tls.serverName } : {}),
          }
        : undefined;
      const pool = new Pool(url.origin, { keepAliveTimeout: 30_000, ...(connect !== undefined ? { connect } : {}) });
      return { url: s.replace(/\/+$/, ''), prefix: url.pathname.replace(/\/+$/, ''), pool };
    });
  }

  /** The server URLs, in failover order. */
  get serverUrls(): string[] {
    return this.servers.map((s) => s.url);
  }

  /** The server calls go to first (the last one that answered). */
  get currentServer(): string {
    return this.servers[this.current]!.url;
  }

  /** A call whose answer is read whole. A non-2xx answer (after retries) throws an ApiError. */
  async request(req: HttpRequest): Promise<HttpResponse> {
    return this.send(req, false) as Promise<HttpResponse>;
  }

  /** A call whose 2xx answer is handed over as a stream (watches, followed logs). */
  async stream(req: HttpRequest): Promise<StreamResponse> {
    return this.send(req, true) as Promise<StreamResponse>;
  }

  /** Ends open streams and closes every connection. */
  async close(): Promise<void> {
    this.closed = true;
    for (const ac of this.streams) ac.abort();
    this.streams.clear();
    await Promise.all(this.servers.map((s) => s.pool.close().catch(() => undefined)));
  }

  private async send(req: HttpRequest, stream: boolean): Promise<HttpResponse | StreamResponse> {
    if (this.closed) throw new Error('the client is closed');
    const n = this.servers.length;
    const maxAttempts = this.opts.maxAttempts ?? 3 * n;
    const idempotent = req.idempotent ?? idempotentMethods.has(req.method);
    const failures: { server: string; error: Error }[] = [];
    const start = this.current;
    // Credentials once per call: a token file that cannot be read is the caller's problem, not a server's.
    const authz = await this.auth.header();
    let retryAfterMs: number | undefined;
    let lastRejection: Error | undefined;
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      if (attempt > 0 && attempt % n === 0) {
        const round = attempt / n;
        const wait = retryAfterMs ?? Math.min(2000, (this.opts.roundBackoffMs ?? 100) * 2 ** (round - 1));
        retryAfterMs = undefined;
        if (!(await sleep(this.clock, wait, req.signal))) throw abortError(req.signal);
      }
      const idx = (start + attempt) % n;
      const server = this.servers[idx]!;
      let res: HttpResponse | StreamResponse;
      try {
        res = await this.attempt(server, req, stream, authz);
      } catch (e) {
        if (e instanceof CallerAbort) throw abortError(req.signal);
        const err = e as Error;
        failures.push({ server: server.url, error: err });
        lastRejection = undefined;
        if (!idempotent && !failedBeforeSending(err)) break;
        continue;
      }
      if (res.statusCode >= 200 && res.statusCode < 300) {
        this.current = idx;
        return res;
      }
      const body = 'abort' in res ? await readAll(res.body) : res.body;
      const apiError = apiErrorFromResponse(res.statusCode, res.headers, body);
      const retryable = res.statusCode === 429 || (res.statusCode === 503 && idempotent);
      if (!retryable) {
        this.current = idx;
        throw apiError;
      }
      failures.push({ server: server.url, error: apiError });
      lastRejection = apiError;
      const after = retryAfterSeconds(res.headers['retry-after'], this.clock.now());
      if (after !== undefined) {
        const ms = Math.min(after * 1000, this.opts.maxRetryAfterMs ?? 30_000);
        retryAfterMs = retryAfterMs === undefined ? ms : Math.min(retryAfterMs, ms);
      }
    }
    // The servers' own refusal says more than a summary would.
    if (lastRejection !== undefined) throw lastRejection;
    const detail = failures.map((f) => `${f.server}: ${f.error.message}`).join('; ');
    throw new TransportError(`${req.method} ${req.path}: no API server could be reached (${detail})`, failures);
  }

  private async attempt(server: Server, req: HttpRequest, stream: boolean, authz: string | undefined): Promise<HttpResponse | StreamResponse> {
    const ac = new AbortController();
    const onCallerAbort = () => ac.abort(new CallerAbort('aborted'));
    if (req.signal?.aborted) throw new CallerAbort('aborted');
    req.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const timeoutMs = req.timeoutMs ?? this.opts.timeoutMs ?? 60_000;
    // Wall-clock on purpose: a timeout is about real I/O, even when a test fakes the clock.
    const timer = timeoutMs > 0
      ? setTimeout(() => ac.abort(new RequestTimeoutError(`${req.method} ${server.url}${req.path}: no answer within ${timeoutMs} ms`)), timeoutMs)
      : undefined;
    const headers: Record<string, string> = {
      'user-agent': this.opts.userAgent,
      accept: req.accept ?? 'application/json',
    };
    if (authz !== undefined) headers.authorization = authz;
    if (req.body !== undefined) headers['content-type'] = req.contentType ?? 'application/json';
    const cleanup = () => {
      if (timer !== undefined) clearTimeout(timer);
      req.signal?.removeEventListener('abort', onCallerAbort);
    };
    try {
      const res = await server.pool.request({
        path: server.prefix + req.path,
        method: req.method,
        headers,
        body: req.body,
        signal: ac.signal,
        // A watch may be quiet for minutes; its end is the server's timeoutSeconds.
        bodyTimeout: stream ? 0 : undefined,
      });
      if (!stream) {
        const body = await res.body.text();
        cleanup();
        return { statusCode: res.statusCode, headers: res.headers, body, server: server.url };
      }
      if (timer !== undefined) clearTimeout(timer);
      this.streams.add(ac);
      const done = () => {
        this.streams.delete(ac);
        req.signal?.removeEventListener('abort', onCallerAbort);
      };
      res.body.once('close', done);
      res.body.once('end', done);
      res.body.once('error', done);
      return { statusCode: res.statusCode, headers: res.headers, body: res.body, server: server.url, abort: () => ac.abort() };
    } catch (e) {
      cleanup();
      const reason: unknown = ac.signal.aborted ? ac.signal.reason : undefined;
      if (reason instanceof CallerAbort || reason instanceof RequestTimeoutError) throw reason;
      throw e;
    }
  }
}

function abortError(signal: AbortSignal | undefined): Error {
  const r: unknown = signal?.reason;
  if (r instanceof Error) return r;
  const e = new Error('the call was aborted');
  e.name = 'AbortError';
  return e;
}

async function readAll(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const c of body) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string));
  } catch {
    // A body cut short still says what it said so far.
  }
  return Buffer.concat(chunks).toString('utf8');
}
