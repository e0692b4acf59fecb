// Running a component's main loop only while it leads, as kube-scheduler and
// kube-controller-manager do:
// - with --leader-elect (the default) the work starts when this replica wins the lease and its
//   signal aborts when the lease is lost or the process stops;
// - losing the lease exits the process (upstream's "leaderelection lost", exit 1): a fresh
//   process with fresh caches is the surest way to never act on what another leader changed.
//   A component that can drop its state cleanly may ask to step down instead: the work is
//   stopped, awaited, and this replica campaigns again;
// - with --leader-elect=false the work starts at once and the check always passes;
// - stop() (a drain step) ends the work and releases the lease, so a standby takes over at
//   once instead of after the lease expires.

import { type Clock, defaultIdentity, type KubeClient, LeaderElector, LeaseLock, realClock, type ResourceLock } from '@kubets/client';
import type { EventLog } from '../logging/logger.js';
import type { HealthCheck } from '../health/check.js';
import type { LeaderElectionFlags } from './flags.js';
import { leaderElectionCheck } from './healthz.js';
import { RenewalTracker } from './renewal-tracker.js';

export interface LeaderElectionOptions {
  flags: LeaderElectionFlags;
  /** The lock; leaseLockFor(client, flags) in a process, a fake in tests. */
  lock: ResourceLock;
  logger: EventLog;
  /** The leader's work: runs from winning the lease until the signal aborts. */
  run(signal: AbortSignal): void | Promise<void>;
  /** On losing the lease: exit (default, as upstream) or step down and campaign again. */
  onLost?: 'exit' | 'stepDown';
  /** Default: process.exit. */
  exit?: (code: number) => void;
  clock?: Clock;
  random?: () => number;
  /** How long past the lease's expiry the health check still passes; default 20 s. */
  healthToleranceMs?: number;
}

export interface LeaderElection {
  /** `leaderElection`, for /healthz. */
  check: HealthCheck;
  isLeader(): boolean;
  /** Ends the work (and the campaign), releasing the lease if held. */
  stop(): Promise<void>;
}

/** The Lease named by the flags, held in this process's name (`<hostname>_<uuid>`). */
export function leaseLockFor(client: KubeClient, flags: LeaderElectionFlags, identity = defaultIdentity()): ResourceLock {
  return new LeaseLock(client, flags.leaderElectResourceNamespace, flags.leaderElectResourceName, identity);
}

/** --leader-elect=false: the work runs at once, until stop(). */
function runWithoutElection(o: LeaderElectionOptions): LeaderElection {
  const abort = new AbortController();
  const work = Promise.resolve()
    .then(() => o.run(abort.signal))
    .catch((err) => o.logger.error({ err }, 'main loop failed'));
  return {
    check: { name: 'leaderElection', check: async () => {} },
    isLeader: () => true,
    stop: async () => {
      abort.abort();
      await work;
    },
  };
}

export function runLeaderElection(o: LeaderElectionOptions): LeaderElection {
  if (!o.flags.leaderElect) return runWithoutElection(o);
  const clock = o.clock ?? realClock;
  const lock = new RenewalTracker(o.lock, clock);
  const abort = new AbortController();
  let work: Promise<void> = Promise.resolve();
  const newElector = () =>
    new LeaderElector({
      lock,
      clock,
      leaseDurationMs: o.flags.leaderElectLeaseDuration,
      renewDeadlineMs: o.flags.leaderElectRenewDeadline,
      retryPeriodMs: o.flags.leaderElectRetryPeriod,
      ...(o.random !== undefined ? { random: o.random } : {}),
      onError: (err, context) => o.logger.warn({ err, context, lease: lock.describe() }, 'leader election'),
      callbacks: {
        onStartedLeading: (signal) => {
          o.logger.info({ lease: lock.describe(), identity: lock.identity }, 'successfully acquired lease');
          work = Promise.resolve()
            .then(() => o.run(signal))
            .catch((err) => o.logger.error({ err }, 'main loop failed'));
          return work;
        },
        onNewLeader: (leader) => o.logger.info({ lease: lock.describe(), leader }, 'new leader elected'),
      },
    });
  // The first elector is made here so that inconsistent flags fail at startup, not later.
  let elector = newElector();
  const campaigns = (async () => {
    for (;;) {
      await elector.run(abort.signal);
      if (abort.signal.aborted) return;
      // run() returns before a stop only when the lease was lost.
      if (o.onLost !== 'stepDown') {
        o.logger.error({ lease: lock.describe() }, 'leaderelection lost');
        (o.exit ?? ((code) => process.exit(code)))(1);
        return;
      }
      o.logger.warn({ lease: lock.describe() }, 'leaderelection lost: stepping down, campaigning again');
      await work;
      elector = newElector();
    }
  })();
  return {
    check: leaderElectionCheck({ isLeader: () => elector.isLeader(), lastRenewal: () => lock.lastRenewal, describe: () => lock.describe() }, o.flags.leaderElectLeaseDuration, clock, o.healthToleranceMs),
    isLeader: () => elector.isLeader(),
    stop: async () => {
      abort.abort();
      await campaigns;
      await work;
    },
  };
}
