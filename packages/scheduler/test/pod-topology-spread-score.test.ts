// PodTopologySpread PreScore + Score + NormalizeScore, as upstream's TestPodTopologySpreadScore
// (same spreads and figures), plus the system defaults spreading the pods of one controller.
import t from 'tap';
import type { Node, Pod } from '../src/framework/types.js';
import { type PodTopologySpreadArgs, newPodTopologySpread } from '../src/plugins/pod-topology-spread/plugin.js';
import { exists, hostname, node, pod, podsOn, scoreNodes, snapshotWith, spread } from './topology-fixtures.js';

const foo = { foo: '' };
const bar = { bar: '' };
const fooBar = { foo: '', bar: '' };
const onHost = (maxSkew = 1, more = {}) => spread(maxSkew, hostname, 'ScheduleAnyway', exists('foo'), more);
const onZone = spread(1, 'zone', 'ScheduleAnyway', exists('foo'));
const barOnHost = spread(1, hostname, 'ScheduleAnyway', exists('bar'));

const hosts = (...names: string[]) => names.map((n) => node(n, { [hostname]: n }));
const zoned = (...specs: [string, string][]) => specs.map(([n, z]) => node(n, { zone: z, [hostname]: n }));
const byNodeLabel = (...names: string[]) => names.map((n) => node(n, { node: n }));

interface Case {
  name: string;
  pod: Pod;
  pods?: Pod[];
  /** Every node; the feasible ones are `feasible` (all by default). */
  nodes: Node[];
  feasible?: string[];
  args?: PodTopologySpreadArgs;
  /** Normalized scores of the feasible nodes, in order. */
  want: number[];
}

const fourHosts4321 = () => [...podsOn('node-a', 4, foo), ...podsOn('node-b', 3, foo), ...podsOn('node-c', 2, foo), ...podsOn('node-d', 1, foo)];
const hosts2103 = () => [...podsOn('node-a', 2, foo), ...podsOn('node-b', 1, foo), ...podsOn('node-d', 3, foo)];
const pods4213 = () => [...podsOn('node-a', 4, foo), ...podsOn('node-b', 2, foo), ...podsOn('node-x', 1, foo), ...podsOn('node-y', 3, foo)];
const differentSelectors = () => [...podsOn('node-a', 1, foo), ...podsOn('node-b', 1, fooBar), ...podsOn('node-y', 1, foo), ...podsOn('node-y', 1, bar)];
const fourZoned = () => zoned(['node-a', 'zone1'], ['node-b', 'zone1'], ['node-x', 'zone2'], ['node-y', 'zone2']);
const policyPods = () => [...podsOn('node-a', 2, foo), ...podsOn('node-b', 1, foo), ...podsOn('node-c', 1, foo)];
const fooNodeAffinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'foo', operator: 'In' as const, values: [''] }] }] } } };
const fooNodes = () => [node('node-a', { node: 'node-a', foo: '' }), node('node-b', { node: 'node-b', foo: '' }), node('node-c', { node: 'node-c' })];
const taintedC = () => [...byNodeLabel('node-a', 'node-b'), node('node-c', { node: 'node-c' }, [{ key: 'foo', value: '', effect: 'NoSchedule' }])];
const onNodeLabel = (more = {}) => spread(1, 'node', 'ScheduleAnyway', exists('foo'), more);

