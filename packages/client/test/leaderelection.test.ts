import t from 'tap';
import type { Lease } from '@kubets/api';
import { internalError } from '@kubets/api';
import { FakeClock, formatMicroTime, KubeClient, LeaderElector, LeaseLock, recordFromLease } from '../src/index.js';
import { eventually, FakeApiServer, sendStatus } from '@kubets/testing';

type T = { teardown(fn: () => Promise<void> | void): void };

interface Candidate {
  id: string;
  elector: LeaderElector;
  client: KubeClient;
  started: number[];
  stopped: number[];
  leaders: string[];
  errors: string[];
  workAborted: boolean;
  done: boolean;
  run: Promise<void>;
}

async function world(t: T) {
  const f = await FakeApiServer.start();
  const clock = new FakeClock();
  const candidates: Candidate[] = [];
  t.teardown(async () => {
    await Promise.all(candidates.map((c) => c.elector.stop()));
    await Promise.all(candidates.map((c) => c.client.close()));
    await f.close();
  });
  const lease = () => f.stored('leases', 'kube-system', 'kube-scheduler', 'coordination.k8s.io') as unknown as Lease | undefined;

  function candidate(id: string, opts: { leaseDurationMs?: number; renewDeadlineMs?: number; retryPeriodMs?: number } = {}): Candidate {
    // Each candidate names itself in its user agent, so the fake can cut one off.
    const client = new KubeClient({ servers: [f.url] }, { component: id, maxAttempts: 1 });
    const c: Candidate = { id, client, started: [], stopped: [], leaders: [], errors: [], workAborted: false, done: false } as unknown as Candidate;
    c.elector = new LeaderElector({
      lock: new LeaseLock(client, 'kube-system', 'kube-scheduler', id),
      clock,
      random: () => 0,
      ...opts,
      onError: (e, ctx) => c.errors.push(`${ctx}: ${(e as Error).message}`),
      callbacks: {
        onStartedLeading: (signal) => {
          c.started.push(clock.now());
          signal.addEventListener('abort', () => (c.workAborted = true));
        },
        onStoppedLeading: () => c.stopped.push(clock.now()),
        onNewLeader: (leader) => c.leaders.push(leader),
      },
    });
    candidates.push(c);
    return c;
  }

  function start(...cs: Candidate[]) {
    for (const c of cs) c.run = c.elector.run().then(() => void (c.done = true));
  }

  /** Every running candidate is waiting on the clock (not in the middle of a request). */
  async function settle() {
    await eventually(() => clock.pending() >= candidates.filter((c) => c.run !== undefined && !c.done).length, 'candidates idle');
    await new Promise((r) => setImmediate(r));
    await eventually(() => clock.pending() >= candidates.filter((c) => c.run !== undefined && !c.done).length, 'candidates idle');
  }

  /** Moves time to the next timer, and waits for what it set off. */
  async function step() {
    clock.fireNext();
    await settle();
  }

  async function stepUntil(cond: () => boolean, what: string, maxSteps = 200) {
    for (let i = 0; i < maxSteps && !cond(); i++) await step();
    if (!cond()) throw new Error(`not reached in ${maxSteps} steps: ${what}`);
  }

  return { f, clock, lease, candidate, start, settle, step, stepUntil };
}

const leaders = (...cs: Candidate[]) => cs.filter((c) => c.elector.isLeader()).map((c) => c.id);

t.test('MicroTime and the record in a Lease', async (t) => {
  t.equal(formatMicroTime(Date.UTC(2025, 0, 2, 3, 4, 5, 678)), '2025-01-02T03:04:05.678000Z');
  const r = recordFromLease({ spec: { holderIdentity: 'a', leaseDurationSeconds: 15, renewTime: '2025-01-02T03:04:05.678000Z', leaseTransitions: 2 } });
  t.same(r, { holderIdentity: 'a', leaseDurationSeconds: 15, acquireTime: undefined, renewTime: Date.UTC(2025, 0, 2, 3, 4, 5, 678), leaseTransitions: 2 });
  t.same(recordFromLease({}), { holderIdentity: '', leaseDurationSeconds: 0, acquireTime: undefined, renewTime: undefined, leaseTransitions: 0 });
});

