// An etcd v3 client over the JSON gateway (POST /v3/...), on undici, with several endpoints:
// a request that cannot reach a member, or that the member cannot serve (no leader,
// unavailable), moves on to the next one. Works the same on etcd 3.4 and on kubets-etcd.
//
// Requests go to one member at a time, and the client prefers the leader's endpoint: a member
// forwards every write to the leader and asks it for every linearizable read, so a follower in
// between costs each request two more hops (and the follower's CPU) for nothing.

import { request as httpRequest } from 'node:http';
import { Pool } from 'undici';
import { b64, b64Bytes, decodeKv, type KeyValue, num, type RawKeyValue } from './codec.js';
import { EtcdError, EtcdUnreachableError } from './errors.js';

export interface Header {
  revision: number;
  clusterId: string;
  memberId: string;
  raftTerm: number;
}

export interface RangeRequest {
  key: string;
  /** A latin1 byte string (from prefixEnd) or '\0'. */
  rangeEnd?: string;
  limit?: number;
  revision?: number;
  keysOnly?: boolean;
  countOnly?: boolean;
  serializable?: boolean;
}

export interface RangeResponse {
  header: Header;
  kvs: KeyValue[];
  more: boolean;
  count: number;
}

export type Compare =
  | { target: 'MOD'; key: string; modRevision: number; result?: 'EQUAL' | 'NOT_EQUAL' | 'GREATER' | 'LESS' }
  | { target: 'CREATE'; key: string; createRevision: number; result?: 'EQUAL' | 'NOT_EQUAL' | 'GREATER' | 'LESS' }
  | { target: 'VERSION'; key: string; version: number; result?: 'EQUAL' | 'NOT_EQUAL' | 'GREATER' | 'LESS' }
  | { target: 'VALUE'; key: string; value: string; result?: 'EQUAL' | 'NOT_EQUAL' | 'GREATER' | 'LESS' };

export type Op =
  | { put: { key: string; value: string | Buffer; prevKv?: boolean; /** Attaches the key to this lease (its id, an int64 in decimal). */ lease?: string } }
  | { deleteRange: { key: string; prevKv?: boolean } }
  | { range: { key: string } };

export interface TxnResponse {
  header: Header;
  succeeded: boolean;
  /** For each op: the previous kvs of puts/deletes, or the kvs of ranges. */
  results: KeyValue[][];
}

export interface WatchEventRaw {
  type: 'PUT' | 'DELETE';
  kv: KeyValue;
  prevKv?: KeyValue;
}

interface WatchResult {
  header?: { revision?: string };
  compact_revision?: string;
  canceled?: boolean;
  cancel_reason?: string;
  created?: boolean;
  events?: { type?: string; kv: RawKeyValue; prev_kv?: RawKeyValue }[];
}

export interface WatchCallbacks {
  /** A batch of events (all of one revision or more), or an empty batch that only advances the revision (progress). */
  onEvents(events: WatchEventRaw[], revision: number): void;
  /** The watch can not go on: the start revision was compacted. */
  onCompacted(compactRevision: number): void;
}

export interface EtcdClientOptions {
  endpoints: string[];
  /** Per-request timeout for unary calls. */
  requestTimeoutMs?: number;
  /** How often to look for the leader's endpoint (ms), besides after each failover. 0: never. Default 5,000. */
  leaderCheckMs?: number;
  logger?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

function header(raw: { header?: { revision?: string; cluster_id?: string; member_id?: string; raft_term?: string } } | undefined): Header {
  const h = raw?.header ?? {};
  return { revision: num(h.revision), clusterId: h.cluster_id ?? '', memberId: h.member_id ?? '', raftTerm: num(h.raft_term) };
}

function encodeCompare(c: Compare): Record<string, unknown> {
  const base = { key: b64(c.key), target: c.target, result: c.result ?? 'EQUAL' };
  switch (c.target) {
    case 'MOD':
      return { ...base, mod_revision: String(c.modRevision) };
    case 'CREATE':
      return { ...base, create_revision: String(c.createRevision) };
    case 'VERSION':
      return { ...base, version: String(c.version) };
    case 'VALUE':
      return { ...base, value: b64(c.value) };
  }
}

function encodeOp(op: Op): Record<string, unknown> {
  if ('put' in op) return { request_put: { key: b64(op.put.key), value: b64(op.put.value), prev_kv: op.put.prevKv ?? false, ...(op.put.lease !== undefined ? { lease: op.put.lease } : {}) } };
  if ('deleteRange' in op) return { request_delete_range: { key: b64(op.deleteRange.key), prev_kv: op.deleteRange.prevKv ?? false } };
  return { request_range: { key: b64(op.range.key) } };
}

export interface EtcdWatch {
  stop(): void;
  /** Asks etcd for a progress notification (a no-op while the stream is being re-established). */
  requestProgress(): void;
}

export class EtcdClient {
  private readonly pools: Pool[];
  private current = 0;
  private closed = false;
  private readonly watches = new Set<{ stop(): void }>();
  private readonly leaderTimer: NodeJS.Timeout | undefined;
  private leaderCheck: Promise<boolean> | undefined;
  /** A look for the new leader after a failover is under way. */
  private followingFailover = false;
  /** Counts etcd watch streams opened, so tests can check that watchers share them. */
  watchStreamsOpened = 0;

