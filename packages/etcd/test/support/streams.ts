// Full-duplex JSON streams over HTTP/1.1 for the conformance suite: /v3/watch and
// /v3/lease/keepalive, where the request body stays open and carries further requests
// while the response streams `{"result":...}` lines back.
//
// Why the care: real etcd 3.4 serves its gateway with Go's
// net/http, which, before writing the response headers, tries to read the rest of a
// request body whose handler has not finished reading it (up to 256 KiB). A streaming
// body without `Expect: 100-continue` therefore gets no response at all until the
// client ends the body. With `Expect: 100-continue`, Go answers `100 Continue` when the
// gateway first reads the body and then streams normally. So this client sends the
// expectation and holds its writes until the server says continue (or responds).

import { type ClientRequest, request as httpRequest } from 'node:http';

export interface DuplexStream {
  /** Writes one more request message (JSON, newline-terminated) on the open request body. */
  send(req: unknown): void;
  /** Writes raw text on the open request body, as it is (for malformed-input checks). */
  sendRaw(text: string): void;
  /** Ends the request body (the response may go on, as for /v3/watch). */
  end(): void;
  /** The next `{"result":...}` or `{"error":...}` message; throws after timeoutMs. */
  next(timeoutMs?: number): Promise<any>;
  /** The next result (unwrapped), failing on a stream error. */
  nextResult(timeoutMs?: number): Promise<any>;
  /** Reads results until `until` accepts one; returns all results read, the accepted one last. */
  collect(until: (r: any) => boolean, timeoutMs?: number): Promise<any[]>;
  /** Resolves once the response has ended (or the connection failed); never rejects. */
  ended(): Promise<void>;
  /** True when the response ends (or the connection fails) within timeoutMs; false otherwise. */
  endsWithin(timeoutMs: number): Promise<boolean>;
  /** True once the response has ended (or the connection failed). */
  isEnded(): boolean;
  /** Messages received and not yet read. */
  pending(): number;
  /** The HTTP status of the response, once it started. */
  status(): number | undefined;
  close(): void;
}

export function openStream(url: string, path: string, first?: unknown): DuplexStream {
  const queue: any[] = [];
  const waiters: ((m: any) => void)[] = [];
  let failure: Error | undefined;
  let statusCode: number | undefined;
  let closed = false;
  let endedFlag = false;
  let onEnded: (() => void)[] = [];
  const markEnded = () => {
    if (endedFlag) return;
    endedFlag = true;
    for (const f of onEnded.splice(0)) f();
  };
  const push = (m: any) => {
    const w = waiters.shift();
    if (w) w(m);
    else queue.push(m);
  };
  const fail = (e: Error) => {
    markEnded();
    if (failure !== undefined || closed) return;
    failure = e;
    for (const w of waiters.splice(0)) w(undefined);
  };

  // Writes wait until the server asked for the body (100 Continue) or answered.
  let open = false;
  let outbox: string[] = [];
  let endRequested = false;
  const flush = () => {
    if (open || closed) return;
    open = true;
    for (const s of outbox) req.write(s);
    outbox = [];
    if (endRequested) req.end();
  };

  const req: ClientRequest = httpRequest(new URL(path, url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', expect: '100-continue' },
  });
  req.setTimeout(0);
  req.on('error', (e) => fail(e));
  req.on('continue', flush);
  req.on('response', (res) => {
    statusCode = res.statusCode;
    flush();
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
          fail(new Error(`${path} stream sent a line that is not JSON: ${line}`));
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
      fail(new Error(`the ${path} stream ended`));
    });
    res.on('error', (e) => fail(e));
    res.on('close', () => markEnded());
  });
  req.flushHeaders();

  const sendRaw = (s: string) => {
    if (open) req.write(s);
    else outbox.push(s);
  };
  const send = (m: unknown) => sendRaw(`${JSON.stringify(m)}\n`);
  if (first !== undefined) send(first);

  const next = (timeoutMs = 5000): Promise<any> => {
    if (queue.length > 0) return Promise.resolve(queue.shift());
    if (failure !== undefined) return Promise.reject(failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = waiters.indexOf(waiter);
        if (i >= 0) waiters.splice(i, 1);
        reject(new Error(`no ${path} message within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter = (m: any) => {
        clearTimeout(timer);
        if (m === undefined) reject(failure ?? new Error(`the ${path} stream closed`));
        else resolve(m);
      };
      waiters.push(waiter);
    });
  };
  const nextResult = async (timeoutMs?: number) => {
    const m = await next(timeoutMs);
    if (m.result === undefined) throw new Error(`${path} stream error: ${JSON.stringify(m)}`);
    return m.result;
  };
  const ended = () => (endedFlag ? Promise.resolve() : new Promise<void>((r) => onEnded.push(r)));
  return {
    send,
    sendRaw,
    end() {
      endRequested = true;
      if (open) req.end();
    },
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
    ended,
    async endsWithin(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((r) => { timer = setTimeout(() => r(false), timeoutMs); });
      const result = await Promise.race([ended().then(() => true), timedOut]);
      clearTimeout(timer);
      return result;
    },
    isEnded: () => endedFlag,
    pending: () => queue.length,
    status: () => statusCode,
    close() {
      closed = true;
      markEnded();
      onEnded = [];
      req.destroy();
    },
  };
}

/** A /v3/watch stream. */
export const watchStream = (url: string, first?: unknown): DuplexStream => openStream(url, '/v3/watch', first);

/** A /v3/lease/keepalive stream: each `{ID}` sent is answered by `{"result":{header, ID, TTL}}`. */
export const keepAliveStream = (url: string, first?: unknown): DuplexStream => openStream(url, '/v3/lease/keepalive', first);
