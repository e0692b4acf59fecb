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
  private synced = false;
  private nodeEligible = true;

  constructor(private readonly healthTimeoutMs: number, private readonly clock: Clock = realClock) {}

  /** A change waits to be applied. */
  queued(): void {
    this.oldestPendingQueued ??= this.clock.now();
  }

  /** A sync applied everything queued before it started. */
  updated(): void {
    this.lastUpdated = this.clock.now();
    this.oldestPendingQueued = undefined;
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
