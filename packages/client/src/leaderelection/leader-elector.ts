// Leader election on a lock (a Lease), as client-go's leaderelection package:
// - a candidate takes the lease when nobody holds it (absent, or released with an empty
//   holder) or when the holder let it expire (renewTime + leaseDurationSeconds is past), and
//   then tries again every retryPeriod (with jitter) until it does;
// - the leader renews every retryPeriod; if it cannot renew within renewDeadline of its last
//   renewal, or sees someone else holding the lease, it stops leading at once. Since
//   renewDeadline < leaseDuration, it stops before anyone else may take over;
// - writes are conditional on the resourceVersion read, so of two candidates racing for an
//   expired lease the API server lets exactly one win (the other gets 409);
// - leaseTransitions counts changes of holder; on stop the leader releases the lease (empty
//   holder) so a successor need not wait for it to expire (client-go's ReleaseOnCancel).
// Expiry is judged on the lease's renewTime against this candidate's clock, so candidates'
// clocks must agree to well within leaseDuration - renewDeadline (5 s by default).

import { isApiError } from '@kubets/api';
import { sleep, type Clock } from '../clock/clock.js';
import { realClock } from '../clock/real-clock.js';
import { isNotFound } from '../rest/errors.js';
import type { ResourceLock } from './lease-lock.js';
import type { LeaderElectionRecord } from './record.js';

export interface LeaderCallbacks {
  /** Now leading; do the work until the signal aborts. A returned promise is awaited (bounded) before a release. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** No longer leading (lost, or stopped). Called only if this candidate led. */
  onStoppedLeading?(): void;
  /** The lease holder changed (this candidate included). */
  onNewLeader?(identity: string): void;
}

export interface LeaderElectionConfig {
  lock: ResourceLock;
  callbacks: LeaderCallbacks;
  /** How long a lease is valid after a renewal. Default 15 000 ms. */
  leaseDurationMs?: number;
  /** The leader gives up if it has not renewed for this long. Default 10 000 ms. */
  renewDeadlineMs?: number;
  /** Between attempts to acquire or renew. Default 2 000 ms. */
  retryPeriodMs?: number;
  /** Release the lease when stopped. Default true. */
  releaseOnCancel?: boolean;
  clock?: Clock;
  random?: () => number;
  /** Told of failed attempts (for logs); the loop carries on. */
  onError?: (err: unknown, context: string) => void;
}

/** client-go's JitterFactor: acquire attempts wait retryPeriod plus up to 1.2 times that. */
const jitterFactor = 1.2;

type Attempt = 'ok' | 'held' | 'failed';

export class LeaderElector {
  private readonly lock: ResourceLock;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private observed: LeaderElectionRecord | undefined;
  private reportedLeader: string | undefined;
  private leading = false;

  constructor(private readonly config: LeaderElectionConfig) {
    this.lock = config.lock;
    this.leaseDurationMs = config.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = config.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = config.retryPeriodMs ?? 2_000;
    this.clock = config.clock ?? realClock;
    this.random = config.random ?? Math.random;
    if (this.leaseDurationMs <= this.renewDeadlineMs) throw new Error('leaseDuration must be greater than renewDeadline');
    if (this.renewDeadlineMs <= jitterFactor * this.retryPeriodMs) throw new Error('renewDeadline must be greater than retryPeriod*1.2');
    if (this.retryPeriodMs <= 0) throw new Error('retryPeriod must be positive');
    if (this.leaseDurationMs % 1000 !== 0) throw new Error('leaseDuration must be whole seconds (the Lease stores seconds)');
  }

  get identity(): string {
    return this.lock.identity;
  }

  isLeader(): boolean {
    return this.leading;
  }

  /** The holder last seen on the lease, if any. */
  getLeader(): string | undefined {
    const h = this.observed?.holderIdentity;
    return h === undefined || h === '' ? undefined : h;
  }

  /** Campaigns, leads, and returns when leadership is lost or the elector is stopped. Runs once. */
  run(signal?: AbortSignal): Promise<void> {
    if (this.running !== undefined) throw new Error('a LeaderElector runs once; make a new one to campaign again');
    if (signal !== undefined) {
      if (signal.aborted) this.abort.abort();
      else signal.addEventListener('abort', () => this.abort.abort(), { once: true });
    }
    this.running = this.campaign();
    return this.running;
  }

