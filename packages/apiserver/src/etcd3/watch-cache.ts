// The cacher: one etcd watch per resource prefix keeps a current copy of every object and a
// ring of recent events. All client watches of the resource on this API server are served
// from it, so a thousand watchers cost etcd one stream, and a watch can resume from any
// resourceVersion still in the ring (older ones get 410 Expired).

import { parseResourceVersion } from './resource-version.js';
import { expired, timeout } from '@kubets/api';
import { StorageRetry } from '../backend.js';
import type { KubeObject, Predicate, WatchEvent, WatchOptions } from '../storage/interface.js';
import type { EtcdClient, EtcdWatch, WatchEventRaw } from './client.js';
import { prefixEnd } from './codec.js';
import { QueueWatcher } from './watcher-queue.js';
import { SortedKeys } from './sorted-keys.js';

interface CachedEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  key: string;
  object: KubeObject;
  prev: KubeObject | undefined;
  rv: number;
  /** The event as every watcher that sees it unchanged gets it: one object, so it is serialized once. */
  shared?: WatchEvent;
}

interface ClientWatch {
  queue: QueueWatcher;
  keyPrefix: string;
  predicate: Predicate | undefined;
  bookmarks: boolean;
  /** The bookmark sent shortly before the client's timeout. */
  bookmarkTimer?: NodeJS.Timeout;
}

export interface WatchCacheOptions {
  capacity: number;
  bookmarkIntervalMs: number;
  watcherQueueSize: number;
  /** apiVersion and kind of the cached objects: a BOOKMARK's object is one of them. */
  typeMeta?: { apiVersion: string; kind: string };
  logger?: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

function decode(value: Buffer, rv: number): KubeObject {
  const obj = JSON.parse(value.toString('utf8')) as KubeObject;
  obj.metadata ??= {};
  obj.metadata.resourceVersion = String(rv);
  return obj;
}

/** One page of a list from the cache: the objects, and where the next page starts if there is one. */
export interface CachePage {
  items: KubeObject[];
  /** The first key of the next page. */
  nextKey?: string;
  /** Objects after this page (without a predicate only: with one, they are not counted). */
  remaining?: number;
}

export class WatchCache {
  readonly objects = new Map<string, KubeObject>();
  private readonly keys = new SortedKeys();
  /** Each cached object's JSON, made on first use; objects here never change, so it never goes stale. */
  private readonly encoded = new WeakMap<KubeObject, Buffer>();
  private ring: CachedEvent[] = [];
  /** Every event after this revision is in the ring; a watch from earlier is too old. */
  private ringStart = 0;
  /** The revision the cache reflects. */
  revision = 0;
  private readonly watchers = new Set<ClientWatch>();
  private etcdWatch: EtcdWatch | undefined;
  private bookmarkTimer: NodeJS.Timeout | undefined;
  private waiters: { rv: number; resolve: () => void }[] = [];
  /** Asks etcd for progress every 100 ms while any read waits (one timer for all of them). */
  private progressTicker: NodeJS.Timeout | undefined;
  private ready: Promise<void> | undefined;
  /** The list is loaded and the etcd watch runs: reads and watches can be served. */
  private loaded = false;
  private closed = false;
  private readonly listRetry: StorageRetry;
  /** The next attempt of a list that failed, while one is due. */
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly etcd: EtcdClient,
    readonly prefix: string,
    private readonly opts: WatchCacheOptions,
  ) {
    this.listRetry = new StorageRetry(`watch cache list of ${prefix}`, opts.logger);
  }

  /**
   * Lists the prefix and starts the etcd watch; concurrent callers share the first call. A list
   * that fails (etcd not up yet, or gone) fails its callers at once, and is tried again in the
   * background with a capped back-off until it succeeds, as kube-apiserver's cacher keeps
   * re-listing: the cache gets ready when etcd answers, whether anyone asks or not.
   */
  start(): Promise<void> {
    this.ready ??= this.initialize().then(
      () => {
        this.loaded = !this.closed;
        this.listRetry.succeeded();
      },
      (e) => {
        this.ready = undefined;
        this.retryLater(e);
        throw e;
      },
    );
    return this.ready;
  }

  /** Whether the cache holds the resource and follows etcd (false while it lists, or re-lists). */
  get initialized(): boolean {
    return this.loaded;
  }

  /** A first list that failed and waits out its back-off is tried at once (etcd was just seen to answer). */
  retryNow(): void {
    if (this.retryTimer === undefined || this.closed) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.start().catch(() => undefined);
  }

