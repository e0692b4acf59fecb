// When the proxy last applied the cluster's state, as upstream's ProxierHealthServer judges it:
// healthy unless an update has waited longer than the health timeout (2 x --sync-period) without
// being applied; and, for /healthz only, eligible unless its Node is being deleted (so load
// balancers stop sending to a node on its way out).
import { type Clock, realClock } from '@kubets/client';

export interface HealthView {
  healthy: boolean;
  lastUpdated: number;
  currentTime: number;
  nodeEligible: boolean;
}

export class ProxierHealth {
  private lastUpdated = 0;
  private oldestPendingQueued: number | undefined;
  private lastQueued = 0;
  private synced = false;
  private nodeEligible = true;

  constructor(private readonly healthTimeoutMs: number, private readonly clock: Clock = realClock) {}

  /** A change waits to be applied. */
  queued(): void {
    this.lastQueued = this.clock.now();
    this.oldestPendingQueued ??= this.lastQueued;
  }

  /**
   * A sync that started at `startedAt` applied everything queued before then. A change queued
   * while it ran is still pending, counted from the sync's start (it waited no longer than that).
   */
  updated(startedAt = this.clock.now()): void {
    this.lastUpdated = this.clock.now();
    this.oldestPendingQueued = this.lastQueued > startedAt ? startedAt : undefined;
    this.synced = true;
  }

  setNodeEligible(eligible: boolean): void {
    this.nodeEligible = eligible;
  }

  /** A first sync has been applied: the proxy forwards what the API says. */
  hasSynced(): boolean {
    return this.synced;
  }

  view(): HealthView {
    const now = this.clock.now();
    const fresh = this.oldestPendingQueued === undefined || now - this.oldestPendingQueued < this.healthTimeoutMs;
    return { healthy: fresh, lastUpdated: this.lastUpdated, currentTime: now, nodeEligible: this.nodeEligible };
  }
}
