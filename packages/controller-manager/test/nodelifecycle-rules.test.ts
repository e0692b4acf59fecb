// The pure rules of the node lifecycle controller: when a node counts as silent (measured on
// the controller's own clock), what its conditions become, which taints it should carry, the
// zone states, and the rate-limited tainting queue.
import type { Lease, Node } from '@kubets/api';
import { FakeClock } from '@kubets/client';
import t from 'tap';
import {
  apiTime,
  computeZoneState,
  desiredNoScheduleTaints,
  findCondition,
  type NodeCondition,
  noScheduleTaintChanges,
  observeNodeHealth,
  isSilent,
  RateLimitedTimedQueue,
  silentNodeConditions,
  stepDisruption,
  swapTaints,
  zoneKey,
  zoneEvictionQps,
  defaultDisruptionOptions,
} from '../src/controllers/nodelifecycle/index.js';

const periods = { nodeMonitorGracePeriodMs: 2_000, nodeStartupGracePeriodMs: 5_000 };
const t0 = Date.UTC(2025, 0, 1);

function node(conditions: NodeCondition[] | undefined, extra: Partial<Node> = {}): Node {
  return { metadata: { name: 'n1', creationTimestamp: apiTime(t0 - 60_000) }, ...(conditions ? { status: { conditions } } : {}), ...extra } as Node;
}
const ready = (status: string, heartbeat: number, transition = t0 - 60_000): NodeCondition => ({ type: 'Ready', status, lastHeartbeatTime: apiTime(heartbeat), lastTransitionTime: apiTime(transition) });
const lease = (renew: number): Lease => ({ metadata: { name: 'n1', namespace: 'kube-node-lease' }, spec: { renewTime: new Date(renew).toISOString() } }) as Lease;

t.test('silence is measured from when the controller saw the heartbeat change, not from the remote clock', async (t) => {
  // The kubelet's clock is an hour behind: its heartbeat looks ancient, yet it is fresh news.
  let h = observeNodeHealth(undefined, node([ready('True', t0 - 3_600_000)]), undefined, t0);
  t.equal(h.probeTimestamp, t0, 'first sight counts as a heartbeat');
  t.notOk(isSilent(h, node([ready('True', t0 - 3_600_000)]), periods, t0 + 2_000), 'not silent at exactly the grace period');
  t.ok(isSilent(h, node([ready('True', t0 - 3_600_000)]), periods, t0 + 2_001), 'silent just after it');
  h = observeNodeHealth(h, node([ready('True', t0 - 3_599_000)]), undefined, t0 + 1_500);
  t.equal(h.probeTimestamp, t0 + 1_500, 'a new heartbeat value moves the probe time to now');
  t.equal(h.readyTransitionTimestamp, t0, 'the same transition time: no transition');
  const same = observeNodeHealth(h, node([ready('True', t0 - 3_599_000)]), undefined, t0 + 1_900);
  t.equal(same.probeTimestamp, t0 + 1_500, 'an unchanged heartbeat is no news');
});

t.test('a renewed lease is a heartbeat; an unrenewed one is not', async (t) => {
  const n = node([ready('True', t0)]);
  let h = observeNodeHealth(undefined, n, lease(t0), t0);
  h = observeNodeHealth(h, n, lease(t0 + 1_000), t0 + 1_800);
  t.equal(h.probeTimestamp, t0 + 1_800);
  h = observeNodeHealth(h, n, lease(t0 + 1_000), t0 + 3_000);
  t.equal(h.probeTimestamp, t0 + 1_800, 'same renewTime: nothing new');
  t.ok(isSilent(h, n, periods, t0 + 3_801));
});

