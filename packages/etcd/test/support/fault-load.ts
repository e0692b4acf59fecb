// Support for the fault tests: a write load that behaves like an etcd client with several
// endpoints (each write retried through the next member on an error or a timeout), finding the
// leader through /v3/maintenance/status, and reading back what a cluster holds (a serializable
// range of the whole key space, the watch history from revision 2) to check it against what the
// load was told.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'undici';
import { b64, eventually, unb64 } from './etcd-client.js';
import { watchStream } from './streams.js';

/** The whole key space: key "\0" with range_end "\0". */
export const ALL_KEYS = { key: 'AA==', range_end: 'AA==' } as const;

/** A write the cluster acknowledged: the put's value and the revision in its response header. */
export interface Ack {
  key: string;
  value: string;
  revision: number;
  /** Date.now() when the acknowledgement arrived. */
  at: number;
  /** Index (into the cluster's client URLs) of the member that acknowledged it. */
  member: number;
}

/** One put sent to the cluster. Every attempt carries its own value (key#attempt). */
export interface Attempt {
  key: string;
  /** 'acked': 200 with a revision; 'failed': an error or a timeout, so it may or may not have been applied. */
  outcome: 'pending' | 'acked' | 'failed';
  /** The member it was sent to. */
  member: number;
  /** Date.now() when it was sent and when its answer (or error) came. */
  sentAt: number;
  endedAt?: number;
  error?: string;
}

export interface WriteLoad {
  /** Date.now() when the load started; rel() gives times as seconds since then. */
  readonly startedAt: number;
  rel(t: number | undefined): string;
  readonly acked: Ack[];
  /** Every value sent, with its key and what came of it. */
  readonly attempts: Map<string, Attempt>;
  /** Failed attempts (errors and timeouts), each retried through another member. */
  failures(): number;
  /** Acknowledgements that arrived at or after time `t` (Date.now()). */
  acksSince(t: number): number;
  /** Stops issuing writes and waits for the writers to finish the one in hand. */
  stop(): Promise<void>;
  /** A few of the errors seen, for the test's comments. */
  readonly errorSamples: string[];
}

