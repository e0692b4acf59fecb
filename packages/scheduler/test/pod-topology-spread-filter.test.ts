// PodTopologySpread PreFilter + Filter, as upstream's TestSingleConstraint and
// TestMultipleConstraints (same spreads and outcomes), plus minDomains, the node inclusion
// policies, matchLabelKeys and default constraints.
import t from 'tap';
import type { Code, Node, Pod, Status } from '../src/framework/types.js';
import { type PodTopologySpreadArgs, newPodTopologySpread } from '../src/plugins/pod-topology-spread/plugin.js';
import { topologyPlugins } from '../src/plugins/topology.js';
import { codes, exists, filterNodes, node, pod, podsOn, snapshotWith, spread, zone } from './topology-fixtures.js';

const foo = { foo: '' };
const fooBar = { foo: '', bar: '' };
const bar = { bar: '' };

/** node-a, node-b in zone1 and node-x, node-y in zone2, each labelled node=<name>. */
const fourNodes = (): Node[] => [
  node('node-a', { zone: 'zone1', node: 'node-a' }),
  node('node-b', { zone: 'zone1', node: 'node-b' }),
  node('node-x', { zone: 'zone2', node: 'node-x' }),
  node('node-y', { zone: 'zone2', node: 'node-y' }),
];


/** Matching pods as 2/1/0/3 over node-a, node-b, node-x, node-y. */
const spread2103 = () => [...podsOn('node-a', 2, foo), ...podsOn('node-b', 1, foo), ...podsOn('node-y', 3, foo)];

const onZone = (maxSkew = 1) => spread(maxSkew, 'zone', 'DoNotSchedule', exists('foo'));
const onNode = (maxSkew = 1) => spread(maxSkew, 'node', 'DoNotSchedule', exists('foo'));

interface Case {
  name: string;
  pod: Pod;
  nodes?: Node[];
  pods?: Pod[];
  args?: PodTopologySpreadArgs;
  want: Record<string, Code>;
}

const S = 'Success' as const;
const U = 'Unschedulable' as const;
const UU = 'UnschedulableAndUnresolvable' as const;

const singleConstraint: Case[] = [
  { name: 'no existing pods', pod: pod('p', { labels: foo, spread: [onZone()] }), want: { 'node-a': S, 'node-b': S, 'node-x': S, 'node-y': S } },
  {
    name: "no existing pods, incoming pod doesn't match itself",
    pod: pod('p', { labels: foo, spread: [spread(1, 'zone', 'DoNotSchedule', exists('bar'))] }),
    want: { 'node-a': S, 'node-b': S, 'node-x': S, 'node-y': S },
  },
  {
    name: 'existing pods in a different namespace do not count',
    pod: pod('p', { labels: foo, spread: [onZone()] }),
    pods: [...podsOn('node-a', 1, foo, { namespace: 'ns1' }), ...podsOn('node-a', 1, foo, { namespace: 'ns2' }), ...podsOn('node-x', 1, foo), ...podsOn('node-y', 1, foo)],
    want: { 'node-a': S, 'node-b': S, 'node-x': U, 'node-y': U },
  },
  {
    name: 'pods spread across zones as 3/3, all nodes fit',
    pod: pod('p', { labels: foo, spread: [onZone()] }),
    pods: spread2103(),
    want: { 'node-a': S, 'node-b': S, 'node-x': S, 'node-y': S },
  },
  {
    name: "pods spread across zones as 1/2 due to absence of label 'zone' on node-b",
    pod: pod('p', { labels: foo, spread: [onZone()] }),
    nodes: [node('node-a', { zone: 'zone1' }), node('node-b', { zon: 'zone1' }), node('node-x', { zone: 'zone2' }), node('node-y', { zone: 'zone2' })],
    pods: [...podsOn('node-a', 1, foo), ...podsOn('node-b', 1, foo), ...podsOn('node-x', 1, foo), ...podsOn('node-y', 1, foo)],
    want: { 'node-a': S, 'node-b': UU, 'node-x': U, 'node-y': U },
  },
  {
    name: "pod cannot be scheduled as all nodes don't have label 'rack'",
    pod: pod('p', { labels: foo, spread: [spread(1, 'rack', 'DoNotSchedule', exists('foo'))] }),
    want: { 'node-a': UU, 'node-b': UU, 'node-x': UU, 'node-y': UU },
  },
  {
    name: 'pods spread across nodes as 2/1/0/3, only node-x fits',
    pod: pod('p', { labels: foo, spread: [onNode()] }),
    pods: spread2103(),
    want: { 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': U },
  },
  {
    name: 'pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit',
    pod: pod('p', { labels: foo, spread: [onNode(2)] }),
    pods: spread2103(),
    want: { 'node-a': U, 'node-b': S, 'node-x': S, 'node-y': U },
  },
  {
    name: "pods spread across nodes as 2/1/0/3, but pod doesn't match itself",
    pod: pod('p', { labels: bar, spread: [onNode()] }),
    pods: spread2103(),
    want: { 'node-a': U, 'node-b': S, 'node-x': S, 'node-y': U },
  },
  {
    name: 'incoming pod has nodeAffinity, pods spread as 2/~1~/~0~/3, hence node-a fits',
    pod: pod('p', {
      labels: foo,
      spread: [onNode()],
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'node', operator: 'In', values: ['node-a', 'node-y'] }] }] } } },
    }),
    pods: spread2103(),
    // node-b and node-x would fail NodeAffinity, which this test does not run.
    want: { 'node-a': S, 'node-b': S, 'node-x': S, 'node-y': U },
  },
  {
    name: 'terminating pods are excluded',
    pod: pod('p', { labels: foo, spread: [onNode()] }),
    nodes: [node('node-a', { node: 'node-a' }), node('node-b', { node: 'node-b' })],
    pods: [...podsOn('node-a', 1, foo, { terminating: true }), ...podsOn('node-b', 1, foo)],
    want: { 'node-a': S, 'node-b': U },
  },
];