const cases: Case[] = [
  { name: 'one constraint on node, no existing pods', pod: pod('p', { labels: foo, spread: [onHost()] }), nodes: hosts('node-a', 'node-b'), want: [100, 100] },
  {
    name: 'one constraint on node, only one node is candidate',
    pod: pod('p', { labels: foo, spread: [onHost()] }),
    pods: [...podsOn('node-a', 2, foo), ...podsOn('node-b', 1, foo)],
    nodes: hosts('node-a', 'node-b'),
    feasible: ['node-a'],
    want: [100],
  },
  {
    name: 'one constraint on node, all nodes have the same number of matching pods',
    pod: pod('p', { labels: foo, spread: [onHost()] }),
    pods: [...podsOn('node-a', 1, foo), ...podsOn('node-b', 1, foo)],
    nodes: hosts('node-a', 'node-b'),
    want: [100, 100],
  },
  { name: 'one constraint on node, all 4 nodes are candidates (2/1/0/3)', pod: pod('p', { labels: foo, spread: [onHost()] }), pods: hosts2103(), nodes: hosts('node-a', 'node-b', 'node-c', 'node-d'), want: [20, 60, 100, 0] },
  {
    name: 'one constraint on node, null selector',
    pod: pod('p', { labels: foo, spread: [spread(1, hostname, 'ScheduleAnyway')] }),
    pods: hosts2103(),
    nodes: hosts('node-a', 'node-b', 'node-c', 'node-d'),
    want: [100, 100, 100, 100],
  },
  { name: 'one constraint on node, 2/1/0/3, maxSkew=2', pod: pod('p', { labels: foo, spread: [onHost(2)] }), pods: hosts2103(), nodes: hosts('node-a', 'node-b', 'node-c', 'node-d'), want: [33, 66, 100, 16] },
  { name: 'one constraint on node, 4/3/2/1, maxSkew=3', pod: pod('p', { labels: foo, spread: [onHost(3)] }), pods: fourHosts4321(), nodes: hosts('node-a', 'node-b', 'node-c', 'node-d'), want: [44, 66, 77, 100] },
  {
    name: 'one constraint on node, 3 out of 4 nodes are candidates (4/2/1/~3~)',
    pod: pod('p', { labels: foo, spread: [onHost()] }),
    pods: pods4213(),
    nodes: hosts('node-a', 'node-b', 'node-x', 'node-y'),
    feasible: ['node-a', 'node-b', 'node-x'],
    want: [33, 83, 100],
  },
  {
    name: "one constraint on node, 3 out of 4 nodes are candidates, one node doesn't match topology key (4/?2?/1/~3~)",
    pod: pod('p', { labels: foo, spread: [onHost()] }),
    pods: pods4213(),
    nodes: [...hosts('node-a'), node('node-b', { n: 'node-b' }), ...hosts('node-x', 'node-y')],
    feasible: ['node-a', 'node-b', 'node-x'],
    want: [16, 0, 100],
  },
  {
    name: 'one constraint on zone, 3 out of 4 nodes are candidates (4/2/1/~3~)',
    pod: pod('p', { labels: foo, spread: [onZone] }),
    pods: pods4213(),
    nodes: fourZoned(),
    feasible: ['node-a', 'node-b', 'node-x'],
    want: [75, 75, 100],
  },
  {
    name: 'two constraints on zone and node, 2 out of 4 nodes are candidates (2/~1~/2/~4~)',
    pod: pod('p', { labels: foo, spread: [onZone, onHost()] }),
    pods: [...podsOn('node-a', 2, foo), ...podsOn('node-b', 1, foo), ...podsOn('node-x', 2, foo), ...podsOn('node-y', 4, foo)],
    nodes: fourZoned(),
    feasible: ['node-a', 'node-x'],
    want: [100, 63],
  },
  { name: 'two constraints on zone and node, with different labelSelectors', pod: pod('p', { labels: fooBar, spread: [onZone, barOnHost] }), pods: differentSelectors(), nodes: fourZoned(), want: [60, 20, 100, 60] },
  {
    name: 'two constraints on zone and node, with different labelSelectors, some nodes have 0 pods',
    pod: pod('p', { labels: fooBar, spread: [onZone, barOnHost] }),
    pods: [...podsOn('node-b', 1, bar), ...podsOn('node-x', 1, foo), ...podsOn('node-y', 1, fooBar)],
    nodes: fourZoned(),
    want: [100, 60, 40, 0],
  },
  {
    name: 'two constraints on zone and node, with different labelSelectors, 3 out of 4 nodes are candidates',
    pod: pod('p', { labels: fooBar, spread: [onZone, barOnHost] }),
    pods: differentSelectors(),
    nodes: fourZoned(),
    feasible: ['node-a', 'node-b', 'node-x'],
    want: [50, 25, 100],
  },
  {
    name: 'existing pods in a different namespace do not count',
    pod: pod('p', { labels: foo, spread: [onHost()] }),
    pods: [...podsOn('node-a', 1, foo, { namespace: 'ns1' }), ...podsOn('node-a', 1, foo), ...podsOn('node-b', 2, foo)],
    nodes: hosts('node-a', 'node-b'),
    want: [100, 33],
  },
  {
    name: 'terminating pods are excluded',
    pod: pod('p', { labels: foo, spread: [onHost()] }),
    pods: [...podsOn('node-a', 1, foo, { terminating: true }), ...podsOn('node-b', 1, foo)],
    nodes: hosts('node-a', 'node-b'),
    want: [100, 0],
  },
  {
    name: 'minDomains has no effect when ScheduleAnyway',
    pod: pod('p', { labels: foo, spread: [spread(2, 'node', 'ScheduleAnyway', exists('foo'), { minDomains: 10 })] }),
    pods: [...podsOn('node-a', 2, foo), ...podsOn('node-b', 2, foo), ...podsOn('node-c', 1, foo)],
    nodes: byNodeLabel('node-a', 'node-b', 'node-c'),
    want: [75, 75, 100],
  },
  { name: 'nodeAffinityPolicy honored with nodeSelector', pod: pod('p', { labels: foo, nodeSelector: foo, spread: [onNodeLabel()] }), pods: policyPods(), nodes: fooNodes(), want: [0, 33, 100] },
  {
    name: 'nodeAffinityPolicy ignored with nodeSelector',
    pod: pod('p', { labels: foo, nodeSelector: foo, spread: [onNodeLabel({ nodeAffinityPolicy: 'Ignore' })] }),
    pods: policyPods(),
    nodes: fooNodes(),
    want: [66, 100, 100],
  },
  { name: 'nodeAffinityPolicy honored with nodeAffinity', pod: pod('p', { labels: foo, affinity: fooNodeAffinity, spread: [onNodeLabel()] }), pods: policyPods(), nodes: fooNodes(), want: [0, 33, 100] },
  {
    name: 'nodeAffinityPolicy ignored with nodeAffinity',
    pod: pod('p', { labels: foo, affinity: fooNodeAffinity, spread: [onNodeLabel({ nodeAffinityPolicy: 'Ignore' })] }),
    pods: policyPods(),
    nodes: fooNodes(),
    want: [66, 100, 100],
  },
  { name: 'nodeTaintsPolicy honored', pod: pod('p', { labels: foo, spread: [onNodeLabel({ nodeTaintsPolicy: 'Honor' })] }), pods: policyPods(), nodes: taintedC(), want: [0, 33, 100] },
  { name: 'nodeTaintsPolicy ignored', pod: pod('p', { labels: foo, spread: [onNodeLabel()] }), pods: policyPods(), nodes: taintedC(), want: [66, 100, 100] },
  {
    name: 'matchLabelKeys ANDed with LabelSelector when LabelSelector is empty',
    pod: pod('p', {
      labels: fooBar,
      spread: [spread(1, 'zone', 'ScheduleAnyway', {}, { matchLabelKeys: ['foo'] }), spread(1, hostname, 'ScheduleAnyway', {}, { matchLabelKeys: ['bar'] })],
    }),
    pods: [...podsOn('node-a', 1, foo), ...podsOn('node-b', 1, fooBar), ...podsOn('node-c', 1, foo), ...podsOn('node-c', 1, bar)],
    nodes: zoned(['node-a', 'zone1'], ['node-b', 'zone1'], ['node-c', 'zone2'], ['node-d', 'zone2']),
    want: [60, 20, 60, 100],
  },
  {
    name: "matchLabelKeys ANDed with LabelSelector when LabelSelector isn't empty",
    pod: pod('p', { labels: { ...fooBar, baz: '' }, spread: [onZone, spread(1, hostname, 'ScheduleAnyway', exists('bar'), { matchLabelKeys: ['baz'] })] }),
    pods: [...podsOn('node-a', 1, foo), ...podsOn('node-b', 1, { ...fooBar, baz: '' }), ...podsOn('node-c', 1, foo), ...podsOn('node-c', 1, bar), ...podsOn('node-c', 1, { bar: '', baz: '' })],
    nodes: zoned(['node-a', 'zone1'], ['node-b', 'zone1'], ['node-c', 'zone2'], ['node-d', 'zone2']),
    want: [60, 20, 60, 100],
  },
  {
    name: "system defaults spread a controller's pods over hosts as one constraint would (4/3/2/1, no zones)",
    pod: pod('p', { owner: 'rs1' }),
    pods: [
      ...podsOn('node-a', 4, {}, { owner: 'rs1' }),
      ...podsOn('node-b', 3, {}, { owner: 'rs1' }),
      ...podsOn('node-c', 2, {}, { owner: 'rs1' }),
      ...podsOn('node-d', 1, {}, { owner: 'rs1' }),
      ...podsOn('node-d', 5, {}, { owner: 'rs2' }),
    ],
    nodes: hosts('node-a', 'node-b', 'node-c', 'node-d'),
    want: [44, 66, 77, 100],
  },
  {
    // hostname: log(4) per pod + 2; zone (domains "z1" and "" of the zoneless node): log(4) per pod + 4, on node-a only.
    // node-a: 2·1.386 + 2 + 2·1.386 + 4 = 11.5 -> 12; node-b: 2. Reversed: 100·(12+2-12)/12 = 16, 100.
    name: 'system defaults still spread by hostname over nodes without a zone label',
    pod: pod('p', { owner: 'rs1' }),
    pods: podsOn('node-a', 2, {}, { owner: 'rs1' }),
    nodes: [node('node-a', { [hostname]: 'node-a', 'topology.kubernetes.io/zone': 'z1' }), node('node-b', { [hostname]: 'node-b' })],
    want: [16, 100],
  },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const { status, scores } = scoreNodes(newPodTopologySpread(c.args), c.pod, snapshotWith(c.nodes, c.pods), c.feasible);
    t.equal(status.code, 'Success');
    t.same(
      scores.map((s) => s.score),
      c.want,
    );
  });
}

