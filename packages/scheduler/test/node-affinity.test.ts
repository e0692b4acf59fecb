// NodeAffinity: nodeSelector and required node affinity filter, preferred terms score. Cases
// after upstream's node_affinity_test.go.
import t from 'tap';
import { nodeInfoOf, snapshotOf } from '../src/framework/node-info.js';
import { CycleState, type Node, type NodeSelectorTerm, type Pod, skip, type Status, success, unresolvable } from '../src/framework/types.js';
import { errReasonConflict, errReasonEnforced, errReasonPod, newNodeAffinity, type NodeAffinityArgs } from '../src/plugins/node-affinity.js';
import { matchesNodeSelectorAndAffinity } from '../src/plugins/required-node-affinity.js';
import { checkScores, makeNode, makePod, nodeInfosOf, requirement, runFilter } from './plugin-fixtures.js';

const expressions = (...matchExpressions: NonNullable<NodeSelectorTerm['matchExpressions']>): NodeSelectorTerm => ({ matchExpressions });
const fields = (...matchFields: NonNullable<NodeSelectorTerm['matchFields']>): NodeSelectorTerm => ({ matchFields });
const nodeLabelled = (labels: Record<string, string>, name = 'node1') => makeNode(name).labels(labels).obj();
const withTerms = (...terms: NodeSelectorTerm[]) => makePod().requiredNodeTerms(...terms).obj();
const rejected = unresolvable(errReasonPod);