const multipleConstraints: Case[] = [
  {
    name: 'two constraints on zone and node, spreads = [3/3, 2/1/0/3]',
    pod: pod('p', { labels: foo, spread: [onZone(), onNode()] }),
    pods: spread2103(),
    want: { 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': U },
  },
  {
    name: 'two constraints on zone and node, spreads = [3/4, 2/1/0/4]',
    pod: pod('p', { labels: foo, spread: [onZone(), onNode()] }),
    pods: [...podsOn('node-a', 2, foo), ...podsOn('node-b', 1, foo), ...podsOn('node-y', 4, foo)],
    want: { 'node-a': U, 'node-b': U, 'node-x': U, 'node-y': U },
  },
  {
    name: 'constraints hold different labelSelectors, spreads = [1/0, 1/0/0/1]',
    pod: pod('p', { labels: fooBar, spread: [onZone(), spread(1, 'node', 'DoNotSchedule', exists('bar'))] }),
    pods: [...podsOn('node-a', 1, foo), ...podsOn('node-y', 1, bar)],
    want: { 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': U },
  },
  {
    name: 'constraints hold different labelSelectors, spreads = [1/0, 0/0/1/1]',
    pod: pod('p', { labels: fooBar, spread: [onZone(), spread(1, 'node', 'DoNotSchedule', exists('bar'))] }),
    pods: [...podsOn('node-a', 1, foo), ...podsOn('node-x', 1, bar), ...podsOn('node-y', 1, bar)],
    want: { 'node-a': U, 'node-b': U, 'node-x': U, 'node-y': U },
  },
  {
    name: 'constraints hold different labelSelectors, spreads = [2/3, 1/0/0/1]',
    pod: pod('p', { labels: fooBar, spread: [onZone(), spread(1, 'node', 'DoNotSchedule', exists('bar'))] }),
    pods: [...podsOn('node-a', 1, foo), ...podsOn('node-a', 1, fooBar), ...podsOn('node-y', 2, foo), ...podsOn('node-y', 1, fooBar)],
    want: { 'node-a': U, 'node-b': S, 'node-x': U, 'node-y': U },
  },
  {
    name: "constraints hold different labelSelectors but pod doesn't match itself on 'zone' constraint",
    pod: pod('p', { labels: bar, spread: [onZone(), spread(1, 'node', 'DoNotSchedule', exists('bar'))] }),
    pods: [...podsOn('node-a', 1, foo), ...podsOn('node-x', 1, bar), ...podsOn('node-y', 1, bar)],
    want: { 'node-a': S, 'node-b': S, 'node-x': U, 'node-y': U },
  },
  {
    name: "two constraints on zone and node, absence of label 'node' on node-x, spreads = [1/1, 1/0/0/1]",
    pod: pod('p', { labels: foo, spread: [onZone(), onNode()] }),
    nodes: [
      node('node-a', { zone: 'zone1', node: 'node-a' }),
      node('node-b', { zone: 'zone1', node: 'node-b' }),
      node('node-x', { zone: 'zone2' }),
      node('node-y', { zone: 'zone2', node: 'node-y' }),
    ],
    pods: [...podsOn('node-a', 1, foo), ...podsOn('node-y', 1, foo)],
    want: { 'node-a': U, 'node-b': S, 'node-x': UU, 'node-y': U },
  },
];

const threeNodes = () => [node('node-a', { zone: 'zone1', node: 'node-a' }), node('node-b', { zone: 'zone1', node: 'node-b' }), node('node-c', { zone: 'zone2', node: 'node-c' })];
const taintedB = () => [node('node-a', { node: 'node-a' }), node('node-b', { node: 'node-b' }, [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]), node('node-c', { node: 'node-c' })];

const minDomainsAndPolicies: Case[] = [
  {
    name: 'minDomains: 3 domains < minDomains 4, so the global minimum is 0 and only node-c (2/2/1) fits maxSkew 2',
    pod: pod('p', { labels: foo, spread: [spread(2, 'node', 'DoNotSchedule', exists('foo'), { minDomains: 4 })] }),
    nodes: threeNodes(),
    pods: [...podsOn('node-a', 2, foo), ...podsOn('node-b', 2, foo), ...podsOn('node-c', 1, foo)],
    want: { 'node-a': U, 'node-b': U, 'node-c': S },
  },
  {
    name: 'minDomains: 3 domains >= minDomains 2, so the global minimum is 1 and every node (2/2/1) fits maxSkew 2',
    pod: pod('p', { labels: foo, spread: [spread(2, 'node', 'DoNotSchedule', exists('foo'), { minDomains: 2 })] }),
    nodes: threeNodes(),
    pods: [...podsOn('node-a', 2, foo), ...podsOn('node-b', 2, foo), ...podsOn('node-c', 1, foo)],
    want: { 'node-a': S, 'node-b': S, 'node-c': S },
  },
  {
    name: 'minDomains on zones: 2 zones < minDomains 3, zone1 (3 pods) is full for maxSkew 3, zone2 (1 pod) is not',
    pod: pod('p', { labels: foo, spread: [spread(3, 'zone', 'DoNotSchedule', exists('foo'), { minDomains: 3 })] }),
    nodes: threeNodes(),
    pods: [...podsOn('node-a', 2, foo), ...podsOn('node-b', 1, foo), ...podsOn('node-c', 1, foo)],
    want: { 'node-a': U, 'node-b': U, 'node-c': S },
  },
  {
    name: "nodeAffinityPolicy Honor (default): pods on nodes outside the pod's nodeSelector do not count",
    pod: pod('p', { labels: foo, nodeSelector: { pool: 'x' }, spread: [onNode()] }),
    nodes: [node('node-a', { node: 'node-a', pool: 'x' }), node('node-b', { node: 'node-b', pool: 'x' }), node('node-c', { node: 'node-c' })],
    pods: [...podsOn('node-a', 1, foo), ...podsOn('node-b', 2, foo)],
    // node-c would fail NodeAffinity, which this test does not run.
    want: { 'node-a': S, 'node-b': U, 'node-c': S },
  },
  {
    name: "nodeAffinityPolicy Ignore: nodes outside the pod's nodeSelector count, so their domains set the minimum",
    pod: pod('p', { labels: foo, nodeSelector: { pool: 'x' }, spread: [spread(1, 'node', 'DoNotSchedule', exists('foo'), { nodeAffinityPolicy: 'Ignore' })] }),
    nodes: [node('node-a', { node: 'node-a', pool: 'x' }), node('node-b', { node: 'node-b', pool: 'x' }), node('node-c', { node: 'node-c' })],
    pods: [...podsOn('node-a', 1, foo), ...podsOn('node-b', 2, foo)],
    want: { 'node-a': U, 'node-b': U, 'node-c': S },
  },
  {
    name: 'nodeTaintsPolicy Ignore (default): a tainted node counts, with its 0 pods the minimum',
    pod: pod('p', { labels: foo, spread: [onNode()] }),
    nodes: taintedB(),
    pods: [...podsOn('node-a', 1, foo), ...podsOn('node-c', 1, foo)],
    want: { 'node-a': U, 'node-b': S, 'node-c': U },
  },
  {
    name: 'nodeTaintsPolicy Honor: a node with a NoSchedule taint the pod does not tolerate does not count',
    pod: pod('p', { labels: foo, spread: [spread(1, 'node', 'DoNotSchedule', exists('foo'), { nodeTaintsPolicy: 'Honor' })] }),
    nodes: taintedB(),
    pods: [...podsOn('node-a', 1, foo), ...podsOn('node-c', 1, foo)],
    want: { 'node-a': S, 'node-b': S, 'node-c': S },
  },
  {
    name: 'nodeTaintsPolicy Honor: a tolerated taint keeps the node counted',
    pod: pod('p', {
      labels: foo,
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
      spread: [spread(1, 'node', 'DoNotSchedule', exists('foo'), { nodeTaintsPolicy: 'Honor' })],
    }),
    nodes: taintedB(),
    pods: [...podsOn('node-a', 1, foo), ...podsOn('node-c', 1, foo)],
    want: { 'node-a': U, 'node-b': S, 'node-c': U },
  },
  {
    name: 'matchLabelKeys: only pods with the same value of the key count',
    pod: pod('p', { labels: { foo: '', rev: '2' }, spread: [spread(1, 'node', 'DoNotSchedule', exists('foo'), { matchLabelKeys: ['rev'] })] }),
    nodes: threeNodes(),
    pods: [...podsOn('node-a', 3, { foo: '', rev: '1' }), ...podsOn('node-b', 1, { foo: '', rev: '2' }), ...podsOn('node-c', 1, { foo: '', rev: '2' })],
    want: { 'node-a': S, 'node-b': U, 'node-c': U },
  },
  {
    name: 'matchLabelKeys without a labelSelector select by the keys alone',
    pod: pod('p', { labels: { rev: '2' }, spread: [spread(1, 'node', 'DoNotSchedule', undefined, { matchLabelKeys: ['rev'] })] }),
    nodes: threeNodes(),
    pods: [...podsOn('node-a', 2, { rev: '2' }), ...podsOn('node-b', 1, { rev: '2' }), ...podsOn('node-c', 1, { rev: '1' })],
    want: { 'node-a': U, 'node-b': U, 'node-c': S },
  },
  {
    name: 'a nil labelSelector selects no pods',
    pod: pod('p', { labels: foo, spread: [spread(1, 'node', 'DoNotSchedule')] }),
    nodes: threeNodes(),
    pods: podsOn('node-a', 3, foo),
    want: { 'node-a': S, 'node-b': S, 'node-c': S },
  },
];

const defaults: Case[] = [
  {
    name: 'system defaults are ScheduleAnyway only: the filter lets every node through',
    pod: pod('p', { owner: 'rs1' }),
    nodes: threeNodes(),
    pods: podsOn('node-a', 3, {}, { owner: 'rs1' }),
    want: { 'node-a': S, 'node-b': S, 'node-c': S },
  },
  {
    name: "listed DoNotSchedule defaults spread the pods of the pod's controller",
    pod: pod('p', { owner: 'rs1' }),
    nodes: threeNodes(),
    pods: [...podsOn('node-a', 1, {}, { owner: 'rs1' }), ...podsOn('node-c', 3, {}, { owner: 'rs2' })],
    args: { defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: 'node', whenUnsatisfiable: 'DoNotSchedule' }] },
    want: { 'node-a': U, 'node-b': S, 'node-c': S },
  },
  {
    name: 'listed defaults do not apply to a pod without a controller',
    pod: pod('p'),
    nodes: threeNodes(),
    pods: podsOn('node-a', 3, {}, { owner: 'rs1' }),
    args: { defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: 'node', whenUnsatisfiable: 'DoNotSchedule' }] },
    want: { 'node-a': S, 'node-b': S, 'node-c': S },
  },
  {
    name: "listed defaults do not apply to a pod with constraints of its own, even if they are ScheduleAnyway",
    pod: pod('p', { owner: 'rs1', spread: [spread(1, zone, 'ScheduleAnyway', exists('foo'))] }),
    nodes: threeNodes(),
    pods: podsOn('node-a', 3, {}, { owner: 'rs1' }),
    args: { defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: 'node', whenUnsatisfiable: 'DoNotSchedule' }] },
    want: { 'node-a': S, 'node-b': S, 'node-c': S },
  },
];

