// Capped exponential backoff with jitter, as client-go's reflector uses between failed
// list/watch attempts: so a thousand informers do not hammer an API server that just came
// back, all at the same instant.

import type { Clock } from '../clock/clock.js';
import { realClock } from '../clock/real-clock.js';

export interface BackoffOptions {
  /** First delay (ms). Default 800, as client-go's reflector. */
  initialMs?: number;
  /** Delays stop growing here (before jitter). Default 30 000. */
  maxMs?: number;
  /** Growth per failure. Default 2. */
  factor?: number;
  /** Up to this fraction of the delay is added at random. Default 1 (so 800 ms becomes 800-1600 ms). */
  jitter?: number;
  /** After this long without a call to next(), start over from initialMs. Default 120 000. */
  resetAfterMs?: number;
  clock?: Clock;
  /** A source of numbers in [0, 1); injectable for deterministic tests. */
  random?: () => number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly resetAfterMs: number;
  private readonly clock: Clock;
  private readonly random: () => number;
  private current: number;
  private lastAt: number | undefined;

  constructor(opts: BackoffOptions = {}) {
    this.initialMs = opts.initialMs ?? 800;
    this.maxMs = opts.maxMs ?? 30_000;
    this.factor = opts.factor ?? 2;
    this.jitter = opts.jitter ?? 1;
    this.resetAfterMs = opts.resetAfterMs ?? 120_000;
    this.clock = opts.clock ?? realClock;
    this.random = opts.random ?? Math.random;
    this.current = this.initialMs;
  }

  /** The delay to wait before the next attempt; each call makes the following one longer. */
  next(): number {
    const now = this.clock.now();
    if (this.lastAt !== undefined && now - this.lastAt > this.resetAfterMs) this.current = this.initialMs;
    this.lastAt = now;
    const base = Math.min(this.current, this.maxMs);
    this.current = Math.min(this.current * this.factor, this.maxMs);
    return base + this.random() * this.jitter * base;
  }

  /** Back to initialMs: called after a success. */
  reset(): void {
    this.current = this.initialMs;
    this.lastAt = undefined;
  }
}