  /** Stops campaigning or leading (releasing the lease if held); resolves when run() has returned. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private report(err: unknown, context: string): void {
    this.config.onError?.(err, context);
  }

  private async campaign(): Promise<void> {
    if (!(await this.acquire())) return;
    const leaderWork = new AbortController();
    this.leading = true;
    let work: Promise<void>;
    try {
      work = Promise.resolve(this.config.callbacks.onStartedLeading(leaderWork.signal)).catch((e) => this.report(e, 'onStartedLeading'));
    } catch (e) {
      this.report(e, 'onStartedLeading');
      work = Promise.resolve();
    }
    await this.renewUntilLost();
    this.leading = false;
    leaderWork.abort();
    if (this.stopped && this.config.releaseOnCancel !== false) {
      // Let the leader's work wind down before someone else may start, but not forever.
      await this.bounded(work, this.renewDeadlineMs);
      await this.release();
    }
    try {
      this.config.callbacks.onStoppedLeading?.();
    } catch (e) {
      this.report(e, 'onStoppedLeading');
    }
  }

  /** Tries until the lease is ours (true) or the elector is stopped (false). */
  private async acquire(): Promise<boolean> {
    while (!this.stopped) {
      if ((await this.tryAcquireOrRenew(this.renewDeadlineMs)) === 'ok') return true;
      const wait = this.retryPeriodMs + this.random() * jitterFactor * this.retryPeriodMs;
      if (!(await sleep(this.clock, wait, this.abort.signal))) return false;
    }
    return false;
  }

  /** Renews every retryPeriod; returns when stopped, or when a renewal did not succeed in time. */
  private async renewUntilLost(): Promise<void> {
    let lastRenew = this.clock.now();
    for (;;) {
      if (!(await sleep(this.clock, this.retryPeriodMs, this.abort.signal))) return;
      for (;;) {
        const remaining = lastRenew + this.renewDeadlineMs - this.clock.now();
        if (remaining <= 0) {
          this.report(new Error(`failed to renew lease ${this.lock.describe()}: renew deadline passed`), 'renew');
          return;
        }
        const result = await this.tryAcquireOrRenew(remaining);
        if (this.stopped) return;
        if (result === 'ok') {
          lastRenew = this.clock.now();
          break;
        }
        if (result === 'held') return;
        const left = lastRenew + this.renewDeadlineMs - this.clock.now();
        if (!(await sleep(this.clock, Math.min(this.retryPeriodMs, Math.max(0, left)), this.abort.signal))) return;
      }
    }
  }

  private async tryAcquireOrRenew(timeoutMs: number): Promise<Attempt> {
    const call = { timeoutMs: Math.max(1, Math.ceil(timeoutMs)) };
    const now = this.clock.now();
    const mine: LeaderElectionRecord = {
      holderIdentity: this.lock.identity,
      leaseDurationSeconds: this.leaseDurationMs / 1000,
      acquireTime: now,
      renewTime: now,
      leaseTransitions: 0,
    };
    let current: LeaderElectionRecord;
    try {
      current = await this.lock.get(call);
    } catch (e) {
      if (!isNotFound(e)) {
        this.report(e, `get lease ${this.lock.describe()}`);
        return 'failed';
      }
      try {
        await this.lock.create(mine, call);
      } catch (err) {
        this.report(err, `create lease ${this.lock.describe()}`);
        return 'failed';
      }
      this.observe(mine);
      return 'ok';
    }
    this.observe(current);
    const isMine = current.holderIdentity === this.lock.identity;
    if (!isMine && current.holderIdentity !== '' && !this.expired(current, now)) return 'held';
    if (isMine) {
      mine.acquireTime = current.acquireTime ?? now;
      mine.leaseTransitions = current.leaseTransitions;
    } else {
      mine.leaseTransitions = current.leaseTransitions + 1;
    }
    try {
      await this.lock.update(mine, call);
    } catch (e) {
      // 409: someone else wrote the lease since we read it; we lost this round.
      this.report(e, isApiError(e) && e.code === 409 ? `lease ${this.lock.describe()} changed under us` : `update lease ${this.lock.describe()}`);
      return 'failed';
    }
    this.observe(mine);
    return 'ok';
  }

  private expired(r: LeaderElectionRecord, now: number): boolean {
    if (r.renewTime === undefined) return true;
    return r.renewTime + r.leaseDurationSeconds * 1000 <= now;
  }

  private observe(r: LeaderElectionRecord): void {
    this.observed = r;
    const holder = r.holderIdentity;
    if (holder === '' || holder === this.reportedLeader) return;
    this.reportedLeader = holder;
    try {
      this.config.callbacks.onNewLeader?.(holder);
    } catch (e) {
      this.report(e, 'onNewLeader');
    }
  }

  /** Gives the lease up: empty holder, 1 s duration, so the next candidate takes it at once. */
  private async release(): Promise<void> {
    const last = this.observed;
    if (last === undefined || last.holderIdentity !== this.lock.identity) return;
    const now = this.clock.now();
    const released: LeaderElectionRecord = { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: last.leaseTransitions };
    try {
      await this.lock.update(released, { timeoutMs: this.renewDeadlineMs });
      this.observed = released;
    } catch (e) {
      this.report(e, `release lease ${this.lock.describe()}`);
    }
  }

  private async bounded(p: Promise<void>, ms: number): Promise<void> {
    let timer: { cancel(): void } | undefined;
    await Promise.race([p, new Promise<void>((resolve) => (timer = this.clock.setTimer(ms, resolve)))]);
    timer?.cancel();
  }
}
