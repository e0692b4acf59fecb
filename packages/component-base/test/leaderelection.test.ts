import t from 'tap';
import { Command } from 'commander';
import { FakeClock, type LeaderElectionRecord, type ResourceLock } from '@kubets/client';
import { addLeaderElectionFlags, type LeaderElectionFlags, runLeaderElection } from '../src/leaderelection/index.js';

/** A lease in memory; while hung, every call waits (as on a stuck process) until unhung. */
class MemoryLease {
  record: LeaderElectionRecord = { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: undefined, renewTime: undefined, leaseTransitions: 0 };
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;

  hang(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  unhang(): void {
    this.open?.();
    this.gate = undefined;
  }

  lock(identity: string): ResourceLock {
    return {
      identity,
      describe: () => 'kube-system/kube-scheduler',
      get: async () => {
        await this.gate;
        return { ...this.record };
      },
      create: async () => {
        throw new Error('the lease exists');
      },
      update: async (r) => {
        await this.gate;
        this.record = { ...r };
      },
    };
  }
}

const flags: LeaderElectionFlags = {
  leaderElect: true,
  leaderElectLeaseDuration: 15_000,
  leaderElectRenewDeadline: 10_000,
  leaderElectRetryPeriod: 2_000,
  leaderElectResourceNamespace: 'kube-system',
  leaderElectResourceName: 'kube-scheduler',
};

type T = { teardown(fn: () => Promise<void> | void): void };

/** One candidate, on a lease of its own in memory, with time standing still. */
function candidate(t: T, opts: { onLost?: 'exit' | 'stepDown'; flags?: LeaderElectionFlags } = {}) {
  const lease = new MemoryLease();
  const clock = new FakeClock();
  const c = { started: 0, aborted: 0, exits: [] as number[], logs: [] as string[] };
  const log = (obj: object, msg: string) => void c.logs.push(msg);
  const election = runLeaderElection({
    flags: opts.flags ?? flags,
    lock: lease.lock('me'),
    logger: { info: log, warn: log, error: log },
    clock,
    random: () => 0,
    exit: (code) => void c.exits.push(code),
    ...(opts.onLost ? { onLost: opts.onLost } : {}),
    run: (signal) => {
      c.started++;
      signal.addEventListener('abort', () => void c.aborted++);
    },
  });
  t.teardown(() => {
    lease.unhang();
    return election.stop();
  });
  return { lease, clock, election, state: c };
}

/** A candidate that has won the lease. */
async function leader(t: T, opts: { onLost?: 'exit' | 'stepDown' } = {}) {
  const c = candidate(t, opts);
  await c.clock.advanceAsync(0);
  return c;
}

/** Someone else takes the lease, with a fresh renewal. */
function takenByOther(lease: MemoryLease, clock: FakeClock) {
  lease.record = { holderIdentity: 'other', leaseDurationSeconds: 15, acquireTime: clock.now(), renewTime: clock.now(), leaseTransitions: lease.record.leaseTransitions + 1 };
}

t.test('the work starts when the lease is won, and the leaderElection check passes while it is renewed', async (t) => {
  const c = await leader(t);
  const { lease, clock } = c;
  t.equal(c.state.started, 1);
  t.ok(c.election.isLeader());
  t.equal(lease.record.holderIdentity, 'me');
  await clock.advanceAsync(60_000);
  t.equal(c.election.check.name, 'leaderElection');
  await t.resolves(c.election.check.check());
  t.equal(c.state.started, 1, 'renewals do not restart the work');
});

t.test('a leader that has not renewed for longer than the lease duration plus 20 s is unhealthy', async (t) => {
  const c = await leader(t);
  const { lease, clock } = c;
  t.ok(c.election.isLeader());
  // The renewal hangs (a stuck process): the elector never reaches its renew deadline check.
  lease.hang();
  await clock.advanceAsync(15_000 + 20_000);
  t.ok(c.election.isLeader(), 'stuck, it still believes it leads');
  await t.resolves(c.election.check.check(), 'not yet past lease duration + tolerance');
  await clock.advanceAsync(2_000);
  await t.rejects(c.election.check.check(), { message: 'failed election to renew leadership on lease kube-system/kube-scheduler' });
});

t.test('a standby that does not hold the lease is healthy', async (t) => {
  const c = candidate(t);
  takenByOther(c.lease, c.clock);
  await c.clock.advanceAsync(5_000);
  t.notOk(c.election.isLeader());
  t.equal(c.state.started, 0);
  await t.resolves(c.election.check.check());
});

t.test('losing the lease exits the process with 1: "leaderelection lost"', async (t) => {
  const c = await leader(t);
  const { lease, clock } = c;
  takenByOther(lease, clock);
  await clock.advanceAsync(2_000);
  t.same(c.state.exits, [1]);
  t.equal(c.state.aborted, 1, 'the work was told to stop');
  t.ok(c.state.logs.includes('leaderelection lost'));
});

t.test('told to step down, a replica that lost the lease stops its work and campaigns again', async (t) => {
  const c = await leader(t, { onLost: 'stepDown' });
  const { lease, clock } = c;
  takenByOther(lease, clock);
  await clock.advanceAsync(2_000);
  t.same(c.state.exits, []);
  t.equal(c.state.aborted, 1);
  t.notOk(c.election.isLeader());
  // The other holder stops renewing; once its lease expired this replica takes over again.
  await clock.advanceAsync(20_000);
  t.ok(c.election.isLeader());
  t.equal(c.state.started, 2);
});

t.test('stop() ends the work and releases the lease, so a standby need not wait for it to expire', async (t) => {
  const c = await leader(t);
  const { lease, clock } = c;
  const stopped = c.election.stop();
  await clock.advanceAsync(0);
  await stopped;
  t.equal(c.state.aborted, 1);
  t.equal(lease.record.holderIdentity, '');
  t.same(c.state.exits, [], 'a requested stop is not a lost lease');
});

t.test('--leader-elect=false runs the work at once, with a check that always passes', async (t) => {
  const c = candidate(t, { flags: { ...flags, leaderElect: false } });
  c.lease.hang();
  await c.clock.advanceAsync(0);
  t.equal(c.state.started, 1);
  t.ok(c.election.isLeader());
  await t.resolves(c.election.check.check());
  await c.election.stop();
  t.equal(c.state.aborted, 1);
});

t.test('inconsistent timings fail at startup, not at the first renewal', async (t) => {
  const lease = new MemoryLease();
  t.throws(() =>
    runLeaderElection({ flags: { ...flags, leaderElectRenewDeadline: 20_000 }, lock: lease.lock('me'), logger: { info() {}, warn() {}, error() {} }, run: () => {} }),
  );
});

t.test('the flags are upstream\'s, with upstream\'s defaults', async (t) => {
  const parse = (...argv: string[]) => addLeaderElectionFlags(new Command('x').exitOverride(), { resourceName: 'kube-scheduler' }).parse(argv, { from: 'user' }).opts();
  t.same(parse(), flags);
  t.same(parse('--leader-elect=false', '--leader-elect-lease-duration=30s', '--leader-elect-renew-deadline', '20s', '--leader-elect-retry-period=500ms'), {
    ...flags,
    leaderElect: false,
    leaderElectLeaseDuration: 30_000,
    leaderElectRenewDeadline: 20_000,
    leaderElectRetryPeriod: 500,
  });
  t.equal(parse('--leader-elect').leaderElect, true);
  t.equal(parse('--leader-elect=0').leaderElect, false);
  t.same(parse('--leader-elect-resource-namespace=kube-public', '--leader-elect-resource-name=sched').leaderElectResourceName, 'sched');
});
