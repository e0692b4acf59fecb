// The two forms of an event's time: RFC 3339 in whole seconds for its timestamps (metav1.Time),
// and nanoseconds since the epoch for its name. Our clock has milliseconds where upstream's has
// nanoseconds, so two events about one object in the same millisecond would get one name and
// the second would be lost to AlreadyExists; the nanosecond clock here therefore never repeats
// itself, moving on by one nanosecond when the millisecond has not changed.

import type { Clock } from '../clock/clock.js';

/** metav1.Time's wire form: `2025-01-01T00:00:00Z`. */
export function formatEventTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export class EventNanoClock {
  private last = 0n;

  constructor(readonly clock: Clock) {}

  /** Nanoseconds since the epoch, greater than any this clock gave before. */
  nowNanos(): bigint {
    let ns = BigInt(Math.floor(this.clock.now())) * 1_000_000n;
    if (ns <= this.last) ns = this.last + 1n;
    this.last = ns;
    return ns;
  }
}
