// A clock for tests: time stands still until the test moves it, and timers fire in order of
// their due time (then of creation) as it does. Nothing sleeps; a test of "retry after 1000 s"
// takes microseconds.

import type { Clock, TimerHandle } from './clock.js';

interface FakeTimer {
  at: number;
  seq: number;
  fn: () => void;
  live: boolean;
}

/** Lets promise continuations and I/O callbacks that are already due run. */
export function flushAsync(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class FakeClock implements Clock {
  private t: number;
  private seq = 0;
  private timers: FakeTimer[] = [];

  constructor(start = Date.UTC(2025, 0, 1)) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const timer: FakeTimer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn, live: true };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.live = false;
        this.timers = this.timers.filter((x) => x !== timer);
      },
    };
  }

  /** How many timers wait to fire. */
  pending(): number {
    return this.timers.length;
  }

  /** When the next timer is due, or undefined when none waits. */
  nextDue(): number | undefined {
    return this.earliest()?.at;
  }

  private earliest(): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const x of this.timers) if (best === undefined || x.at < best.at || (x.at === best.at && x.seq < best.seq)) best = x;
    return best;
  }

  private fire(timer: FakeTimer): void {
    this.timers = this.timers.filter((x) => x !== timer);
    this.t = Math.max(this.t, timer.at);
    if (timer.live) {
      timer.live = false;
      timer.fn();
    }
  }

  /**
   * Moves time forward by ms, firing every timer that falls due on the way, each at its own
   * due time. Synchronous: continuations of promises resolved by the timers run afterwards.
   */
  advance(ms: number): void {
    const target = this.t + ms;
    for (;;) {
      const next = this.earliest();
      if (next === undefined || next.at > target) break;
      this.fire(next);
    }
    this.t = target;
  }

  /**
   * As advance, but lets pending async work run after each timer, so that code which awaits a
   * timer and then sets the next one (a retry loop) sees time as it would in real life.
   */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.t + ms;
    await flushAsync();
    for (;;) {
      const next = this.earliest();
      if (next === undefined || next.at > target) break;
      this.fire(next);
      await flushAsync();
    }
    this.t = target;
    await flushAsync();
  }

  /** Fires the earliest timer (moving time to it) and returns its due time; undefined if none. */
  fireNext(): number | undefined {
    const next = this.earliest();
    if (next === undefined) return undefined;
    this.fire(next);
    return this.t;
  }

  /**
   * Waits (in real time, polling the event loop) until at least n timers are pending: the way a
   * test knows that code doing real I/O has come back to wait on the clock. Rejects after
   * timeoutMs of real time so a broken test fails instead of hanging.
   */
  async whenPending(n: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.timers.length < n) {
      if (Date.now() > deadline) throw new Error(`FakeClock: ${this.timers.length} timers pending after ${timeoutMs} ms, expected ${n}`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }
}
