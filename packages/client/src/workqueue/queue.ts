// The work queue of client-go: keys to reconcile, with its three guarantees
// - fair: keys come out in the order they were first added;
// - de-duplicated: a key added several times before it is taken comes out once;
// - never concurrent: a key that is being processed (taken, not yet done) and is added again
//   is held back and re-queued when done() is called, so no two workers handle one key at once.
// get() waits for a key. After shutDown(), keys already queued are still handed out; then get()
// resolves with shutdown: true.

import { Fifo } from './fifo.js';
import type { QueueMetricsRecorder } from './metrics.js';

export type GetResult<T> = { item: T; shutdown: false } | { item: undefined; shutdown: true };

export class Queue<T = string> {
  private readonly queue = new Fifo<T>();
  /** Keys that need processing: queued, or added again while being processed. */
  private readonly dirty = new Set<T>();
  private readonly processing = new Set<T>();
  private readonly waiters = new Fifo<(r: GetResult<T>) => void>();
  private drainWaiters: (() => void)[] = [];
  private shutting = false;
  /** Told of adds, gets and dones, for workqueue_* metrics. */
  protected metrics: QueueMetricsRecorder<T> | undefined;

  /** Queues the key unless it is already queued; a key being processed is queued again at done(). */
  add(item: T): void {
    if (this.shutting || this.dirty.has(item)) return;
    this.metrics?.add(item);
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    this.queue.push(item);
    this.wake();
  }

  /** Takes the next key, waiting for one. The caller must call done(key) when finished with it. */
  get(): Promise<GetResult<T>> {
    if (this.queue.length > 0) return Promise.resolve(this.take());
    if (this.shutting) return Promise.resolve({ item: undefined, shutdown: true });
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks the key as processed; if it was added meanwhile, it is queued again now. */
  done(item: T): void {
    this.metrics?.done(item);
    this.processing.delete(item);
    if (this.dirty.has(item)) {
      this.queue.push(item);
      this.wake();
    }
    if (this.processing.size === 0) for (const w of this.drainWaiters.splice(0)) w();
  }

  /** Keys waiting to be taken (not those being processed). */
  len(): number {
    return this.queue.length;
  }

  /** Is this key being processed right now? */
  isProcessing(item: T): boolean {
    return this.processing.has(item);
  }

  /** Stops accepting keys; waiting get() calls resolve with shutdown once the queue is empty. */
  shutDown(): void {
    if (this.shutting) return;
    this.shutting = true;
    // Waiters exist only while the queue is empty, so all of them are told now.
    for (let w = this.waiters.shift(); w !== undefined; w = this.waiters.shift()) w({ item: undefined, shutdown: true });
  }

  /** shutDown, then wait until every key taken so far is done(). */
  async shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.processing.size === 0) return;
    await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
  }

  get shuttingDown(): boolean {
    return this.shutting;
  }

  private take(): GetResult<T> {
    const item = this.queue.shift() as T;
    this.processing.add(item);
    this.dirty.delete(item);
    this.metrics?.get(item);
    return { item, shutdown: false };
  }

  private wake(): void {
    const w = this.waiters.shift();
    if (w !== undefined) w(this.take());
  }
}
