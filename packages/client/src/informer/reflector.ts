// The list-then-watch loop under an informer (client-go's Reflector):
// 1. list, in pages (limit/continue, all pages at one resourceVersion), and hand the whole
//    state over (replace);
// 2. watch from the list's resourceVersion with bookmarks, handing each change over and
//    remembering the last resourceVersion seen (bookmarks move it too, so a quiet watch can
//    restart from a recent version);
// 3. when a watch ends, watch again from that version; when the server says the version is
//    gone (410 Expired/Gone), list afresh;
// 4. between failed attempts, back off (capped exponential with jitter).

import { apiVersionOf, type List } from '@kubets/api';
import { Backoff, type BackoffOptions } from '../backoff/backoff.js';
import { sleep, type Clock } from '../clock/clock.js';
import { realClock } from '../clock/real-clock.js';
import type { KubeClient, KubeObject } from '../rest/client.js';
import { isResourceExpired } from '../rest/errors.js';
import type { SelectorInput } from '../rest/options.js';
import { resolveRef, type ResourceRef, type ResourceTarget } from '../rest/resource.js';
import type { WatchStreamEvent } from '../watch/watch.js';

export interface ReflectorSink<T> {
  /** The complete state as of resourceVersion. */
  replace(items: T[], resourceVersion: string): void;
  /** One ADDED, MODIFIED or DELETED event. */
  apply(ev: WatchStreamEvent<T>): void;
}

export interface ReflectorOptions {
  namespace?: string;
  labelSelector?: SelectorInput;
  fieldSelector?: SelectorInput;
  /** Items per list page; default 500, as client-go. 0 lists in one go. */
  pageSize?: number;
  /** Server-side timeout of each watch; default a random 5-10 minutes, as client-go, so watches do not all restart at once. */
  watchTimeoutSeconds?: () => number;
  backoff?: BackoffOptions;
  clock?: Clock;
  /** Told of every failed list or watch (for logs); the loop carries on. */
  onError?: (err: unknown, context: string) => void;
}

/** A watch that ended this fast without delivering anything counts as a failure (a server closing at once must not make us spin). */
const minHealthyWatchMs = 1000;

export class Reflector<T extends KubeObject> {
  private readonly target: ResourceTarget;
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private readonly abort = new AbortController();
  private lastRV: string | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly client: KubeClient,
    resource: ResourceRef,
    private readonly sink: ReflectorSink<T>,
    private readonly opts: ReflectorOptions = {},
  ) {
    this.target = resolveRef(resource);
    this.clock = opts.clock ?? realClock;
    this.backoff = new Backoff({ clock: this.clock, ...opts.backoff });
  }

  /** The resourceVersion the cache is at: of the last list, event or bookmark. */
  get lastSyncResourceVersion(): string | undefined {
    return this.lastRV;
  }

  start(): void {
    this.running ??= this.run();
  }

  /** Stops listing and watching; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private report(err: unknown, context: string): void {
    this.opts.onError?.(err, context);
  }

  private async pause(): Promise<void> {
    await sleep(this.clock, this.backoff.next(), this.abort.signal);
  }

  private async run(): Promise<void> {
    let needList = true;
    while (!this.stopped) {
      if (needList) {
        try {
          await this.listAndReplace();
          needList = false;
        } catch (e) {
          if (this.stopped) break;
          this.report(e, `list ${this.target.resource}`);
          await this.pause();
          continue;
        }
      }
      const outcome = await this.watchOnce();
      if (outcome === 'expired') needList = true;
      else if (outcome === 'failed') await this.pause();
    }
  }

  private listOptions() {
    return {
      ...(this.opts.labelSelector !== undefined ? { labelSelector: this.opts.labelSelector } : {}),
      ...(this.opts.fieldSelector !== undefined ? { fieldSelector: this.opts.fieldSelector } : {}),
      signal: this.abort.signal,
    };
  }

  private async listAndReplace(): Promise<void> {
    const pageSize = this.opts.pageSize ?? 500;
    let list: List<T>;
    try {
      list = pageSize > 0
        ? await this.client.listAll<T>(this.target, this.opts.namespace, { ...this.listOptions(), pageSize })
        : await this.client.list<T>(this.target, this.opts.namespace, this.listOptions());
    } catch (e) {
      // A continue token can expire between pages (compaction); then take it all in one list, as client-go does.
      if (!isResourceExpired(e) || pageSize === 0) throw e;
      list = await this.client.list<T>(this.target, this.opts.namespace, this.listOptions());
    }
    const rv = list.metadata?.resourceVersion;
    if (rv === undefined || rv === '') throw new Error(`list ${this.target.resource}: the answer has no resourceVersion`);
    // Lists carry apiVersion/kind once, for the list; give each item its own, as watch events have.
    const kind = this.target.kind;
    const items = kind === undefined ? list.items : list.items.map((o) => (o.kind === undefined ? { apiVersion: apiVersionOf(this.target), kind, ...o } : o));
    this.lastRV = rv;
    this.sink.replace(items, rv);
    this.backoff.reset();
  }

  /** One watch, to its end: 'ended' (watch again), 'expired' (list again) or 'failed' (back off, watch again). */
  private async watchOnce(): Promise<'ended' | 'expired' | 'failed'> {
    const startedAt = this.clock.now();
    let delivered = false;
    try {
      const timeout = this.opts.watchTimeoutSeconds?.() ?? Math.floor(300 + Math.random() * 300);
      const watch = await this.client.watch<T>(this.target, this.opts.namespace, {
        ...this.listOptions(),
        ...(this.lastRV !== undefined ? { resourceVersion: this.lastRV } : {}),
        allowWatchBookmarks: true,
        timeoutSeconds: timeout,
      });
      for await (const ev of watch) {
        delivered = true;
        const rv = ev.object?.metadata?.resourceVersion;
        if (ev.type !== 'BOOKMARK') this.sink.apply(ev);
        if (typeof rv === 'string' && rv !== '') this.lastRV = rv;
      }
    } catch (e) {
      if (this.stopped) return 'ended';
      if (isResourceExpired(e)) return 'expired';
      this.report(e, `watch ${this.target.resource}`);
      return 'failed';
    }
    if (this.stopped) return 'ended';
    if (!delivered && this.clock.now() - startedAt < minHealthyWatchMs) return 'failed';
    this.backoff.reset();
    return 'ended';
  }
}