t.test('settings are checked as client-go checks them', async (t) => {
  const lock = { identity: 'x', describe: () => 'x', get: async () => { throw new Error(); }, create: async () => {}, update: async () => {} };
  const cb = { onStartedLeading: () => {} };
  t.throws(() => new LeaderElector({ lock, callbacks: cb, leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }), /leaseDuration must be greater/);
  t.throws(() => new LeaderElector({ lock, callbacks: cb, renewDeadlineMs: 2_000, retryPeriodMs: 2_000 }), /renewDeadline must be greater/);
  t.throws(() => new LeaderElector({ lock, callbacks: cb, leaseDurationMs: 15_500 }), /whole seconds/);
});

t.test('two candidates: exactly one leads, renews every retryPeriod, the other follows', async (t) => {
  const w = await world(t);
  const a = w.candidate('cand-a');
  const b = w.candidate('cand-b');
  w.start(a, b);
  await w.settle();
  t.equal(leaders(a, b).length, 1, 'exactly one leader');
  const [leader, follower] = a.elector.isLeader() ? [a, b] : [b, a];
  t.same(leader.started, [w.clock.now()]);
  const l = w.lease()!;
  t.equal(l.spec?.holderIdentity, leader.id);
  t.equal(l.spec?.leaseDurationSeconds, 15);
  t.equal(l.spec?.leaseTransitions, 0);
  t.equal(l.spec?.renewTime, formatMicroTime(w.clock.now()));
  t.ok(follower.errors.some((e) => /already exists/.test(e)), 'the other lost the create race with 409 AlreadyExists');

  const t0 = w.clock.now();
  await w.stepUntil(() => w.clock.now() - t0 >= 30_000, '30 s of leadership');
  t.same(leaders(a, b), [leader.id], 'still the only leader after 30 s');
  t.equal(follower.started.length, 0);
  const renewals = w.f.requests.filter((r) => r.method === 'PUT' && r.headers['user-agent']?.startsWith(`kubets-${leader.id}/`));
  t.equal(renewals.length, 15, 'one renewal every 2 s');
  t.equal(recordFromLease(w.lease()!).renewTime, t0 + 30_000);
  t.equal(w.lease()!.spec?.acquireTime, formatMicroTime(t0), 'acquireTime kept across renewals');
  t.same(follower.leaders, [leader.id], 'the follower learnt who leads');
  t.same(leader.leaders, [leader.id]);
  t.equal(w.f.requests.filter((r) => r.method === 'PUT' && r.headers['user-agent']?.startsWith(`kubets-${follower.id}/`)).length, 0, 'the follower never writes a valid lease');
});

t.test('the leader stops renewing: it steps down within renewDeadline, the other takes over after expiry', async (t) => {
  const w = await world(t);
  const a = w.candidate('cand-a');
  w.start(a);
  await w.settle();
  t.ok(a.elector.isLeader());
  const b = w.candidate('cand-b');
  w.start(b);
  await w.settle();
  t.notOk(b.elector.isLeader());
  await w.step();
  await w.step();
  const lastRenew = recordFromLease(w.lease()!).renewTime!;

  // Cut the leader off from the API server.
  w.f.intercept = (req, res) => {
    if (!req.headers['user-agent']?.startsWith('kubets-cand-a/')) return false;
    sendStatus(res, internalError('etcdserver: request timed out'));
    return true;
  };
  await w.stepUntil(() => b.elector.isLeader(), 'b leads');
  t.equal(a.done, true, "a's run() returned");
  t.equal(a.stopped.length, 1);
  t.ok(a.workAborted, "the leader's work was told to stop");
  t.ok(a.stopped[0]! <= lastRenew + 10_000, `a stepped down by its renew deadline (${a.stopped[0]! - lastRenew} ms after its last renewal)`);
  t.ok(b.started[0]! >= lastRenew + 15_000, `b took over only after the lease expired (${b.started[0]! - lastRenew} ms)`);
  t.ok(a.stopped[0]! < b.started[0]!, 'never two leaders');
  const l = w.lease()!;
  t.equal(l.spec?.holderIdentity, 'cand-b');
  t.equal(l.spec?.leaseTransitions, 1, 'a change of holder counts');
  t.equal(l.spec?.acquireTime, formatMicroTime(b.started[0]!));
  t.ok(a.errors.some((e) => /renew deadline passed/.test(e)));
});