t.test('Filter', async (t) => {
  const cases: { name: string; pod: Pod; node: Node; want: Status; args?: NodeAffinityArgs }[] = [
    { name: 'no selector', pod: makePod().obj(), node: nodeLabelled({}), want: success },
    { name: 'missing labels', pod: makePod().nodeSelector({ foo: 'bar' }).obj(), node: nodeLabelled({}), want: rejected },
    { name: 'same labels', pod: makePod().nodeSelector({ foo: 'bar' }).obj(), node: nodeLabelled({ foo: 'bar' }), want: success },
    { name: 'node labels are superset', pod: makePod().nodeSelector({ foo: 'bar' }).obj(), node: nodeLabelled({ foo: 'bar', baz: 'blah' }), want: success },
    { name: 'node labels are subset', pod: makePod().nodeSelector({ foo: 'bar', baz: 'blah' }).obj(), node: nodeLabelled({ foo: 'bar' }), want: rejected },
    { name: 'an empty nodeSelector matches every node', pod: makePod().nodeSelector({}).obj(), node: nodeLabelled({}), want: success },
    { name: 'In that matches', pod: withTerms(expressions(requirement('foo', 'In', 'bar', 'value2'))), node: nodeLabelled({ foo: 'bar' }), want: success },
    { name: 'In that does not match', pod: withTerms(expressions(requirement('foo', 'In', 'value1', 'value2'))), node: nodeLabelled({ foo: 'bar' }), want: rejected },
    { name: 'In on a missing label', pod: withTerms(expressions(requirement('foo', 'In', 'bar'))), node: nodeLabelled({}), want: rejected },
    { name: 'NotIn that matches', pod: withTerms(expressions(requirement('foo', 'NotIn', 'value1', 'value2'))), node: nodeLabelled({ foo: 'bar' }), want: success },
    { name: "NotIn that doesn't match", pod: withTerms(expressions(requirement('foo', 'NotIn', 'bar'))), node: nodeLabelled({ foo: 'bar' }), want: rejected },
    { name: 'NotIn matches a node without the label', pod: withTerms(expressions(requirement('foo', 'NotIn', 'bar'))), node: nodeLabelled({}), want: success },
    { name: 'Exists that matches', pod: withTerms(expressions(requirement('foo', 'Exists'))), node: nodeLabelled({ foo: 'bar' }), want: success },
    { name: 'Exists without the label', pod: withTerms(expressions(requirement('foo', 'Exists'))), node: nodeLabelled({ bar: 'foo' }), want: rejected },
    { name: 'DoesNotExist that matches', pod: withTerms(expressions(requirement('foo', 'DoesNotExist'))), node: nodeLabelled({ bar: 'foo' }), want: success },
    { name: 'DoesNotExist with the label', pod: withTerms(expressions(requirement('foo', 'DoesNotExist'))), node: nodeLabelled({ foo: 'bar' }), want: rejected },
    { name: 'Gt that matches', pod: withTerms(expressions(requirement('kernel-version', 'Gt', '0204'))), node: nodeLabelled({ 'kernel-version': '0206' }), want: success },
    { name: 'Gt on an equal value', pod: withTerms(expressions(requirement('kernel-version', 'Gt', '206'))), node: nodeLabelled({ 'kernel-version': '0206' }), want: rejected },
    { name: 'Lt that matches', pod: withTerms(expressions(requirement('mem-type', 'Lt', '-3'))), node: nodeLabelled({ 'mem-type': '-10' }), want: success },
    { name: "Lt that doesn't match", pod: withTerms(expressions(requirement('mem-type', 'Lt', '5'))), node: nodeLabelled({ 'mem-type': '5' }), want: rejected },
    { name: 'Gt on a label that is not an integer', pod: withTerms(expressions(requirement('kernel-version', 'Gt', '1'))), node: nodeLabelled({ 'kernel-version': '2.6' }), want: rejected },
    { name: 'Gt on a missing label', pod: withTerms(expressions(requirement('kernel-version', 'Gt', '1'))), node: nodeLabelled({}), want: rejected },
    {
      name: 'Gt with a value that is not an integer is malformed and matches no node',
      pod: withTerms(expressions(requirement('kernel-version', 'Gt', '0204x'))),
      node: nodeLabelled({ 'kernel-version': '0206' }),
      want: rejected,
    },
    { name: 'In without values is malformed and matches no node', pod: withTerms(expressions(requirement('foo', 'In'))), node: nodeLabelled({ foo: 'bar' }), want: rejected },
    { name: 'Exists with values is malformed', pod: withTerms(expressions(requirement('foo', 'Exists', 'bar'))), node: nodeLabelled({ foo: 'bar' }), want: rejected },
    {
      name: 'a malformed term does not stop another term from matching',
      pod: withTerms(expressions(requirement('foo', 'Lt', 'x')), expressions(requirement('foo', 'In', 'bar'))),
      node: nodeLabelled({ foo: 'bar' }),
      want: success,
    },
    {
      name: 'requirements of a term are ANDed',
      pod: withTerms(expressions(requirement('GPU', 'Exists'), requirement('GPU', 'NotIn', 'AMD', 'INTER'))),
      node: nodeLabelled({ GPU: 'NVIDIA-GRID-K1' }),
      want: success,
    },
    {
      name: 'one failing requirement fails the term',
      pod: withTerms(expressions(requirement('GPU', 'Exists'), requirement('GPU', 'In', 'AMD', 'INTER'))),
      node: nodeLabelled({ GPU: 'NVIDIA-GRID-K1' }),
      want: rejected,
    },
    {
      name: 'terms are ORed',
      pod: withTerms(expressions(requirement('foo', 'In', 'bar', 'value2')), expressions(requirement('diffkey', 'In', 'wrong', 'value2'))),
      node: nodeLabelled({ foo: 'bar' }),
      want: success,
    },
    { name: 'no terms match no node', pod: withTerms(), node: nodeLabelled({ foo: 'bar' }), want: rejected },
    { name: 'an empty term matches no node', pod: withTerms({}), node: nodeLabelled({ foo: 'bar' }), want: rejected },
    { name: 'an empty list of expressions matches no node', pod: withTerms({ matchExpressions: [] }), node: nodeLabelled({ foo: 'bar' }), want: rejected },
    {
      name: 'affinity and nodeSelector both satisfied',
      pod: makePod().nodeSelector({ foo: 'bar' }).requiredNodeTerms(expressions(requirement('foo', 'Exists'))).obj(),
      node: nodeLabelled({ foo: 'bar' }),
      want: success,
    },
    {
      name: 'affinity satisfied but not the nodeSelector',
      pod: makePod().nodeSelector({ foo: 'bar' }).requiredNodeTerms(expressions(requirement('foo', 'Exists'))).obj(),
      node: nodeLabelled({ foo: 'barrrrrr' }),
      want: rejected,
    },
    { name: 'matchFields In that matches', pod: withTerms(fields(requirement('metadata.name', 'In', 'node1'))), node: nodeLabelled({}), want: success },
    { name: "matchFields In that doesn't match", pod: withTerms(fields(requirement('metadata.name', 'In', 'node2'))), node: nodeLabelled({}), want: rejected },
    { name: 'matchFields NotIn', pod: withTerms(fields(requirement('metadata.name', 'NotIn', 'node2'))), node: nodeLabelled({}), want: success },
    {
      name: 'matchFields In with two values is malformed',
      pod: withTerms(fields(requirement('metadata.name', 'In', 'node1', 'node2'))),
      node: nodeLabelled({}),
      want: rejected,
    },
    { name: 'matchFields Exists is malformed', pod: withTerms(fields(requirement('metadata.name', 'Exists'))), node: nodeLabelled({}), want: rejected },
    { name: 'matchFields on another field reads it as empty', pod: withTerms(fields(requirement('spec.foo', 'In', 'x'))), node: nodeLabelled({}), want: rejected },
    {
      name: "two terms: matchFields doesn't match, but matchExpressions does",
      pod: withTerms(fields(requirement('metadata.name', 'In', 'node2')), expressions(requirement('foo', 'In', 'bar'))),
      node: nodeLabelled({ foo: 'bar' }),
      want: success,
    },
    {
      name: "one term: matchFields doesn't match, matchExpressions does",
      pod: withTerms({ matchFields: [requirement('metadata.name', 'In', 'node2')], matchExpressions: [requirement('foo', 'In', 'bar')] }),
      node: nodeLabelled({ foo: 'bar' }),
      want: rejected,
    },
    {
      name: 'one term: both matchFields and matchExpressions match',
      pod: withTerms({ matchFields: [requirement('metadata.name', 'In', 'node1')], matchExpressions: [requirement('foo', 'In', 'bar')] }),
      node: nodeLabelled({ foo: 'bar' }),
      want: success,
    },
    {
      name: 'terms that each name nodes, and no node in common, conflict at PreFilter',
      pod: withTerms({ matchFields: [requirement('metadata.name', 'In', 'node1'), requirement('metadata.name', 'In', 'node2')] }),
      node: nodeLabelled({}),
      want: unresolvable(errReasonConflict),
    },
    {
      name: 'terms naming different nodes do not conflict: they are ORed',
      pod: withTerms(fields(requirement('metadata.name', 'In', 'node1')), fields(requirement('metadata.name', 'In', 'node2'))),
      node: nodeLabelled({}),
      want: success,
    },
    {
      name: "the profile's added affinity must match as well",
      pod: makePod().nodeSelector({ foo: 'bar' }).obj(),
      node: nodeLabelled({ foo: 'bar' }),
      args: { addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [expressions(requirement('zone', 'In', 'foo'))] } } },
      want: unresolvable(errReasonEnforced),
    },
    {
      name: "a pod without affinity still meets the profile's added affinity",
      pod: makePod().obj(),
      node: nodeLabelled({ zone: 'foo' }),
      args: { addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [expressions(requirement('zone', 'In', 'foo'))] } } },
      want: success,
    },
  ];
  for (const tc of cases) {
    t.test(tc.name, async (t) => {
      t.same(runFilter(newNodeAffinity(tc.args), tc.pod, nodeInfoOf(tc.node)), tc.want);
      if (tc.args === undefined && tc.want.code === 'Success') t.ok(matchesNodeSelectorAndAffinity(tc.pod, tc.node), 'the exported predicate agrees');
      if (tc.want === rejected) t.notOk(matchesNodeSelectorAndAffinity(tc.pod, tc.node), 'the exported predicate agrees');
    });
  }
});