  constructor(private readonly opts: EtcdClientOptions) {
    if (opts.endpoints.length === 0) throw new Error('at least one etcd endpoint is required');
    this.pools = opts.endpoints.map((e) => new Pool(e.replace(/\/$/, ''), { connections: 64, pipelining: 1, keepAliveTimeout: 30_000 }));
    const every = opts.leaderCheckMs ?? 5_000;
    if (this.pools.length > 1 && every > 0) {
      void this.preferLeader();
      this.leaderTimer = setInterval(() => void this.preferLeader(), every).unref();
    }
  }

  /** The endpoint requests go to now (an index into endpoints). */
  get currentEndpoint(): number {
    return this.current;
  }

  /**
   * Asks every member for its status and moves to the endpoint of the member that is the leader,
   * if one says so (the one in the highest term, if several do). Members that do not answer in
   * time are skipped; with no leader known, the client stays where it is (any member can serve
   * it, by forwarding). Resolves true when a member said it leads.
   */
  preferLeader(): Promise<boolean> {
    this.leaderCheck ??= (async () => {
      const statuses = await Promise.all(this.pools.map(async (pool) => {
        try {
          const res = await pool.request({ path: '/v3/maintenance/status', method: 'POST', body: '{}', headers: { 'content-type': 'application/json' }, headersTimeout: 2_000, bodyTimeout: 2_000 });
          const body = (await res.body.json()) as { header?: { member_id?: string; raft_term?: string }; leader?: string };
          return res.statusCode === 200 ? body : undefined;
        } catch {
          return undefined;
        }
      }));
      // A leader cut off from the others may still think it leads, in an older term than the
      // one elected since: the highest term wins.
      let leader = -1;
      statuses.forEach((s, i) => {
        if (s?.leader === undefined || s.leader === '0' || s.leader !== s.header?.member_id) return;
        if (leader < 0 || num(s.header.raft_term) > num(statuses[leader]!.header!.raft_term)) leader = i;
      });
      if (leader >= 0 && leader !== this.current && !this.closed) {
        this.opts.logger?.info({ endpoint: this.opts.endpoints[leader], previous: this.opts.endpoints[this.current] }, 'etcd client moves to the leader\'s endpoint');
        this.current = leader;
      }
      return leader >= 0;
    })().finally(() => (this.leaderCheck = undefined));
    return this.leaderCheck;
  }

  /**
   * The member we left may have been the leader: look for the new one (when preferring it). Right
   * after a leader dies the others are still electing one, so the look is repeated every 200 ms,
   * for up to 5 s, until some member says it leads.
   */
  private afterFailover(): void {
    if (this.leaderTimer === undefined || this.followingFailover) return;
    this.followingFailover = true;
    void (async () => {
      for (let attempt = 0; attempt < 25 && !this.closed; attempt++) {
        if (await this.preferLeader()) break;
        await new Promise((r) => setTimeout(r, 200).unref());
      }
    })().finally(() => (this.followingFailover = false));
  }

  get endpoints(): string[] {
    return this.opts.endpoints;
  }

