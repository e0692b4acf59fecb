// When did this candidate last write the lease as its holder? client's LeaderElector does not
// say, and the health check needs it (upstream reads LeaderElector.observedTime). So the lock is
// wrapped: every create or update that names this candidate as holder and succeeds is a renewal.

import type { CallOptions, Clock, LeaderElectionRecord, ResourceLock } from '@kubets/client';

export class RenewalTracker implements ResourceLock {
  private last: number | undefined;

  constructor(
    private readonly lock: ResourceLock,
    private readonly clock: Clock,
  ) {}

  get identity(): string {
    return this.lock.identity;
  }

  /** The time of the last successful renewal (or acquisition) by this candidate. */
  get lastRenewal(): number | undefined {
    return this.last;
  }

  describe(): string {
    return this.lock.describe();
  }

  get(opts?: CallOptions): Promise<LeaderElectionRecord> {
    return this.lock.get(opts);
  }

  async create(record: LeaderElectionRecord, opts?: CallOptions): Promise<void> {
    await this.lock.create(record, opts);
    this.noteWrite(record);
  }

  async update(record: LeaderElectionRecord, opts?: CallOptions): Promise<void> {
    await this.lock.update(record, opts);
    this.noteWrite(record);
  }

  private noteWrite(record: LeaderElectionRecord): void {
    if (record.holderIdentity === this.identity) this.last = this.clock.now();
  }
}
