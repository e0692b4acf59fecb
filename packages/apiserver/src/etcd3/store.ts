// ResourceStore on etcd, as kube-apiserver's etcd3 store: one key per object, resourceVersion
// = mod_revision, creates and updates as transactions compared on the key's revision, lists
// paged at one revision, and reads/watches at "any recent version" served by the watch cache.

import { alreadyExists, conflict, expired, groupResourceOf, internalError, notFound, type ResourceInfo, serviceUnavailable, storageKey, storagePrefix, isApiError } from '@kubets/api';
import { isDeepStrictEqual } from 'node:util';
import type { GetOptions, KubeObject, ListOptions, ListResult, Preconditions, ResourceStore, UpdateFn, Watcher, WatchOptions } from '../storage/interface.js';
import type { ConsistentReadCount } from '../backend.js';
import type { EtcdClient } from './client.js';
import { prefixEnd } from './codec.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { parseResourceVersion } from './resource-version.js';
import { EtcdError, EtcdUnreachableError } from './errors.js';
import type { WatchCache } from './watch-cache.js';
import { groupResourceString, type StorageMetrics } from './storage-metrics.js';

const modified = 'the object has been modified; please apply your changes to the latest version and try again';

/** etcd failures as Status errors: unreachable is 503, anything unexpected 500. */
async function etcdCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isApiError(e)) throw e;
    if (e instanceof EtcdUnreachableError) throw serviceUnavailable(e.message);
    if (e instanceof EtcdError && e.retryable) throw serviceUnavailable(e.message);
    throw internalError(e);
  }
}

function decode(value: Buffer, rv: number): KubeObject {
  const obj = JSON.parse(value.toString('utf8')) as KubeObject;
  obj.metadata ??= {};
  obj.metadata.resourceVersion = String(rv);
  return obj;
}

function withoutVersion(obj: KubeObject): KubeObject {
  const { resourceVersion: _rv, ...meta } = obj.metadata ?? {};
  return { ...obj, metadata: meta };
}

/** Stored without resourceVersion: the revision of the key is the version. */
function encode(obj: KubeObject): string {
  return JSON.stringify(withoutVersion(obj));
}

export class Etcd3Store implements ResourceStore {
  readonly groupResource;

  constructor(
    private readonly etcd: EtcdClient,
    private readonly info: ResourceInfo,
    private readonly cache: WatchCache,
    /** Whether every etcd member orders progress notifications after events (feature-support.ts). */
    private readonly consistentFromCache: () => Promise<boolean> = async () => false,
    private readonly metrics?: StorageMetrics,
  ) {
    this.groupResource = groupResourceOf(info);
    this.type = groupResourceString(info);
  }

  private readonly type: string;