  /** POSTs `body` to `path`, failing over across members on connection errors and unavailability. */
  async call<T>(path: string, body: unknown): Promise<T> {
    let lastError: unknown;
    for (let attempt = 0; attempt < this.pools.length * 2; attempt++) {
      if (this.closed) throw new EtcdUnreachableError('the etcd client is closed');
      const i = (this.current + attempt) % this.pools.length;
      try {
        const res = await this.pools[i]!.request({
          path,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          headersTimeout: this.opts.requestTimeoutMs ?? 10_000,
          bodyTimeout: this.opts.requestTimeoutMs ?? 10_000,
        });
        const text = await res.body.text();
        const parsed = text === '' ? {} : (JSON.parse(text) as { error?: string; message?: string; code?: number });
        if (res.statusCode >= 400 || parsed.error !== undefined) {
          const err = new EtcdError(parsed.message ?? parsed.error ?? `HTTP ${res.statusCode}`, parsed.code ?? 0, res.statusCode);
          if (!err.retryable) throw err;
          lastError = err;
          continue;
        }
        if (i !== this.current) {
          this.current = i;
          this.afterFailover();
        }
        return parsed as T;
      } catch (e) {
        if (e instanceof EtcdError && !e.retryable) throw e;
        lastError = e;
      }
    }
    throw new EtcdUnreachableError(`no etcd member could serve ${path}: ${(lastError as Error)?.message ?? lastError}`);
  }

  /** Each endpoint's server version (`/version`'s etcdserver); undefined where it did not answer. */
  async memberVersions(): Promise<(string | undefined)[]> {
    return Promise.all(this.pools.map(async (pool) => {
      try {
        const res = await pool.request({ path: '/version', method: 'GET', headersTimeout: 5_000, bodyTimeout: 5_000 });
        const body = (await res.body.json()) as { etcdserver?: unknown };
        return res.statusCode === 200 && typeof body.etcdserver === 'string' ? body.etcdserver : undefined;
      } catch {
        return undefined;
      }
    }));
  }

  async range(r: RangeRequest): Promise<RangeResponse> {
    const body: Record<string, unknown> = { key: b64(r.key) };
    if (r.rangeEnd !== undefined) body.range_end = b64Bytes(r.rangeEnd, true);
    if (r.limit) body.limit = String(r.limit);
    if (r.revision) body.revision = String(r.revision);
    if (r.keysOnly) body.keys_only = true;
    if (r.countOnly) body.count_only = true;
    if (r.serializable) body.serializable = true;
    const raw = await this.call<{ kvs?: RawKeyValue[]; more?: boolean; count?: string }>('/v3/kv/range', body);
    return { header: header(raw as never), kvs: (raw.kvs ?? []).map(decodeKv), more: raw.more ?? false, count: num(raw.count) };
  }

  async txn(compare: Compare[], success: Op[], failure: Op[] = []): Promise<TxnResponse> {
    const raw = await this.call<{ succeeded?: boolean; responses?: Record<string, { prev_kv?: RawKeyValue; prev_kvs?: RawKeyValue[]; kvs?: RawKeyValue[] }>[] }>('/v3/kv/txn', {
      compare: compare.map(encodeCompare),
      success: success.map(encodeOp),
      failure: failure.map(encodeOp),
    });
    const results = (raw.responses ?? []).map((r) => {
      const inner = r.response_put ?? r.response_delete_range ?? r.response_range ?? {};
      const kvs = inner.kvs ?? inner.prev_kvs ?? (inner.prev_kv ? [inner.prev_kv] : []);
      return kvs.map(decodeKv);
    });
    return { header: header(raw as never), succeeded: raw.succeeded ?? false, results };
  }

  /** Grants a lease of `ttlSeconds`; resolves to its id (an int64, kept in decimal: it may exceed 2^53). */
  async grantLease(ttlSeconds: number): Promise<string> {
    const raw = await this.call<{ ID?: string }>('/v3/lease/grant', { TTL: String(ttlSeconds) });
    if (raw.ID === undefined || raw.ID === '0') throw new EtcdError('etcd granted no lease', 0, 200);
    return raw.ID;
  }

  async compact(revision: number): Promise<void> {
    await this.call('/v3/kv/compaction', { revision: String(revision), physical: false });
  }