t.test('a node that never posted Ready gets the startup grace period, counted from its creation', async (t) => {
  const n = node(undefined);
  const h = observeNodeHealth(undefined, n, undefined, t0);
  t.equal(h.probeTimestamp, t0 - 60_000, 'from creationTimestamp');
  t.ok(isSilent(h, n, periods, t0), 'created a minute ago with 5 s of startup grace');
  const young = node(undefined, { metadata: { name: 'n1', creationTimestamp: apiTime(t0) } });
  t.notOk(isSilent(observeNodeHealth(undefined, young, undefined, t0), young, periods, t0 + 4_000), 'within the startup grace');
});

t.test('a silent node: kubelet conditions Unknown with upstream reason and message, NetworkUnavailable kept', async (t) => {
  const n = node([ready('True', t0), { type: 'MemoryPressure', status: 'False' }, { type: 'NetworkUnavailable', status: 'False' }]);
  const conds = silentNodeConditions(n, t0 + 10_000);
  const r = findCondition(conds, 'Ready')!;
  t.same([r.status, r.reason, r.message, r.lastTransitionTime, r.lastHeartbeatTime], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.', apiTime(t0 + 10_000), apiTime(t0)]);
  t.equal(findCondition(conds, 'MemoryPressure')!.status, 'Unknown');
  t.equal(findCondition(conds, 'NetworkUnavailable')!.status, 'False', 'owned by the control plane');
  const disk = findCondition(conds, 'DiskPressure')!;
  t.same([disk.status, disk.reason, disk.message], ['Unknown', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.']);
  const again = silentNodeConditions({ ...n, status: { conditions: conds } } as Node, t0 + 20_000);
  t.same(again, conds, 'already Unknown: nothing changes, not even the transition time');
});

t.test('NoSchedule taints follow the conditions and spec.unschedulable; foreign taints are left alone', async (t) => {
  const n = node([ready('False', t0), { type: 'DiskPressure', status: 'True' }, { type: 'PIDPressure', status: 'False' }], {
    spec: { unschedulable: true, taints: [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }, { key: 'dedicated', value: 'x', effect: 'NoSchedule' }] },
  });
  t.same(desiredNoScheduleTaints(n).map((x) => x.key), ['node.kubernetes.io/not-ready', 'node.kubernetes.io/disk-pressure', 'node.kubernetes.io/unschedulable']);
  const { add, remove } = noScheduleTaintChanges(n);
  t.same(add.map((x) => x.key), ['node.kubernetes.io/not-ready', 'node.kubernetes.io/disk-pressure', 'node.kubernetes.io/unschedulable']);
  t.same(remove.map((x) => x.key), ['node.kubernetes.io/memory-pressure'], 'no MemoryPressure=True any more; dedicated is not ours');
  t.same(noScheduleTaintChanges(node([ready('Unknown', t0)])).add, [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }]);
});

t.test('swapping taints stamps timeAdded on new ones, keeps existing ones as they are, and reports no change as undefined', async (t) => {
  const unreachable = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
  const notReady = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: 'old' };
  t.same(swapTaints([notReady], [unreachable], [notReady], 'now'), [{ ...unreachable, timeAdded: 'now' }]);
  t.equal(swapTaints([notReady], [notReady], [], 'now'), undefined, 'present already');
  t.equal(swapTaints([], [], [unreachable], 'now'), undefined, 'nothing to remove');
});

t.test('zone key from the region and zone labels; no labels is the empty zone', async (t) => {
  t.equal(zoneKey(node(undefined)), '');
  t.equal(zoneKey(node(undefined, { metadata: { name: 'n', labels: { 'topology.kubernetes.io/region': 'r', 'topology.kubernetes.io/zone': 'a' } } })), 'r:\x00:a');
});

