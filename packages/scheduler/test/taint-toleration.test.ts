// TaintToleration: NoSchedule and NoExecute taints must be tolerated; fewer intolerable
// PreferNoSchedule taints score higher. Cases after upstream's taint_toleration_test.go.
import t from 'tap';
import { nodeInfoOf } from '../src/framework/node-info.js';
import { type Node, type Pod, type Status, success, type Toleration, unresolvable } from '../src/framework/types.js';
import { newTaintToleration, untoleratedTaintReason } from '../src/plugins/taint-toleration.js';
import { findUntoleratedTaint, toleratesNodeTaints, toleratesTaint } from '../src/plugins/tolerations.js';
import { checkScores, makeNode, makePod, nodeInfosOf, runFilter } from './plugin-fixtures.js';

const podTolerating = (...tolerations: Toleration[]) => tolerations.reduce((p, tol) => p.toleration(tol), makePod()).obj();
const nodeTainted = (name: string, ...taints: [string, string, string][]) =>
  taints.reduce((n, [key, value, effect]) => n.taint(key, value, effect), makeNode(name)).obj();

t.test('toleratesTaint', async (t) => {
  const taint = { key: 'foo', value: 'bar', effect: 'NoSchedule' };
  const cases: { name: string; toleration: Toleration; want: boolean }[] = [
    { name: 'Equal with the same key, value and effect', toleration: { key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule' }, want: true },
    { name: 'the operator defaults to Equal', toleration: { key: 'foo', value: 'bar', effect: 'NoSchedule' }, want: true },
    { name: 'Equal with another value', toleration: { key: 'foo', operator: 'Equal', value: 'baz', effect: 'NoSchedule' }, want: false },
    { name: 'Exists ignores the value', toleration: { key: 'foo', operator: 'Exists', effect: 'NoSchedule' }, want: true },
    { name: 'another key', toleration: { key: 'other', operator: 'Exists' }, want: false },
    { name: 'an empty effect matches every effect', toleration: { key: 'foo', operator: 'Exists' }, want: true },
    { name: 'another effect', toleration: { key: 'foo', operator: 'Exists', effect: 'NoExecute' }, want: false },
    { name: 'an empty key with Exists tolerates every taint', toleration: { operator: 'Exists' }, want: true },
    { name: 'an unknown operator tolerates nothing', toleration: { key: 'foo', operator: 'Gt', value: 'bar' }, want: false },
  ];
  for (const tc of cases) t.equal(toleratesTaint(tc.toleration, taint), tc.want, tc.name);
});

t.test('toleratesNodeTaints and findUntoleratedTaint look at the effects asked for', async (t) => {
  const node = nodeTainted('n', ['a', '1', 'PreferNoSchedule'], ['b', '2', 'NoExecute'], ['c', '3', 'NoSchedule']);
  const pod = makePod().obj();
  t.same(findUntoleratedTaint(node.spec?.taints, pod.spec.tolerations), { key: 'b', value: '2', effect: 'NoExecute' }, 'the first untolerated one, in node order');
  t.equal(toleratesNodeTaints(pod, node), false, 'NoSchedule and NoExecute by default');
  t.equal(toleratesNodeTaints(pod, node, ['NoSchedule']), false);
  t.equal(toleratesNodeTaints(podTolerating({ key: 'c', operator: 'Exists' }), node, ['NoSchedule']), true, 'only NoSchedule asked for');
  t.equal(toleratesNodeTaints(pod, makeNode().obj()), true, 'a node without taints');
});

t.test('Filter', async (t) => {
  const cases: { name: string; pod: Pod; node: Node; want: Status }[] = [
    {
      name: "a pod having no tolerations can't be scheduled onto a node with nonempty taints",
      pod: makePod().obj(),
      node: nodeTainted('n', ['dedicated', 'user1', 'NoSchedule']),
      want: unresolvable('node(s) had untolerated taint {dedicated: user1}'),
    },
    {
      name: 'a pod which can be scheduled on a dedicated node assigned to user1 with effect NoSchedule',
      pod: podTolerating({ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }),
      node: nodeTainted('n', ['dedicated', 'user1', 'NoSchedule']),
      want: success,
    },
    {
      name: "a pod which can't be scheduled on a dedicated node assigned to user2 with effect NoSchedule",
      pod: podTolerating({ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }),
      node: nodeTainted('n', ['dedicated', 'user1', 'NoSchedule']),
      want: unresolvable(untoleratedTaintReason('dedicated', 'user1')),
    },
    {
      name: 'a toleration with operator Exists tolerates the taint whatever its value',
      pod: podTolerating({ key: 'foo', operator: 'Exists', effect: 'NoSchedule' }),
      node: nodeTainted('n', ['foo', 'bar', 'NoSchedule']),
      want: success,
    },
    {
      name: 'a pod with several tolerations fits a node whose taints they all cover',
      pod: podTolerating({ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }, { key: 'foo', operator: 'Exists', effect: 'NoSchedule' }),
      node: nodeTainted('n', ['dedicated', 'user2', 'NoSchedule'], ['foo', 'bar', 'NoSchedule']),
      want: success,
    },
    {
      name: "a toleration whose key and value match but whose (non-empty) effect doesn't, does not tolerate",
      pod: podTolerating({ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }),
      node: nodeTainted('n', ['foo', 'bar', 'NoSchedule']),
      want: unresolvable('node(s) had untolerated taint {foo: bar}'),
    },
    {
      name: 'a toleration with an empty effect tolerates a NoSchedule taint of the same key and value',
      pod: podTolerating({ key: 'foo', operator: 'Equal', value: 'bar' }),
      node: nodeTainted('n', ['foo', 'bar', 'NoSchedule']),
      want: success,
    },
    {
      name: 'a PreferNoSchedule taint does not keep a pod off the node',
      pod: podTolerating({ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }),
      node: nodeTainted('n', ['dedicated', 'user1', 'PreferNoSchedule']),
      want: success,
    },
    {
      name: 'a NoExecute taint must be tolerated too',
      pod: makePod().obj(),
      node: nodeTainted('n', ['node.kubernetes.io/not-ready', '', 'NoExecute']),
      want: unresolvable('node(s) had untolerated taint {node.kubernetes.io/not-ready: }'),
    },
    {
      name: 'an empty key with Exists tolerates every taint',
      pod: podTolerating({ operator: 'Exists' }),
      node: nodeTainted('n', ['a', 'b', 'NoSchedule'], ['c', 'd', 'NoExecute']),
      want: success,
    },
  ];
  for (const tc of cases) {
    t.test(tc.name, async (t) => {
      t.same(runFilter(newTaintToleration(), tc.pod, nodeInfoOf(tc.node)), tc.want);
    });
  }
});

t.test('Score', async (t) => {
  const cases: { name: string; pod: Pod; nodes: Node[]; want: number[] }[] = [
    {
      name: 'a node with taints tolerated by the pod scores higher than one with intolerable taints',
      pod: podTolerating({ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }),
      nodes: [nodeTainted('nodeA', ['foo', 'bar', 'PreferNoSchedule']), nodeTainted('nodeB', ['foo', 'blah', 'PreferNoSchedule'])],
      want: [100, 0],
    },
    {
      name: 'nodes whose taints are all tolerated score the same, however many they have',
      pod: podTolerating(
        { key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'PreferNoSchedule' },
        { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'PreferNoSchedule' },
      ),
      nodes: [
        makeNode('nodeA').obj(),
        nodeTainted('nodeB', ['cpu-type', 'arm64', 'PreferNoSchedule']),
        nodeTainted('nodeC', ['cpu-type', 'arm64', 'PreferNoSchedule'], ['disk-type', 'ssd', 'PreferNoSchedule']),
      ],
      want: [100, 100, 100],
    },
    {
      name: 'the more intolerable taints a node has, the lower it scores',
      pod: podTolerating({ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }),
      nodes: [
        makeNode('nodeA').obj(),
        nodeTainted('nodeB', ['cpu-type', 'arm64', 'PreferNoSchedule']),
        nodeTainted('nodeC', ['cpu-type', 'arm64', 'PreferNoSchedule'], ['disk-type', 'ssd', 'PreferNoSchedule']),
      ],
      want: [100, 50, 0],
    },
    {
      name: 'only PreferNoSchedule taints and tolerations that can tolerate them count',
      pod: podTolerating(
        { key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' },
        { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'NoSchedule' },
      ),
      nodes: [makeNode('nodeA').obj(), nodeTainted('nodeB', ['cpu-type', 'arm64', 'NoSchedule']), nodeTainted('nodeC', ['cpu-type', 'arm64', 'PreferNoSchedule'])],
      want: [100, 100, 0],
    },
    {
      name: 'no taints and no tolerations: the pod prefers the node without taints',
      pod: makePod().obj(),
      nodes: [makeNode('nodeA').obj(), nodeTainted('nodeB', ['cpu-type', 'arm64', 'PreferNoSchedule'])],
      want: [100, 0],
    },
    {
      name: 'a toleration with an empty effect tolerates PreferNoSchedule taints',
      pod: podTolerating({ key: 'cpu-type', operator: 'Exists' }),
      nodes: [makeNode('nodeA').obj(), nodeTainted('nodeB', ['cpu-type', 'arm64', 'PreferNoSchedule'])],
      want: [100, 100],
    },
    {
      name: 'three intolerable taints against one: (1 * 100 / 3) reversed is 67',
      pod: makePod().obj(),
      nodes: [
        nodeTainted('nodeA', ['a', '', 'PreferNoSchedule']),
        nodeTainted('nodeB', ['a', '', 'PreferNoSchedule'], ['b', '', 'PreferNoSchedule'], ['c', '', 'PreferNoSchedule']),
      ],
      want: [67, 0],
    },
  ];
  for (const tc of cases) {
    t.test(tc.name, async (t) => {
      checkScores(t, newTaintToleration(), tc.pod, nodeInfosOf(tc.nodes), tc.want);
    });
  }
});