  /** One etcd request, timed for etcd_request_duration_seconds, its failures as Status errors. */
  private request<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return etcdCall(this.metrics === undefined ? fn : () => this.metrics!.time(operation, this.type, fn));
  }

  private readonly consistentReads = { cache: 0, fallback: 0 };

  consistentReadCounts(): ConsistentReadCount[] {
    const resource = this.info.resource;
    return [
      { resource, success: true, fallback: false, count: this.consistentReads.cache },
      { resource, success: true, fallback: true, count: this.consistentReads.fallback },
    ].filter((c) => c.count > 0);
  }

  /**
   * A consistent read from the cache, as upstream's ConsistentListFromCache: etcd's current
   * revision (a linearizable read of one key), then wait for the cache to reach it. False if
   * the cache did not get there in time (the caller reads etcd instead).
   */
  private async cacheIsCurrent(prefix: string): Promise<boolean> {
    // One key (the prefix itself, which no object has): a linearizable read whose header carries
    // etcd's current revision. A range over the prefix would make etcd count every object in it.
    const r = await this.request('get', () => this.etcd.range({ key: prefix, keysOnly: true }));
    try {
      await this.cache.waitFor(r.header.revision);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Every answer that carries a resourceVersion waits until the watch cache is loaded. The cache
   * lists at revision S and keeps every later event; a list or write that starts after that
   * answers with a revision of at least S, so a watch from any revision this server handed out
   * finds its events in the cache (or 410 only once they are older than the ring or compacted).
   * The caches start with the server, so this waits only in its first moments.
   */
  private async cacheLoaded(): Promise<void> {
    if (!this.cache.initialized) await etcdCall(() => this.cache.start());
  }

  private key(ns: string | undefined, name: string): string {
    return storageKey(this.info, ns, name);
  }

  private checkPreconditions(obj: KubeObject, name: string, p: Preconditions | undefined): void {
    if (p?.uid !== undefined && p.uid !== '' && p.uid !== obj.metadata?.uid) {
      throw conflict(this.groupResource, name, `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${String(obj.metadata?.uid)}`);
    }
    if (p?.resourceVersion !== undefined && p.resourceVersion !== '' && p.resourceVersion !== obj.metadata?.resourceVersion) {
      throw conflict(this.groupResource, name, modified);
    }
  }

  async create(ns: string | undefined, name: string, obj: KubeObject): Promise<KubeObject> {
    await this.cacheLoaded();
    const key = this.key(ns, name);
    const r = await this.request('create', () => this.etcd.txn([{ target: 'MOD', key, modRevision: 0 }], [{ put: { key, value: encode(obj) } }], [{ range: { key } }]));
    // The caller hands the object over: it becomes the answer, no copy needed.
    if (r.succeeded) {
      obj.metadata!.resourceVersion = String(r.header.revision);
      return obj;
    }
    // The etcd client sends a write again when its answer was lost (a timeout, a leader change);
    // if etcd had committed it, the name is taken by this very object (its uid is this create's).
    const held = r.results[0]?.[0];
    if (held === undefined || obj.metadata?.uid === undefined || decode(held.value, held.createRevision).metadata?.uid !== obj.metadata.uid) {
      throw alreadyExists(this.groupResource, name);
    }
    obj.metadata.resourceVersion = String(held.createRevision);
    return obj;
  }

  async get(ns: string | undefined, name: string, opts: GetOptions = {}): Promise<KubeObject> {
    const key = this.key(ns, name);
    const rv = opts.resourceVersion ?? '';
    await this.cacheLoaded();
    if (rv !== '') {
      // Any version at least this new will do: the watch cache answers without asking etcd.
      if (rv !== '0') {
        await this.cache.waitFor(parseResourceVersion(rv));
      } else await etcdCall(() => this.cache.start());
      const obj = this.cache.objects.get(key);
      if (obj === undefined) throw notFound(this.groupResource, name);
      return structuredClone(obj);
    }
    const r = await this.request('get', () => this.etcd.range({ key }));
    const kv = r.kvs[0];
    if (kv === undefined) throw notFound(this.groupResource, name);
    return decode(kv.value, kv.modRevision);
  }

  async list(ns: string | undefined, opts: ListOptions = {}): Promise<ListResult> {
    const prefix = storagePrefix(this.info, ns);
    const rv = opts.resourceVersion ?? '';
    await this.cacheLoaded();
    const limit = opts.limit ?? 0;
    if (opts.continue === undefined && (rv === '0' || (rv !== '' && opts.resourceVersionMatch !== 'Exact' && limit === 0))) {
      if (rv !== '0') await this.cache.waitFor(parseResourceVersion(rv));
      else await etcdCall(() => this.cache.start());
      return this.listFromCache(prefix, opts);
    }
    // A consistent list (no resourceVersion), or its first page: from the cache once it has
    // caught up with etcd's revision, as upstream's ConsistentListFromCache. A page's continue
    // token pins the cache's revision, and etcd serves the next pages at that revision.
    if (opts.continue === undefined && rv === '' && (await this.consistentFromCache())) {
      if (await this.cacheIsCurrent(prefix)) {
        this.consistentReads.cache++;
        return limit === 0 ? this.listFromCache(prefix, opts) : this.pageFromCache(prefix, limit, opts);
      }
      this.consistentReads.fallback++;
    }
    let start = prefix;
    let revision = 0;
    if (opts.continue !== undefined) {
      const token = decodeContinue(opts.continue);
      start = prefix + token.start;
      revision = token.rv;
    } else if (rv !== '' && opts.resourceVersionMatch === 'Exact') {
      revision = parseResourceVersion(rv);
    }
    return this.listFromEtcd(prefix, start, revision, limit, opts, opts.continue !== undefined);
  }

  private listFromCache(prefix: string, opts: ListOptions): ListResult {
    // Not copied: list callers only read (serialize) the items, and 10,000 copies cost more than the rest of the list.
    const items = this.cache.snapshot(prefix).filter((o) => opts.predicate === undefined || opts.predicate(o));
    return { items, resourceVersion: String(this.cache.revision), encodedItems: () => items.map((o) => this.cache.encode(o)) };
  }

  private pageFromCache(prefix: string, limit: number, opts: ListOptions): ListResult {
    const page = this.cache.page(prefix, prefix, limit, opts.predicate);
    const result: ListResult = { items: page.items, resourceVersion: String(this.cache.revision), encodedItems: () => page.items.map((o) => this.cache.encode(o)) };
    if (page.nextKey !== undefined) {
      result.continue = encodeContinue(this.cache.revision, page.nextKey.slice(prefix.length));
      if (page.remaining !== undefined && page.remaining > 0) result.remainingItemCount = page.remaining;
    }
    return result;
  }

  private async listFromEtcd(prefix: string, start: string, fixedRevision: number, limit: number, opts: ListOptions, continuing: boolean): Promise<ListResult> {
    const end = prefixEnd(prefix);
    const items: KubeObject[] = [];
    let revision = fixedRevision;
    let key = start;
    let nextKey: string | undefined;
    let remaining: number | undefined;
    // With a predicate, pages are filled by reading on until `limit` objects match.
    const chunk = limit === 0 ? 0 : opts.predicate === undefined ? limit : Math.min(Math.max(limit * 2, 100), 10_000);
    for (;;) {
      let r;
      try {
        r = await this.request('list', () => this.etcd.range({ key, rangeEnd: end, limit: chunk, revision }));
      } catch (e) {
        const cause = (e as { status?: { message?: string } }).status?.message ?? String(e);
        if (cause.includes('compacted')) {
          throw expired(continuing
            ? 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.'
            : `The resourceVersion for the provided list is too old.`);
        }
        if (cause.includes('future revision')) throw expired(`Too large resource version: ${revision}`);
        throw e;
      }
      if (revision === 0) revision = r.header.revision;
      for (let i = 0; i < r.kvs.length; i++) {
        const kv = r.kvs[i]!;
        const obj = decode(kv.value, kv.modRevision);
        if (opts.predicate !== undefined && !opts.predicate(obj)) continue;
        items.push(obj);
        if (limit > 0 && items.length === limit) {
          const more = i < r.kvs.length - 1 || r.more;
          if (more) {
            nextKey = `${kv.key}\0`;
            if (opts.predicate === undefined) remaining = r.count - r.kvs.length + (r.kvs.length - 1 - i);
          }
          break;
        }
      }
      if (nextKey !== undefined || !r.more || r.kvs.length === 0) break;
      key = `${r.kvs[r.kvs.length - 1]!.key}\0`;
    }
    const result: ListResult = { items, resourceVersion: String(revision) };
    if (nextKey !== undefined) {
      result.continue = encodeContinue(revision, nextKey.slice(prefix.length));
      if (remaining !== undefined && remaining > 0) result.remainingItemCount = remaining;
    }
    return result;
  }

  async update(ns: string | undefined, name: string, fn: UpdateFn, preconditions?: Preconditions): Promise<KubeObject> {
    await this.cacheLoaded();
    const key = this.key(ns, name);
    for (let attempt = 0; ; attempt++) {
      const r = await this.request('get', () => this.etcd.range({ key }));
      const kv = r.kvs[0];
      if (kv === undefined) throw notFound(this.groupResource, name);
      const current = decode(kv.value, kv.modRevision);
      this.checkPreconditions(current, name, preconditions);
      const next = await fn(structuredClone(current));
      const value = encode(next);
      // An update that changes nothing writes nothing and keeps the resourceVersion. Key order
      // is not a change (Go encodes fields in one fixed order; we keep the order they came in).
      if (value === kv.value.toString('utf8') || isDeepStrictEqual(withoutVersion(next), withoutVersion(current))) return current;
      const t = await this.request('update', () => this.etcd.txn([{ target: 'MOD', key, modRevision: kv.modRevision }], [{ put: { key, value } }]));
      if (t.succeeded) {
        next.metadata ??= {};
        next.metadata.resourceVersion = String(t.header.revision);
        return next;
      }
      if ((preconditions?.resourceVersion ?? '') !== '' || attempt >= 100) throw conflict(this.groupResource, name, modified);
    }
  }

  async delete(ns: string | undefined, name: string, preconditions?: Preconditions): Promise<KubeObject> {
    await this.cacheLoaded();
    const key = this.key(ns, name);
    for (let attempt = 0; ; attempt++) {
      const r = await this.request('get', () => this.etcd.range({ key }));
      const kv = r.kvs[0];
      if (kv === undefined) throw notFound(this.groupResource, name);
      const current = decode(kv.value, kv.modRevision);
      this.checkPreconditions(current, name, preconditions);
      const t = await this.request('delete', () => this.etcd.txn([{ target: 'MOD', key, modRevision: kv.modRevision }], [{ deleteRange: { key } }]));
      if (t.succeeded) {
        current.metadata!.resourceVersion = String(t.header.revision);
        return current;
      }
      if ((preconditions?.resourceVersion ?? '') !== '' || attempt >= 100) throw conflict(this.groupResource, name, modified);
    }
  }

  async watch(ns: string | undefined, opts: WatchOptions = {}): Promise<Watcher> {
    return etcdCall(() => this.cache.watch(storagePrefix(this.info, ns), opts));
  }
}
