// Upstream's HealthzAdaptor as a health check named `leaderElection`: a leader that has not
// renewed its lease for longer than the lease's duration plus a tolerance is unhealthy. It should
// have stopped leading at the renew deadline; if it still thinks it leads, something is stuck
// (a deadlock, an event loop blocked: kubernetes#70819), and the kubelet should restart it. A
// candidate that does not lead is healthy: a hot standby has nothing to renew.

import type { Clock } from '@kubets/client';
import type { HealthCheck } from '../health/check.js';

/** What the health check looks at. */
export interface LeaderState {
  isLeader(): boolean;
  lastRenewal(): number | undefined;
  describe(): string;
}

/** Upstream components (scheduler, controller manager) allow 20 s past the lease's expiry. */
export const defaultLeaderHealthToleranceMs = 20_000;

export function leaderElectionCheck(state: LeaderState, leaseDurationMs: number, clock: Clock, toleranceMs = defaultLeaderHealthToleranceMs): HealthCheck {
  return {
    name: 'leaderElection',
    check: async () => {
      if (!state.isLeader()) return;
      const last = state.lastRenewal();
      if (last !== undefined && clock.now() - last <= leaseDurationMs + toleranceMs) return;
      throw new Error(`failed election to renew leadership on lease ${state.describe()}`);
    },
  };
}