t.test('PreScore skips a pod without soft constraints, and when there are no nodes', async (t) => {
  const plugin = newPodTopologySpread();
  const nodes = hosts('node-a');
  t.equal(scoreNodes(plugin, pod('p'), snapshotWith(nodes)).status.code, 'Skip', 'no constraints, no controller');
  t.equal(scoreNodes(plugin, pod('p', { labels: foo, spread: [spread(1, hostname, 'DoNotSchedule', exists('foo'))] }), snapshotWith(nodes)).status.code, 'Skip', 'DoNotSchedule only');
  t.equal(scoreNodes(plugin, pod('p', { labels: foo, spread: [onHost()] }), snapshotWith([])).status.code, 'Skip', 'no nodes');
  const listed = newPodTopologySpread({ defaultingType: 'List', defaultConstraints: [] });
  t.equal(scoreNodes(listed, pod('p', { owner: 'rs1' }), snapshotWith(nodes)).status.code, 'Skip', 'List with no defaults');
});

t.test('an invalid labelSelector fails PreScore with Error', async (t) => {
  const invalid = pod('p', { spread: [spread(1, hostname, 'ScheduleAnyway', { matchExpressions: [{ key: 'foo', operator: 'Exists', values: ['x'] }] })] });
  const { status } = scoreNodes(newPodTopologySpread(), invalid, snapshotWith(hosts('node-a')));
  t.equal(status.code, 'Error');
  t.match(status.reasons[0], /^calculating preScoreState: obtaining pod's soft topology spread constraints: /);
});
