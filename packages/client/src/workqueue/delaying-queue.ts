// addAfter: a key that joins the queue only after a delay (a requeue after backoff, a check
// "in 30 s"). A key waiting with an earlier due time is not pushed later by a second
// addAfter; one with a later due time is brought forward, as client-go's delaying queue does.

import type { Clock, TimerHandle } from '../clock/clock.js';
import { realClock } from '../clock/real-clock.js';
import { Queue } from './queue.js';

export class DelayingQueue<T = string> extends Queue<T> {
  protected readonly clock: Clock;
  private readonly waiting = new Map<T, { readyAt: number; timer: TimerHandle }>();

  constructor(opts: { clock?: Clock } = {}) {
    super();
    this.clock = opts.clock ?? realClock;
  }

  addAfter(item: T, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) {
      this.add(item);
      return;
    }
    const readyAt = this.clock.now() + delayMs;
    const existing = this.waiting.get(item);
    if (existing !== undefined) {
      if (existing.readyAt <= readyAt) return;
      existing.timer.cancel();
    }
    const timer = this.clock.setTimer(delayMs, () => {
      this.waiting.delete(item);
      this.add(item);
    });
    this.waiting.set(item, { readyAt, timer });
  }

  /** Keys waiting for their delay to pass. */
  waitingLen(): number {
    return this.waiting.size;
  }

  override shutDown(): void {
    for (const w of this.waiting.values()) w.timer.cancel();
    this.waiting.clear();
    super.shutDown();
  }
}
