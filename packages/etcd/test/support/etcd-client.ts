// A small JSON client for the conformance suite: unary calls that report status and body
// without throwing, base64 helpers, and a watch stream that can carry further requests.

import { type ClientRequest, request as httpRequest } from 'node:http';
import { request } from 'undici';

export interface Reply {
  status: number;
  body: any;
  text: string;
}

/** POSTs `body` (JSON-encoded unless already a string) to url+path; never throws on non-2xx. */
export async function call(url: string, path: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<Reply> {
  const res = await request(url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  const text = await res.body.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.statusCode, body: parsed, text };
}

export const b64 = (s: string | Buffer): string => (Buffer.isBuffer(s) ? s : Buffer.from(s, 'utf8')).toString('base64');
export const unb64 = (s: string | undefined): string => Buffer.from(s ?? '', 'base64').toString('utf8');

/** Polls `check` until it returns something other than undefined, or throws after timeoutMs. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface WatchStream {
  /** Writes one more WatchRequest (create_request, cancel_request, progress_request) on the stream. */
  send(req: unknown): void;
  /** The next `{"result":...}` or `{"error":...}` message; throws after timeoutMs. */
  next(timeoutMs?: number): Promise<any>;
  /** The next result (unwrapped), failing on a stream error. */
  nextResult(timeoutMs?: number): Promise<any>;
  /** Reads results until `until` accepts one; returns all results read, the accepted one last. */
  collect(until: (r: any) => boolean, timeoutMs?: number): Promise<any[]>;
  /** The HTTP status of the response, once it started. */
  status(): number | undefined;
  close(): void;
}

/**
 * POST /v3/watch with a request body that stays open: etcd's gateway reads WatchRequests
 * from it for as long as the stream lives, so node:http (which reads the response while
 * the request is still being written) carries it. `Expect: 100-continue` makes Go's server
 * (real etcd) start the exchange before the body ends; the body is written after the 100.
 */
export function openWatch(url: string, first?: unknown): WatchStream {
  const queue: any[] = [];
  const waiters: ((m: any) => void)[] = [];
  let failure: Error | undefined;
  let statusCode: number | undefined;
  let closed = false;
  const push = (m: any) => {
    const w = waiters.shift();
    if (w) w(m);
    else queue.push(m);
  };
  const fail = (e: Error) => {
    if (failure !== undefined || closed) return;
    failure = e;
    for (const w of waiters.splice(0)) w(undefined);
  };
  const req: ClientRequest = httpRequest(new URL('/v3/watch', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', expect: '100-continue' },
  });
  let continued = false;
  const unsent: string[] = [];
  req.on('continue', () => {
    continued = true;
    for (const line of unsent.splice(0)) req.write(line);
  });
  req.setTimeout(0);
  req.on('error', (e) => fail(e));
  req.on('response', (res) => {
    statusCode = res.statusCode;
    let buf = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line === '') continue;
        try {
          push(JSON.parse(line));
        } catch {
          fail(new Error(`watch stream sent a line that is not JSON: ${line}`));
        }
      }
    });
    res.on('end', () => {
      if (buf.trim() !== '') {
        try {
          push(JSON.parse(buf));
        } catch {
          /* a torn last line: reported as the end below */
        }
      }
      fail(new Error('the watch stream ended'));
    });
    res.on('error', (e) => fail(e));
  });
  const send = (m: unknown) => {
    const line = `${JSON.stringify(m)}\n`;
    if (continued) req.write(line);
    else unsent.push(line);
  };
  req.flushHeaders();
  if (first !== undefined) send(first);

  const next = (timeoutMs = 5000): Promise<any> => {
    if (queue.length > 0) return Promise.resolve(queue.shift());
    if (failure !== undefined) return Promise.reject(failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = waiters.indexOf(waiter);
        if (i >= 0) waiters.splice(i, 1);
        reject(new Error(`no watch message within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (m: any) => {
        clearTimeout(timer);
        if (m === undefined) reject(failure ?? new Error('the watch stream closed'));
        else resolve(m);
      };
      waiters.push(waiter);
    });
  };
  const nextResult = async (timeoutMs?: number) => {
    const m = await next(timeoutMs);
    if (m.result === undefined) throw new Error(`watch stream error: ${JSON.stringify(m)}`);
    return m.result;
  };
  return {
    send,
    next,
    nextResult,
    async collect(until, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      const seen: any[] = [];
      for (;;) {
        const r = await nextResult(Math.max(1, deadline - Date.now()));
        seen.push(r);
        if (until(r)) return seen;
      }
    },
    status: () => statusCode,
    close() {
      closed = true;
      req.destroy();
    },
  };
}
