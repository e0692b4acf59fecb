// A token bucket that never waits (client-go's passive token bucket over Go's rate.Limiter):
// tryAccept takes a token if one is there and otherwise says no, without going into debt.
// The bucket starts full. It counts in milliseconds of refill rather than in fractions of a
// token, so that "one every five minutes" is exact after five minutes, with no float drift.

import type { Clock } from '../clock/clock.js';

export class PassiveTokenBucket {
  /** Tokens held, times refillEveryMs. */
  private credit: number;
  private last: number;

  constructor(
    private readonly burst: number,
    private readonly refillEveryMs: number,
    private readonly clock: Clock,
  ) {
    this.credit = burst * refillEveryMs;
    this.last = clock.now();
  }

  tryAccept(): boolean {
    this.refill();
    if (this.credit < this.refillEveryMs) return false;
    this.credit -= this.refillEveryMs;
    return true;
  }

  private refill(): void {
    const now = this.clock.now();
    if (now <= this.last) return;
    this.credit = Math.min(this.burst * this.refillEveryMs, this.credit + (now - this.last));
    this.last = now;
  }
}
