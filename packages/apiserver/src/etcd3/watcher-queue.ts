// One client watch: an async iterable over a bounded queue. A watcher that falls too far
// behind is ended (the client re-watches from its last resourceVersion), so one slow reader
// never holds up the dispatch to everyone else.

import type { Watcher, WatchEvent } from '../storage/interface.js';

export class QueueWatcher implements Watcher {
  private readonly queue: WatchEvent[] = [];
  private waiting: ((r: IteratorResult<WatchEvent>) => void) | undefined;
  private ended = false;
  overflowed = false;

  constructor(
    private readonly capacity: number,
    private readonly onStop: () => void,
  ) {}

  push(ev: WatchEvent): void {
    if (this.ended) return;
    if (this.waiting !== undefined) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ value: ev, done: false });
      return;
    }
    if (this.queue.length >= this.capacity) {
      this.overflowed = true;
      this.stop();
      return;
    }
    this.queue.push(ev);
  }

  stop(): void {
    if (this.ended) return;
    this.ended = true;
    this.onStop();
    if (this.waiting !== undefined) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ value: undefined, done: true });
    }
  }

  /** Ends after what is queued has been read (used after a terminal ERROR event). */
  endAfterQueued(): void {
    if (this.ended) return;
    this.ended = true;
    this.onStop();
    if (this.waiting !== undefined) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ value: undefined, done: true });
    }
  }

  get stopped(): boolean {
    return this.ended;
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    return {
      next: () => {
        const ev = this.queue.shift();
        if (ev !== undefined) return Promise.resolve({ value: ev, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
      return: () => {
        this.stop();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