  private retryLater(err: unknown): void {
    const delay = this.listRetry.failed(err);
    if (this.closed || this.retryTimer !== undefined) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      // A failure is reported (logged at most every few seconds) and retried by start() itself.
      if (!this.closed) this.start().catch(() => undefined);
    }, delay);
    this.retryTimer.unref();
  }

  private async initialize(): Promise<void> {
    const end = prefixEnd(this.prefix);
    const first = await this.etcd.range({ key: this.prefix, rangeEnd: end, limit: 10_000 });
    const rev = first.header.revision;
    const kvs = [...first.kvs];
    let more = first.more;
    while (more) {
      const last = kvs[kvs.length - 1]!.key;
      const page = await this.etcd.range({ key: `${last}\0`, rangeEnd: end, limit: 10_000, revision: rev });
      kvs.push(...page.kvs);
      more = page.more;
    }
    // Closed while listing (a retry that was under way at shutdown): start no watch.
    if (this.closed) return;
    this.objects.clear();
    for (const kv of kvs) this.objects.set(kv.key, decode(kv.value, kv.modRevision));
    this.keys.reset(this.objects.keys());
    this.revision = rev;
    this.ring = [];
    this.ringStart = rev;
    this.etcdWatch = this.etcd.watch(this.prefix, end, rev + 1, {
      onEvents: (events, revision) => this.apply(events, revision),
      onCompacted: () => this.restart(),
    });
    this.bookmarkTimer ??= setInterval(() => this.sendBookmarks(), this.opts.bookmarkIntervalMs);
    this.bookmarkTimer.unref();
  }

  /** The etcd history we needed is gone: start over, and end every client watch (they re-watch). */
  private restart(): void {
    if (this.closed) return;
    this.opts.logger?.warn({ prefix: this.prefix }, 'watch cache fell behind a compaction; re-listing');
    for (const w of [...this.watchers]) w.queue.stop();
    this.ready = undefined;
    this.loaded = false;
    // A failure is reported (logged at most every few seconds) and retried by start() itself.
    this.start().catch(() => undefined);
  }

  private apply(events: WatchEventRaw[], revision: number): void {
    for (const e of events) {
      const prev = this.objects.get(e.kv.key);
      let ev: CachedEvent;
      if (e.type === 'DELETE') {
        const last = prev ?? (e.prevKv ? decode(e.prevKv.value, e.prevKv.modRevision) : undefined);
        if (last === undefined) continue;
        const object = structuredClone(last);
        object.metadata!.resourceVersion = String(e.kv.modRevision);
        this.objects.delete(e.kv.key);
        this.keys.delete(e.kv.key);
        ev = { type: 'DELETED', key: e.kv.key, object, prev: last, rv: e.kv.modRevision };
      } else {
        const object = decode(e.kv.value, e.kv.modRevision);
        this.objects.set(e.kv.key, object);
        if (prev === undefined) this.keys.add(e.kv.key);
        ev = { type: prev === undefined ? 'ADDED' : 'MODIFIED', key: e.kv.key, object, prev, rv: e.kv.modRevision };
      }
      this.ring.push(ev);
      if (this.ring.length > this.opts.capacity) this.ringStart = this.ring.shift()!.rv;
      for (const w of this.watchers) this.deliver(w, ev);
    }
    if (revision > this.revision) this.revision = revision;
    if (events.length > 0) this.revision = Math.max(this.revision, events[events.length - 1]!.kv.modRevision);
    this.waiters = this.waiters.filter((w) => (w.rv <= this.revision ? (w.resolve(), false) : true));
    this.tickProgressWhileWaiting();
  }

  /** The progress ticker runs exactly while someone waits. */
  private tickProgressWhileWaiting(): void {
    if (this.waiters.length > 0 && this.progressTicker === undefined) {
      this.progressTicker = setInterval(() => this.etcdWatch?.requestProgress(), 100);
    } else if (this.waiters.length === 0 && this.progressTicker !== undefined) {
      clearInterval(this.progressTicker);
      this.progressTicker = undefined;
    }
  }

  /** The event as this watcher sees it: objects entering or leaving its selection become ADDED/DELETED. */
  private deliver(w: ClientWatch, ev: CachedEvent): void {
    if (!ev.key.startsWith(w.keyPrefix)) return;
    const matches = (o: KubeObject | undefined) => o !== undefined && (w.predicate === undefined || w.predicate(o));
    if (ev.type === 'MODIFIED' && w.predicate !== undefined) {
      const now = matches(ev.object);
      const before = matches(ev.prev);
      if (now && before) w.queue.push({ type: 'MODIFIED', object: ev.object });
      else if (now) w.queue.push({ type: 'ADDED', object: ev.object });
      else if (before) {
        const gone = structuredClone(ev.prev!);
        gone.metadata!.resourceVersion = String(ev.rv);
        w.queue.push({ type: 'DELETED', object: gone });
      }
      return;
    }
    if (matches(ev.object)) w.queue.push((ev.shared ??= { type: ev.type, object: ev.object }));
  }

  private bookmark(): WatchEvent {
    return { type: 'BOOKMARK', object: { ...this.opts.typeMeta, metadata: { resourceVersion: String(this.revision) } } };
  }

  private sendBookmarks(): void {
    const bookmark = this.bookmark();
    for (const w of this.watchers) if (w.bookmarks) w.queue.push(bookmark);
  }

  /** Resolves once the cache has seen `rv`; 504 Timeout (upstream's "Too large resource version") otherwise. */
  async waitFor(rv: number, timeoutMs = 3000): Promise<void> {
    await this.start();
    if (this.revision >= rv) return;
    // `rv` may be the revision of a write to another resource (a list's resourceVersion is
    // etcd's revision): no event of ours will ever carry it. etcd's progress notification
    // moves the cache to etcd's current revision, as kube-apiserver's cacher asks for it.
    // The member this watch is on may not have applied `rv` yet when it answers; as upstream's
    // progress requester does, ask again every 100 ms while someone waits.
    this.etcdWatch?.requestProgress();
    await new Promise<void>((resolve, reject) => {
      const waiter = { rv, resolve: () => (clearTimeout(timer), resolve()) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        this.tickProgressWhileWaiting();
        reject(timeout(`Too large resource version: ${rv}, current: ${this.revision}`, 1));
      }, timeoutMs);
      this.waiters.push(waiter);
      this.tickProgressWhileWaiting();
    });
  }

  async watch(keyPrefix: string, opts: WatchOptions): Promise<QueueWatcher> {
    await this.start();
    const rvText = opts.resourceVersion ?? '';
    const fromNow = rvText === '' || rvText === '0';
    const rv = fromNow ? this.revision : parseResourceVersion(rvText);
    // A version from the future (written through another API server a moment ago): wait for it.
    if (!fromNow && rv > this.revision) await this.waitFor(rv);
    const w: ClientWatch = { queue: undefined as never, keyPrefix, predicate: opts.predicate, bookmarks: opts.allowBookmarks === true };
    w.queue = new QueueWatcher(this.opts.watcherQueueSize, () => {
      clearTimeout(w.bookmarkTimer);
      this.watchers.delete(w);
    });
    if (!fromNow && rv < this.ringStart) {
      // Too old: one ERROR event, as kube-apiserver sends it, then the end of the stream.
      w.queue.push({ type: 'ERROR', object: expired(`too old resource version: ${rv} (${this.ringStart})`).status as never });
      w.queue.endAfterQueued();
      return w.queue;
    }
    if (fromNow) {
      for (const [key, obj] of this.objects) {
        if (key.startsWith(keyPrefix) && (opts.predicate === undefined || opts.predicate(obj))) w.queue.push({ type: 'ADDED', object: obj });
      }
    } else {
      for (const ev of this.ring) if (ev.rv > rv) this.deliver(w, ev);
    }
    this.watchers.add(w);
    // As kube-apiserver: a bookmark 2 s before the client's timeout, so that it can resume
    // from a recent resourceVersion even when nothing it watches changed.
    if (w.bookmarks && opts.timeoutMs !== undefined && opts.timeoutMs > 2000) {
      w.bookmarkTimer = setTimeout(() => w.queue.push(this.bookmark()), opts.timeoutMs - 2000);
      w.bookmarkTimer.unref();
    }
    return w.queue;
  }

  /** A cached object as JSON (encoded once per object). */
  encode(obj: KubeObject): Buffer {
    let json = this.encoded.get(obj);
    if (json === undefined) {
      json = Buffer.from(JSON.stringify(obj));
      this.encoded.set(obj, json);
    }
    return json;
  }

  /** Objects under `keyPrefix`, in key order, as of `revision`. */
  snapshot(keyPrefix: string): KubeObject[] {
    return this.page(keyPrefix, keyPrefix, 0).items;
  }

  /**
   * Up to `limit` objects (0: all) under `keyPrefix` that match `predicate`, in key order from
   * `startKey`, as of `revision`: what etcd's range at that revision would give.
   */
  page(keyPrefix: string, startKey: string, limit: number, predicate?: Predicate): CachePage {
    const items: KubeObject[] = [];
    let i = this.keys.lowerBound(startKey);
    for (let key = this.keys.at(i); key !== undefined && key.startsWith(keyPrefix); key = this.keys.at(++i)) {
      const obj = this.objects.get(key)!;
      if (predicate !== undefined && !predicate(obj)) continue;
      if (limit > 0 && items.length === limit) {
        const page: CachePage = { items, nextKey: key };
        if (predicate === undefined) page.remaining = this.keys.lowerBound(prefixEnd(keyPrefix)) - i;
        return page;
      }
      items.push(obj);
    }
    return { items };
  }

  get watcherCount(): number {
    return this.watchers.size;
  }

  /** Ends every client watch; the cache itself keeps following etcd. */
  endWatches(): void {
    for (const w of [...this.watchers]) w.queue.stop();
  }

  close(): void {
    this.closed = true;
    this.loaded = false;
    clearTimeout(this.retryTimer);
    this.etcdWatch?.stop();
    if (this.bookmarkTimer) clearInterval(this.bookmarkTimer);
    if (this.progressTicker) clearInterval(this.progressTicker);
    for (const w of [...this.watchers]) w.queue.stop();
  }
}