t.test('zone state: no Ready node is full disruption; more than 2 and >= 55% not Ready is partial', async (t) => {
  const c = (s: string) => ({ type: 'Ready', status: s });
  t.same(computeZoneState([c('Unknown'), undefined], 0.55), { notReady: 2, state: 'FullDisruption' });
  t.same(computeZoneState([c('True'), c('False'), c('Unknown')], 0.55), { notReady: 2, state: 'Normal' }, 'only 2 not Ready');
  t.same(computeZoneState([c('True'), c('False'), c('Unknown'), c('False')], 0.55), { notReady: 3, state: 'PartialDisruption' });
  t.same(computeZoneState([c('True'), c('True'), c('Unknown'), c('False'), c('False'), c('True')], 0.55), { notReady: 3, state: 'Normal' }, '50% is under the threshold');
  const o = { ...defaultDisruptionOptions, evictionQps: 0.1 };
  t.equal(zoneEvictionQps('PartialDisruption', 10, o), 0, 'a small partly disrupted zone stops evicting');
  t.equal(zoneEvictionQps('PartialDisruption', 51, o), 0.01, 'a large one slows to the secondary rate');
  t.equal(zoneEvictionQps('Normal', 10, o), 0.1);
});

t.test('disruption: all zones down stops every eviction and untaints; one coming back restores rates and grace periods', async (t) => {
  const o = { ...defaultDisruptionOptions, evictionQps: 0.1 };
  const up = { type: 'Ready', status: 'True' };
  const down = { type: 'Ready', status: 'Unknown' };
  let s = stepDisruption(new Map(), new Map([['a', [up, down]], ['b', [up]]]), o);
  t.same([...s.zoneStates], [['a', 'Normal'], ['b', 'Normal']]);
  t.same([...s.limiters], [['a', 0.1], ['b', 0.1]], 'Initial -> Normal sets the limiter');
  s = stepDisruption(s.zoneStates, new Map([['a', [down, down]], ['b', [up]]]), o);
  t.same([...s.zoneStates], [['a', 'FullDisruption'], ['b', 'Normal']]);
  t.same([...s.limiters], [['a', 0.1]], 'one zone fully down while another is up: normal rate');
  t.notOk(s.markAllReachable);
  s = stepDisruption(s.zoneStates, new Map([['a', [down, down]], ['b', [down]]]), o);
  t.same([...s.limiters], [['a', 0], ['b', 0]], 'the whole cluster down: no evictions');
  t.ok(s.markAllReachable);
  const still = stepDisruption(s.zoneStates, new Map([['a', [down, down]], ['b', [down]]]), o);
  t.same([...still.limiters], [], 'staying fully down changes nothing');
  s = stepDisruption(s.zoneStates, new Map([['a', [down, down]], ['b', [up]]]), o);
  t.ok(s.resetProbeTimestamps, 'leaving master disruption mode restarts grace periods');
  t.same([...s.limiters], [['a', 0.1], ['b', 0.1]], 'every limiter reset');
});

t.test('the tainting queue: each node once until removed, in order, as fast as the token bucket allows', async (t) => {
  const clock = new FakeClock(t0);
  const q = new RateLimitedTimedQueue(1, clock);
  t.ok(q.add('a'));
  clock.advance(1);
  t.ok(q.add('b'));
  t.notOk(q.add('a'), 'queued already');
  const seen: string[] = [];
  await q.try(async (v) => (seen.push(v.value), { done: true }));
  t.same(seen, ['a'], 'burst 1: one now');
  t.notOk(q.add('a'), 'processed but not removed: not queued again');
  clock.advance(1_000);
  await q.try(async (v) => (seen.push(v.value), { done: true }));
  t.same(seen, ['a', 'b'], 'one more a second later');
  t.ok(q.remove('a'));
  t.ok(q.add('a'), 'removed: may be added again');
  q.swapLimiter(0);
  clock.advance(60_000);
  await q.try(async (v) => (seen.push(v.value), { done: true }));
  t.same(seen, ['a', 'b'], 'rate 0: nothing');
  q.swapLimiter(2);
  await q.try(async () => ({ done: false, retryAfterMs: 500 }));
  t.ok(q.isQueued('a'), 'not done: stays queued');
  let tries = 0;
  await q.try(async () => (tries++, { done: true }));
  t.equal(tries, 0, 'not due before its retry time');
});
