// An informer (client-go's SharedIndexInformer): a Reflector keeps a local Store in step with
// the API server, and every change is delivered to the event handlers after the store has
// it, so a handler that reads the store sees the new state. A re-list after 410 is diffed
// against the store and delivered as the adds, updates and deletes it amounts to. A periodic
// resync re-delivers every cached object as an update, so level-triggered controllers get a
// chance to fix what drifted outside the API.

import { type TimerHandle, type Clock } from '../clock/clock.js';
import { realClock } from '../clock/real-clock.js';
import type { KubeClient, KubeObject } from '../rest/client.js';
import type { ResourceRef } from '../rest/resource.js';
import type { WatchStreamEvent } from '../watch/watch.js';
import { type ErrorReporter, type EventHandler, type HandlerRegistration, HandlerSet } from './handlers.js';
import { keyFor, objectKey } from './keys.js';
import { Reflector, type ReflectorOptions } from './reflector.js';
import { type IndexFunc, namespaceIndex, Store } from './store.js';

export interface InformerOptions<T> extends ReflectorOptions {
  /** Re-deliver every cached object as onUpdate(obj, obj) this often (ms); 0 or unset: never. */
  resyncPeriodMs?: number;
  indexers?: Record<string, IndexFunc<T>>;
  /** Told of failed lists/watches and of handlers that threw. */
  onError?: ErrorReporter;
}

export class Informer<T extends KubeObject = KubeObject> {
  readonly store: Store<T>;
  private readonly handlers: HandlerSet<T>;
  private readonly reflector: Reflector<T>;
  private readonly clock: Clock;
  private synced = false;
  private stopped = false;
  private started = false;
  private syncWaiters: ((ok: boolean) => void)[] = [];
  private resyncTimer: TimerHandle | undefined;

  constructor(client: KubeClient, resource: ResourceRef, private readonly opts: InformerOptions<T> = {}) {
    this.clock = opts.clock ?? realClock;
    this.store = new Store<T>(opts.indexers);
    const report: ErrorReporter = opts.onError ?? (() => {});
    this.handlers = new HandlerSet<T>(report);
    this.reflector = new Reflector<T>(client, resource, { replace: (items) => this.replace(items), apply: (ev) => this.apply(ev) }, { ...opts, onError: report });
  }

  /**
   * Registers handlers. Added after the first sync, the handler is first told of every
   * cached object as an add (isInInitialList true), as client-go does for late handlers.
   */
  addEventHandler(handler: EventHandler<T>): HandlerRegistration {
    const reg = this.handlers.add(handler);
    if (this.synced) for (const obj of this.store.list()) this.handlers.addedTo(handler, obj, true);
    return reg;
  }

  addIndexer(name: string, fn: IndexFunc<T>): void {
    this.store.addIndexer(name, fn);
  }

  byIndex(name: string, value: string): T[] {
    return this.store.byIndex(name, value);
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.store.get(keyFor(namespace, name));
  }

  getByKey(key: string): T | undefined {
    return this.store.get(key);
  }

  /** Every cached object, or those of one namespace. */
  list(namespace?: string): T[] {
    return namespace === undefined ? this.store.list() : this.store.byIndex(namespaceIndex, namespace);
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** The resourceVersion the cache is at. */
  lastSyncResourceVersion(): string | undefined {
    return this.reflector.lastSyncResourceVersion;
  }

  /** Resolves true once the first list is in the store; false if the informer stops (or signal aborts) first. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (this.stopped || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => {
        this.syncWaiters = this.syncWaiters.filter((w) => w !== waiter);
        resolve(false);
      };
      const waiter = (ok: boolean) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(ok);
      };
      this.syncWaiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.reflector.start();
  }

  get isStarted(): boolean {
    return this.started;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.resyncTimer?.cancel();
    this.resyncTimer = undefined;
    for (const w of this.syncWaiters.splice(0)) w(false);
    await this.reflector.stop();
  }

  private replace(items: T[]): void {
    if (this.stopped) return;
    const initial = !this.synced;
    const { added, updated, deleted } = this.store.replace(items);
    for (const obj of added) this.handlers.added(obj, initial);
    for (const [old, cur] of updated) this.handlers.updated(old, cur);
    for (const obj of deleted) this.handlers.deleted(obj, true);
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w(true);
      this.scheduleResync();
    }
  }

  private apply(ev: WatchStreamEvent<T>): void {
    if (this.stopped) return;
    const obj = ev.object;
    if (ev.type === 'DELETED') {
      this.store.delete(objectKey(obj));
      this.handlers.deleted(obj, false);
      return;
    }
    const old = this.store.upsert(obj);
    if (old === undefined) this.handlers.added(obj, false);
    else this.handlers.updated(old, obj);
  }

  private scheduleResync(): void {
    const period = this.opts.resyncPeriodMs ?? 0;
    if (period <= 0 || this.stopped) return;
    this.resyncTimer = this.clock.setTimer(period, () => {
      this.resync();
      this.scheduleResync();
    });
  }

  /** Re-delivers every cached object as onUpdate(obj, obj). */
  resync(): void {
    for (const obj of this.store.list()) this.handlers.updated(obj, obj);
  }
}