t.test('two candidates race for an expired lease: the resourceVersion lets one win, the other gets 409', async (t) => {
  const w = await world(t);
  w.f.put('leases', {
    metadata: { name: 'kube-scheduler', namespace: 'kube-system' },
    spec: { holderIdentity: 'old', leaseDurationSeconds: 15, renewTime: formatMicroTime(w.clock.now() - 60_000), leaseTransitions: 4 },
  } as never, 'coordination.k8s.io');
  // Hold the first two reads until both have arrived, so both candidates read the same version.
  let arrived = 0;
  let release!: () => void;
  const barrier = new Promise<void>((r) => (release = r));
  w.f.intercept = async (req) => {
    if (req.method !== 'GET' || arrived >= 2) return false;
    if (++arrived === 2) release();
    await barrier;
    return false;
  };
  const a = w.candidate('cand-a');
  const b = w.candidate('cand-b');
  w.start(a, b);
  await w.settle();
  t.equal(leaders(a, b).length, 1, 'exactly one leader');
  const loser = a.elector.isLeader() ? b : a;
  t.equal(w.f.requests.filter((r) => r.method === 'PUT').length, 2, 'both tried to write');
  t.ok(loser.errors.some((e) => /changed under us: Operation cannot be fulfilled/.test(e)), 'the loser got 409 Conflict');
  t.equal(w.lease()!.spec?.leaseTransitions, 5);
  t.equal(loser.started.length, 0);
});

t.test('stop releases the lease: the next candidate takes it at once, not after expiry', async (t) => {
  const w = await world(t);
  const a = w.candidate('cand-a');
  w.start(a);
  await w.settle();
  const b = w.candidate('cand-b');
  w.start(b);
  await w.settle();
  await w.step();
  const stoppedAt = w.clock.now();
  await a.elector.stop();
  t.same(a.stopped, [stoppedAt], 'onStoppedLeading');
  t.ok(a.workAborted);
  const released = w.lease()!;
  t.equal(released.spec?.holderIdentity, '', 'holder cleared');
  t.equal(released.spec?.leaseDurationSeconds, 1);
  await w.stepUntil(() => b.elector.isLeader(), 'b leads');
  t.ok(b.started[0]! - stoppedAt <= 2_000, `b took over ${b.started[0]! - stoppedAt} ms after the release (the lease was valid for 15 s more)`);
  t.equal(w.lease()!.spec?.leaseTransitions, 1);
  t.same(b.leaders, ['cand-a', 'cand-b']);
});

t.test('a stopped candidate that never led returns without touching the lease', async (t) => {
  const w = await world(t);
  const a = w.candidate('cand-a');
  const b = w.candidate('cand-b');
  w.start(a);
  await w.settle();
  w.start(b);
  await w.settle();
  const before = w.lease()!.metadata?.resourceVersion;
  await b.elector.stop();
  t.equal(b.stopped.length, 0, 'onStoppedLeading only for a leader');
  t.equal(w.lease()!.metadata?.resourceVersion, before);
  t.ok(a.elector.isLeader());
});
