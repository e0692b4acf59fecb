// When leases expire. Wall-clock time is not replicated state: every member counts down from the
// moment it applied a grant or a renewal, but only the leader acts, proposing a revoke for each
// expired lease (so the keys go through Raft, once). A new leader first gives every lease its full
// TTL again, as etcd's lessor Promote does, so a leader change never expires a lease early.
// The clock is monotonic and finer than a millisecond (as Go's time.Until is), so a lease read back
// in the millisecond of its grant already has less than its full TTL left.
import { performance } from 'node:perf_hooks';

export class LeaseClock {
  private readonly expiry = new Map<bigint, { ttl: number; at: number }>();
  private readonly revoking = new Map<bigint, number>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** A grant or renewal was applied. */
  start(id: bigint, ttlSeconds: number): void {
    this.expiry.set(id, { ttl: ttlSeconds, at: this.now() + ttlSeconds * 1000 });
    this.revoking.delete(id);
  }

  forget(id: bigint): void {
    this.expiry.delete(id);
    this.revoking.delete(id);
  }

  /**
   * Whole seconds left, truncated as etcd's `int64(l.Remaining().Seconds())` (29 a moment after a
   * 30 s grant), or -1 if the lease is unknown. A lease past its expiry whose revoke has not applied
   * yet answers 0.
   */
  remaining(id: bigint): number {
    const e = this.expiry.get(id);
    if (!e) return -1;
    return Math.max(0, Math.trunc((e.at - this.now()) / 1000));
  }

  /** This member became leader: every lease gets its full TTL from now. */
  promote(): void {
    const now = this.now();
    for (const e of this.expiry.values()) e.at = now + e.ttl * 1000;
    this.revoking.clear();
  }

  /** Leases past their expiry that no revoke is under way for (a revoke is retried after retryMs). */
  expired(retryMs: number): bigint[] {
    const now = this.now();
    const out: bigint[] = [];
    for (const [id, e] of this.expiry) {
      if (e.at > now) continue;
      const since = this.revoking.get(id);
      if (since !== undefined && now - since < retryMs) continue;
      this.revoking.set(id, now);
      out.push(id);
    }
    return out;
  }

  clear(): void {
    this.expiry.clear();
    this.revoking.clear();
  }
}