for (const c of [...singleConstraint, ...multipleConstraints, ...minDomainsAndPolicies, ...defaults]) {
  t.test(c.name, async (t) => {
    const statuses = filterNodes(newPodTopologySpread(c.args), c.pod, snapshotWith(c.nodes ?? fourNodes(), c.pods));
    t.same(codes(statuses), c.want);
  });
}

t.test('failure reasons are upstream words', async (t) => {
  const statuses = filterNodes(
    newPodTopologySpread(),
    pod('p', { labels: foo, spread: [onZone(), onNode()] }),
    snapshotWith([node('node-a', { zone: 'zone1', node: 'node-a' }), node('node-b', { zone: 'zone2', node: 'node-b' }), node('node-x', { zone: 'zone2' })], podsOn('node-a', 2, foo)),
  );
  t.same(statuses, {
    'node-a': { code: 'Unschedulable', reasons: ["node(s) didn't match pod topology spread constraints"] },
    'node-b': { code: 'Success', reasons: [] },
    'node-x': { code: 'UnschedulableAndUnresolvable', reasons: ["node(s) didn't match pod topology spread constraints (missing required label)"] },
  } satisfies Record<string, Status>);
});

t.test('an invalid labelSelector fails PreFilter with Error', async (t) => {
  const invalid = pod('p', { labels: foo, spread: [spread(1, 'zone', 'DoNotSchedule', { matchExpressions: [{ key: 'foo', operator: 'In', values: ['{{.bad}}'] }] })] });
  const statuses = filterNodes(newPodTopologySpread(), invalid, snapshotWith(fourNodes()));
  t.equal(statuses['node-a']!.code, 'Error');
  t.match(statuses['node-a']!.reasons[0], /^get constraints from pod: obtaining pod's hard topology spread constraints: values\[0\]\[foo\]: Invalid value: "\{\{\.bad\}\}"/);
});

t.test('args are validated as upstream', async (t) => {
  const dns = { maxSkew: 1, topologyKey: 'node', whenUnsatisfiable: 'DoNotSchedule' as const };
  t.throws(() => newPodTopologySpread({ defaultConstraints: [dns] }), { message: 'defaultingType: Invalid value: "System": when .defaultConstraints are not empty' });
  t.throws(() => newPodTopologySpread({ defaultingType: 'List', defaultConstraints: [{ ...dns, maxSkew: 0 }] }), { message: 'defaultConstraints[0].maxSkew: Invalid value: 0: not in valid range (0, inf)' });
  t.throws(() => newPodTopologySpread({ defaultingType: 'List', defaultConstraints: [{ ...dns, labelSelector: {} }] }), {
    message: 'defaultConstraints[0].labelSelector: Forbidden: constraint must not define a selector, as they deduced for each pod',
  });
  t.throws(() => newPodTopologySpread({ defaultingType: 'List', defaultConstraints: [dns, dns] }), { message: 'defaultConstraints[1]: Duplicate value: "{node, DoNotSchedule}"' });
  t.doesNotThrow(() => newPodTopologySpread({ defaultingType: 'List', defaultConstraints: [dns] }));
});

t.test('the registry builds both topology plugins by their upstream names', async (t) => {
  t.same(Object.keys(topologyPlugins).sort(), ['InterPodAffinity', 'PodTopologySpread']);
  for (const [name, factory] of Object.entries(topologyPlugins)) t.equal(factory().name, name);
  t.equal(topologyPlugins.PodTopologySpread!({ defaultingType: 'List' }).name, 'PodTopologySpread');
});
