// A small JSON client for the etcd tests: unary calls that report status and body without
// throwing, base64 helpers, and waiting on a condition (streams are in streams.ts).

import { raw, type RawReply } from './raw-http.js';

export type Reply = RawReply;

/** POSTs `body` (JSON-encoded unless already a string) to url+path; never throws on non-2xx. */
export function call(url: string, path: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<Reply> {
  const encoded = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  return raw(url, 'POST', path, encoded, { 'content-type': 'application/json', ...headers });
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