  /**
   * One etcd watch stream over [key, rangeEnd) from `startRevision`, resumed on another member
   * after lastRevision when the stream breaks. Stops on compaction (after onCompacted) or stop().
   */
  watch(key: string, rangeEnd: string, startRevision: number, cb: WatchCallbacks): EtcdWatch {
    let stopped = false;
    let next = startRevision;
    let abort: (() => void) | undefined;
    let sendRequest: ((line: string) => void) | undefined;
    const handle = {
      stop: () => {
        stopped = true;
        abort?.();
        this.watches.delete(handle);
      },
      // etcd answers with a progress notification carrying its current revision once this
      // watch has been sent every event up to it (onEvents with no events).
      requestProgress: () => sendRequest?.(`${JSON.stringify({ progress_request: {} })}\n`),
    };
    this.watches.add(handle);
    const run = async () => {
      let failures = 0;
      while (!stopped && !this.closed) {
        const i = this.current % this.pools.length;
        this.watchStreamsOpened++;
        try {
          await this.watchStream(this.opts.endpoints[i]!, key, rangeEnd, next, (r) => {
            if (num(r.compact_revision) > 0) {
              stopped = true;
              cb.onCompacted(num(r.compact_revision));
              return false;
            }
            if (r.canceled) throw new Error(`etcd canceled the watch: ${r.cancel_reason ?? ''}`);
            failures = 0;
            const events = (r.events ?? []).map((e) => ({
              type: (e.type ?? 'PUT') as 'PUT' | 'DELETE',
              kv: decodeKv(e.kv),
              ...(e.prev_kv ? { prevKv: decodeKv(e.prev_kv) } : {}),
            }));
            if (events.length > 0) next = events[events.length - 1]!.kv.modRevision + 1;
            const rev = num(r.header?.revision);
            // A progress notification (no events) says everything up to rev has been seen.
            if (events.length === 0 && !r.created && rev >= next) next = rev + 1;
            if (events.length > 0 || (!r.created && rev > 0)) cb.onEvents(events, Math.max(rev, next - 1));
            return !stopped;
          }, (abortFn) => (abort = abortFn), (send) => (sendRequest = send));
          if (stopped) return;
          throw new Error('the watch stream ended');
        } catch (e) {
          if (stopped || this.closed) return;
          failures++;
          this.current = (i + 1) % this.pools.length;
          this.afterFailover();
          this.opts.logger?.warn({ err: (e as Error).message, endpoint: this.opts.endpoints[i], resumeFrom: next }, 'etcd watch broke; resuming on the next member');
          // Back off a little when every member fails in turn.
          if (failures >= this.pools.length) await new Promise((r) => setTimeout(r, Math.min(2000, 100 * failures)));
        }
      }
    };
    void run();
    return handle;
  }

  /**
   * One POST /v3/watch: the request body stays open (it is the stream of WatchRequests), so
   * this uses node:http, which reads the response while the request is still being sent.
   * Resolves when the stream ends or `onResult` returns false.
   */
  private watchStream(
    endpoint: string,
    key: string,
    rangeEnd: string,
    startRevision: number,
    onResult: (r: WatchResult) => boolean,
    setAbort: (abort: () => void) => void,
    setSend: (send: ((line: string) => void) | undefined) => void,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const url = new URL('/v3/watch', endpoint);
      // etcd's gateway starts a streaming call only once it has answered 100 Continue.
      const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', expect: '100-continue' } });
      let done = false;
      const finish = (err?: Error) => {
        if (done) return;
        done = true;
        setSend(undefined);
        req.destroy();
        if (err) reject(err);
        else resolve();
      };
      setAbort(() => finish());
      req.on('error', (e) => finish(e));
      req.setTimeout(0);
      req.on('response', (res) => {
        if (res.statusCode !== 200) {
          finish(new Error(`watch answered HTTP ${res.statusCode}`));
          return;
        }
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let nl: number;
          try {
            while ((nl = buf.indexOf('\n')) >= 0) {
              const line = buf.slice(0, nl).trim();
              buf = buf.slice(nl + 1);
              if (line === '') continue;
              const msg = JSON.parse(line) as { result?: WatchResult; error?: { message?: string } };
              if (msg.error !== undefined) throw new Error(`watch stream error: ${msg.error.message ?? JSON.stringify(msg.error)}`);
              if (!onResult(msg.result ?? {})) return finish();
            }
          } catch (e) {
            finish(e as Error);
          }
        });
        res.on('end', () => finish());
        res.on('error', (e) => finish(e));
      });
      req.on('continue', () => {
        req.write(`${JSON.stringify({ create_request: { key: b64(key), range_end: b64Bytes(rangeEnd, true), start_revision: String(startRevision), prev_kv: true, progress_notify: true } })}\n`);
        setSend((line) => void (done || req.write(line)));
      });
      req.flushHeaders();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.leaderTimer);
    await this.leaderCheck;
    for (const w of [...this.watches]) w.stop();
    await Promise.all(this.pools.map((p) => p.destroy()));
  }
}
