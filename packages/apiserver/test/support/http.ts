// A small HTTP helper for API tests: JSON in, status and parsed JSON out.

import { request } from 'undici';

export interface Reply {
  status: number;
  body: any;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

export async function call(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const hasBody = body !== undefined;
  const res = await request(base + path, {
    method: method as 'GET',
    headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(hasBody ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.body.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.statusCode, body: parsed, text, headers: res.headers };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Reads a watch stream's lines as events until `until` says stop; aborts at the deadline. */
export async function collectWatch(url: string, until: (events: any[]) => boolean, timeoutMs = 10_000, onOpen?: () => Promise<void>): Promise<any[]> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  const events: any[] = [];
  try {
    const res = await request(url, { method: 'GET', signal: ac.signal });
    if (res.statusCode !== 200) throw new Error(`watch answered ${res.statusCode}: ${await res.body.text()}`);
    if (onOpen) await onOpen();
    let buf = '';
    for await (const chunk of res.body) {
      buf += chunk.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.trim() !== '') events.push(JSON.parse(line));
      }
      if (until(events)) break;
    }
  } catch (e) {
    if (!ac.signal.aborted) throw e;
    throw new Error(`watch timed out after ${timeoutMs} ms with ${events.length} events: ${JSON.stringify(events).slice(0, 2000)}`);
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  return events;
}
