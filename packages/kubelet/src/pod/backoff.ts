// The kubelet's crash-loop back-off (client-go's flowcontrol.Backoff as the kubelet uses it): a
// container that exits is restarted at once the first time, then only after 10 s, 20 s, 40 s ...
// up to 5 minutes since it last finished. An entry that has not been touched for twice the
// maximum (10 minutes, e.g. a container that ran that long) starts again from the beginning.

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export const crashLoopBackoff: BackoffOptions = { initialMs: 10_000, maxMs: 300_000 };

interface Entry {
  backoffMs: number;
  /** When the event that last moved this entry happened (the container's finish time). */
  lastUpdateMs: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly opts: BackoffOptions = crashLoopBackoff) {}

  private expired(entry: Entry, nowMs: number): boolean {
    return nowMs - entry.lastUpdateMs > 2 * this.opts.maxMs;
  }

  /** Records a restart for an exit at eventMs: the next exit waits twice as long (up to the maximum). */
  next(key: string, eventMs: number): void {
    const entry = this.entries.get(key);
    if (entry === undefined || this.expired(entry, eventMs)) {
      this.entries.set(key, { backoffMs: this.opts.initialMs, lastUpdateMs: eventMs });
      return;
    }
    entry.backoffMs = Math.min(2 * entry.backoffMs, this.opts.maxMs);
    entry.lastUpdateMs = eventMs;
  }

  /**
   * How much longer an exit at eventMs must wait before a restart, or 0 when it may restart now.
   * (upstream's IsInBackOffSince, with the remaining time for the resync timer.)
   */
  remainingMs(key: string, eventMs: number, nowMs: number): number {
    const entry = this.entries.get(key);
    if (entry === undefined || this.expired(entry, nowMs)) return 0;
    return Math.max(0, eventMs + entry.backoffMs - nowMs);
  }

  /** The current back-off of a key, for the waiting message ("back-off 20s restarting ..."). */
  current(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /** Forgets keys with this prefix (a pod that is gone) and entries idle past twice the maximum. */
  gc(nowMs: number, prefix?: string): void {
    for (const [key, entry] of this.entries) {
      if ((prefix !== undefined && key.startsWith(prefix)) || this.expired(entry, nowMs)) this.entries.delete(key);
    }
  }
}

/** Go's time.Duration formatting for whole seconds and minutes, as the waiting message shows it: 10s, 1m20s, 5m0s. */
export function formatBackoff(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m${s % 60}s`;
}