t.test('PreFilter skips pods with nothing to check', async (t) => {
  const node = nodeInfoOf(makeNode().obj());
  const preFilter = (pod: Pod, args?: NodeAffinityArgs) => newNodeAffinity(args).preFilter(new CycleState(), pod, snapshotOf([node]));
  t.same(preFilter(makePod().obj()), skip, 'no nodeSelector, no required affinity');
  t.same(preFilter(makePod().preferredNodeTerm(1, expressions(requirement('a', 'Exists'))).obj()), skip, 'preferred terms only');
  t.same(preFilter(makePod().nodeSelector({}).obj()), success, 'an empty nodeSelector is still a nodeSelector');
  const added = { addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } };
  t.same(preFilter(makePod().obj(), added), success, "the profile's added affinity");
});

t.test('a malformed addedAffinity is refused when the plugin is made', async (t) => {
  t.throws(() => newNodeAffinity({ addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [expressions(requirement('a', 'Gt', 'x'))] } } }));
  t.throws(() => newNodeAffinity({ addedAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: expressions(requirement('a', 'In')) }] } }));
});

t.test('Score', async (t) => {
  const label1 = { foo: 'bar' };
  const label2 = { key: 'value' };
  const label3 = { az: 'az1' };
  const label4 = { abc: 'az11', def: 'az22' };
  const label5 = { foo: 'bar', key: 'value', az: 'az1' };
  const affinity1 = makePod().preferredNodeTerm(2, expressions(requirement('foo', 'In', 'bar'))).obj();
  const affinity2 = makePod()
    .preferredNodeTerm(2, expressions(requirement('foo', 'In', 'bar')))
    .preferredNodeTerm(4, expressions(requirement('key', 'In', 'value')))
    .preferredNodeTerm(5, expressions(requirement('foo', 'In', 'bar'), requirement('key', 'In', 'value'), requirement('az', 'In', 'az1')))
    .obj();
  const nodes = (...labels: Record<string, string>[]) => labels.map((l, i) => nodeLabelled(l, `node${i + 1}`));
  const cases: { name: string; pod: Pod; nodes: Node[]; want: number[] | Status; args?: NodeAffinityArgs }[] = [
    { name: 'a pod without preferred terms is not scored (PreScore Skip)', pod: makePod().obj(), nodes: nodes(label1, label2), want: skip },
    { name: 'no node matches the preferred terms', pod: affinity1, nodes: nodes(label4, label2, label3), want: [0, 0, 0] },
    { name: 'only node1 matches', pod: affinity1, nodes: nodes(label1, label2, label3), want: [100, 0, 0] },
    { name: 'every node matches some terms, with different weights: 2, 11 and 4 of 11', pod: affinity2, nodes: nodes(label1, label5, label2), want: [18, 100, 36] },
    {
      name: "the profile's added preferred terms add to the pod's",
      pod: affinity1,
      nodes: nodes(label1, label2, label5),
      args: { addedAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 3, preference: expressions(requirement('key', 'Exists')) }] } },
      want: [40, 60, 100],
    },
    {
      name: 'terms of weight 0 count nothing',
      pod: makePod().preferredNodeTerm(0, expressions(requirement('foo', 'Exists'))).obj(),
      nodes: nodes(label1, label2),
      want: [0, 0],
    },
    {
      name: 'a malformed preferred term is an error',
      pod: makePod().preferredNodeTerm(1, expressions(requirement('foo', 'Gt', 'bar'))).obj(),
      nodes: nodes(label1),
      want: { code: 'Error', reasons: [`[0].preference.matchExpressions[0]: for 'Gt', 'Lt' operators, the value must be an integer`] },
    },
  ];
  for (const tc of cases) {
    t.test(tc.name, async (t) => {
      checkScores(t, newNodeAffinity(tc.args), tc.pod, nodeInfosOf(tc.nodes), tc.want);
    });
  }
});