export interface WriteLoadOptions {
  /** Concurrent writers; each puts its own keys, one at a time. */
  writers: number;
  /** Keys are /faults/<prefix>/w<writer>/<seq>. */
  prefix: string;
  /** Client-side deadline of one attempt (an etcd client's per-request context). */
  attemptTimeoutMs?: number;
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function putOnce(url: string, key: string, value: string, timeoutMs: number): Promise<{ revision: number } | { error: string }> {
  try {
    const res = await request(`${url}/v3/kv/put`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: b64(key), value: b64(value) }),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) return { error: `${res.statusCode} ${text.slice(0, 200)}` };
    const body = JSON.parse(text) as { header?: { revision?: string } };
    const revision = Number(body.header?.revision);
    if (!Number.isSafeInteger(revision) || revision < 2) return { error: `200 without a revision: ${text.slice(0, 200)}` };
    return { revision };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/**
 * Starts `writers` writers putting distinct keys through every member in turn (writer j starts at
 * member j mod n). A failed attempt is retried with a new value through the next member, as a
 * client with several endpoints does; after a failed round through all of them it backs off a
 * little, so a cluster that is entirely down is not spun on.
 */
export function startWriteLoad(urls: string[], opts: WriteLoadOptions): WriteLoad {
  const acked: Ack[] = [];
  const attempts = new Map<string, Attempt>();
  const errorSamples: string[] = [];
  let failures = 0;
  let stopping = false;
  const timeoutMs = opts.attemptTimeoutMs ?? 2000;

  const writer = async (j: number) => {
    let member = j % urls.length;
    for (let seq = 0; !stopping; seq++) {
      const key = `/faults/${opts.prefix}/w${String(j).padStart(2, '0')}/${String(seq).padStart(6, '0')}`;
      for (let attempt = 0; !stopping; attempt++) {
        const value = `${key}#${attempt}`;
        const a: Attempt = { key, outcome: 'pending', member, sentAt: Date.now() };
        attempts.set(value, a);
        const r = await putOnce(urls[member]!, key, value, timeoutMs);
        a.endedAt = Date.now();
        if ('revision' in r) {
          a.outcome = 'acked';
          acked.push({ key, value, revision: r.revision, at: Date.now(), member });
          break;
        }
        a.outcome = 'failed';
        a.error = r.error;
        failures++;
        if (errorSamples.length < 20) errorSamples.push(`member ${member}: ${r.error}`);
        member = (member + 1) % urls.length;
        if ((attempt + 1) % urls.length === 0) await delay(Math.min(200, 20 * (attempt + 1)));
      }
    }
  };
  const startedAt = Date.now();
  const running = Array.from({ length: opts.writers }, (_, j) => writer(j));

  return {
    startedAt,
    rel: (t) => (t === undefined ? '?' : `t=${((t - startedAt) / 1000).toFixed(3)}s`),
    acked,
    attempts,
    errorSamples,
    failures: () => failures,
    acksSince: (t) => {
      let n = 0;
      for (let i = acked.length - 1; i >= 0 && acked[i]!.at >= t; i--) n++;
      return n;
    },
    async stop() {
      stopping = true;
      await Promise.all(running);
    },
  };
}

async function post(url: string, path: string, body: unknown, timeoutMs = 1000): Promise<any> {
  try {
    const res = await request(url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const text = await res.body.text();
    return res.statusCode === 200 ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

export interface MemberStatus {
  memberId: string;
  /** '0' or absent when this member knows no leader. */
  leader: string | undefined;
  revision: number;
  raftIndex: number;
  raftAppliedIndex: number;
  raftTerm: number;
}

/** /v3/maintenance/status of one member, or undefined when it does not answer. */
export async function memberStatus(url: string): Promise<MemberStatus | undefined> {
  const s = await post(url, '/v3/maintenance/status', {});
  if (s === undefined) return undefined;
  return {
    memberId: String(s.header?.member_id),
    leader: s.leader === undefined || s.leader === '0' ? undefined : String(s.leader),
    revision: Number(s.header?.revision ?? 0),
    raftIndex: Number(s.raftIndex ?? 0),
    raftAppliedIndex: Number(s.raftAppliedIndex ?? 0),
    raftTerm: Number(s.raftTerm ?? 0),
  };
}

/**
 * The index of the leader among `members`: every one of them answers, they name the same leader,
 * and that leader is one of them (its status's header.member_id is the leader id).
 */
export async function findLeader(urls: string[], members: number[], timeoutMs = 10_000): Promise<number> {
  return eventually(`a leader among members ${members.join(',')} that they all agree on`, async () => {
    const st = await Promise.all(members.map((i) => memberStatus(urls[i]!)));
    if (st.some((s) => s === undefined || s.leader === undefined)) return undefined;
    const leader = st[0]!.leader;
    if (st.some((s) => s!.leader !== leader)) return undefined;
    const at = st.findIndex((s) => s!.memberId === leader);
    return at < 0 ? undefined : members[at];
  }, timeoutMs);
}

/** A range of the whole key space on one member (serializable: what that member has applied). */
export async function rangeAll(url: string, serializable: boolean): Promise<{ revision: number; kvs: any[] } | undefined> {
  const r = await post(url, '/v3/kv/range', { ...ALL_KEYS, serializable }, 10_000);
  if (r === undefined) return undefined;
  return { revision: Number(r.header?.revision ?? 0), kvs: r.kvs ?? [] };
}

/** An event as the checks compare it. */
export interface HistoryEvent {
  type: 'PUT' | 'DELETE';
  key: string;
  value: string;
  modRevision: number;
  createRevision: number;
  version: number;
}

/**
 * The events of a watch on the whole key space from `fromRevision`, read until one at
 * `toRevision` or later arrived (a watch from a past revision first sends the history).
 */
export async function watchHistory(url: string, fromRevision: number, toRevision: number, timeoutMs = 15_000): Promise<HistoryEvent[]> {
  const w = watchStream(url, { create_request: { ...ALL_KEYS, start_revision: String(fromRevision) } });
  try {
    const created = await w.nextResult(timeoutMs);
    if (created.created !== true) throw new Error(`the watch was not created: ${JSON.stringify(created)}`);
    if (created.canceled === true) throw new Error(`the watch was canceled: ${JSON.stringify(created)}`);
    const events: HistoryEvent[] = [];
    let last = fromRevision - 1;
    const deadline = Date.now() + timeoutMs;
    while (last < toRevision) {
      const r = await w.nextResult(Math.max(1, deadline - Date.now()));
      if (r.canceled === true) throw new Error(`the watch was canceled: ${JSON.stringify(r)}`);
      for (const e of r.events ?? []) {
        const ev: HistoryEvent = {
          type: e.type === 'DELETE' ? 'DELETE' : 'PUT',
          key: unb64(e.kv?.key),
          value: unb64(e.kv?.value),
          modRevision: Number(e.kv?.mod_revision ?? 0),
          createRevision: Number(e.kv?.create_revision ?? 0),
          version: Number(e.kv?.version ?? 0),
        };
        events.push(ev);
        last = Math.max(last, ev.modRevision);
      }
    }
    return events;
  } finally {
    w.close();
  }
}

/** Snapshot files (<term>-<index>.snap) in a member's data dir, as { name, index }. */
export async function snapshotFiles(dataDir: string): Promise<{ name: string; index: number }[]> {
  let names: string[];
  try {
    names = await readdir(join(dataDir, 'snap'));
  } catch {
    return [];
  }
  return names
    .map((name) => /^([0-9a-f]{16})-([0-9a-f]{16})\.snap$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ name: m[0], index: parseInt(m[2]!, 16) }))
    .sort((a, b) => a.index - b.index);
}

/** A KeyValue from a range response, decoded for comparisons. */
export interface PlainKv {
  key: string;
  value: string;
  modRevision: number;
  createRevision: number;
  version: number;
}

export function unb64Kv(kv: any): PlainKv {
  return {
    key: unb64(kv.key),
    value: unb64(kv.value),
    modRevision: Number(kv.mod_revision ?? 0),
    createRevision: Number(kv.create_revision ?? 0),
    version: Number(kv.version ?? 0),
  };
}
