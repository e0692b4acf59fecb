// Helpers shared by the watch and lease conformance tests: checked unary calls, revisions,
// prefixes, a demultiplexer for several watches on one /v3/watch stream, and writes that
// retry through an election.

import { b64, call, type Reply } from './etcd-client.js';
import type { DuplexStream } from './streams.js';

/** A unary call that must answer 200; throws with the reply otherwise. */
export async function ok(url: string, path: string, body: unknown = {}): Promise<any> {
  const r = await call(url, path, body);
  if (r.status !== 200 || r.body === undefined) throw new Error(`${path} ${JSON.stringify(body)} at ${url}: ${r.status} ${r.text}`);
  return r.body;
}

/** The revision in a reply's header, as a number. */
export const rev = (body: any): number => Number(body?.header?.revision);

/** The current revision as a linearizable range on `url` reports it. */
export async function currentRevision(url: string): Promise<number> {
  return rev(await ok(url, '/v3/kv/range', { key: b64('\u0000conformance-revision-probe') }));
}

/** The range_end that makes [key, end) the keys starting with `prefix`, base64 (prefix + last byte 1). */
export function prefixEnd(prefix: string): string {
  const b = Buffer.from(prefix, 'utf8');
  let i = b.length - 1;
  while (i >= 0 && b[i] === 0xff) i--;
  if (i < 0) return b64(Buffer.from([0]));
  const end = Buffer.from(b.subarray(0, i + 1));
  end[i] = end[i]! + 1;
  return b64(end);
}

/** A unique, readable prefix for one test's keys. */
let seq = 0;
export function uniquePrefix(name: string): string {
  seq += 1;
  return `/conformance/${name}/${process.pid}-${seq}/`;
}

/** A watch response's watch id as a string: an omitted id is 0. */
export const wid = (r: any): string => String(r.watch_id ?? '0');

/** The keys of an object, sorted: to assert which fields a reply carries. */
export const fields = (o: any): string[] => Object.keys(o ?? {}).sort();

/** A header's shape: cluster_id, member_id, revision, raft_term as decimal strings. */
export function headerShapeProblems(h: any, opts: { revision?: boolean } = {}): string[] {
  const problems: string[] = [];
  if (h === undefined || typeof h !== 'object') return ['no header'];
  const names = ['cluster_id', 'member_id', 'raft_term', ...(opts.revision === false ? [] : ['revision'])];
  for (const n of names) if (typeof h[n] !== 'string' || !/^[0-9]+$/.test(h[n])) problems.push(`${n}=${JSON.stringify(h[n])}`);
  return problems;
}

/**
 * Routes the responses of one watch stream to the watch they belong to, so a test can read
 * "the next response for watch 1" while responses of other watches queue up.
 */
export class WatchMux {
  private readonly buffers = new Map<string, any[]>();
  constructor(readonly stream: DuplexStream) {}

  /** The next response for watch `id` (a string: "0", "1", "-1" for progress). */
  async next(id: string, timeoutMs = 10_000): Promise<any> {
    const buf = this.buffers.get(id);
    if (buf !== undefined && buf.length > 0) return buf.shift();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no response for watch ${id} within ${timeoutMs} ms (buffered: ${this.describe()})`);
      const r = await this.stream.nextResult(left);
      if (wid(r) === id) return r;
      this.push(r);
    }
  }

  /** The next response read from the stream, whatever its watch id (buffered responses stay buffered). */
  async nextAny(timeoutMs = 10_000): Promise<any> {
    return this.stream.nextResult(timeoutMs);
  }

  /** Responses already received for `id` and not read. */
  buffered(id: string): any[] {
    return [...(this.buffers.get(id) ?? [])];
  }

  /** Reads responses for `id` until their events reach mod_revision >= untilRev; returns all their events. */
  async eventsUntil(id: string, untilRev: number, timeoutMs = 15_000): Promise<{ events: any[]; responses: any[] }> {
    const deadline = Date.now() + timeoutMs;
    const events: any[] = [];
    const responses: any[] = [];
    let last = -Infinity;
    while (last < untilRev) {
      const r = await this.next(id, Math.max(1, deadline - Date.now()));
      responses.push(r);
      for (const e of r.events ?? []) {
        events.push(e);
        last = Math.max(last, Number(e.kv?.mod_revision));
      }
      if (r.canceled) throw new Error(`watch ${id} was canceled: ${JSON.stringify(r)}`);
    }
    return { events, responses };
  }

  private push(r: any) {
    const id = wid(r);
    let buf = this.buffers.get(id);
    if (buf === undefined) this.buffers.set(id, (buf = []));
    buf.push(r);
  }

  private describe(): string {
    const all = [...this.buffers.entries()].filter(([, v]) => v.length > 0).map(([k, v]) => `watch ${k}: ${JSON.stringify(v)}`).join('; ');
    return all === '' ? 'none' : all.length > 2000 ? `${all.slice(0, 2000)}...` : all;
  }
}

/** A PUT event as etcd 3.4 encodes it (type omitted, value omitted when empty, lease when set). */
export function putEvent(key: string, value: string, createRev: number, modRev: number, version: number, lease?: string): any {
  const kv: any = { key: b64(key), create_revision: String(createRev), mod_revision: String(modRev), version: String(version) };
  if (value !== '') kv.value = b64(value);
  if (lease !== undefined) kv.lease = lease;
  return { kv };
}

/** A DELETE event as etcd 3.4 encodes it: the kv has only the key and the deletion's revision. */
export function deleteEvent(key: string, modRev: number): any {
  return { type: 'DELETE', kv: { key: b64(key), mod_revision: String(modRev) } };
}

/** Calls until the reply is 200 or the deadline passes: for writes while a leader is being elected. */
export async function callRetrying(url: string | (() => string), path: string, body: unknown, timeoutMs = 30_000): Promise<Reply> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const target = typeof url === 'function' ? url() : url;
    try {
      const r = await call(target, path, body);
      if (r.status === 200) return r;
      last = `${r.status} ${r.text}`;
    } catch (e) {
      last = String(e);
    }
    if (Date.now() > deadline) throw new Error(`${path} ${JSON.stringify(body)} did not succeed within ${timeoutMs} ms: ${last}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Creates `key` = `value` exactly once even when retried: a txn that puts only if the key does not exist. */
export async function createOnce(url: string | (() => string), key: string, value: string, timeoutMs?: number): Promise<Reply> {
  return callRetrying(url, '/v3/kv/txn', {
    compare: [{ key: b64(key), target: 'VERSION', result: 'EQUAL', version: '0' }],
    success: [{ request_put: { key: b64(key), value: b64(value) } }],
  }, timeoutMs);
}

/** The index of the member that status on any running member names as leader. */
export async function leaderIndex(urls: string[], alive: (i: number) => boolean = () => true): Promise<number | undefined> {
  const ids: (string | undefined)[] = [];
  let leader: string | undefined;
  for (let i = 0; i < urls.length; i++) {
    if (!alive(i)) {
      ids.push(undefined);
      continue;
    }
    try {
      const s = await call(urls[i]!, '/v3/maintenance/status', {});
      ids.push(s.status === 200 ? s.body.header?.member_id : undefined);
      if (s.status === 200 && s.body.leader !== undefined && s.body.leader !== '0') leader ??= s.body.leader;
    } catch {
      ids.push(undefined);
    }
  }
  if (leader === undefined) return undefined;
  const i = ids.indexOf(leader);
  return i >= 0 ? i : undefined;
}
