// The node inclusion predicates PodTopologySpread uses until NodeAffinity's and
// TaintToleration's land: nodeSelector + required node affinity, and tolerated taints.
import t from 'tap';
import type { Affinity, NodeSelectorRequirement, Taint, Toleration } from '../src/framework/types.js';
import { matchesNodeSelectorAndAffinity, toleratesNodeTaints } from '../src/plugins/pod-topology-spread/node-inclusion.js';
import { node, pod } from './topology-fixtures.js';

const required = (...terms: { matchExpressions?: NodeSelectorRequirement[]; matchFields?: NodeSelectorRequirement[] }[]): Affinity => ({
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } },
});
const expr = (key: string, operator: NodeSelectorRequirement['operator'], ...values: string[]): NodeSelectorRequirement => ({ key, operator, ...(values.length ? { values } : {}) });

const n1 = node('n1', { zone: 'a', cores: '8', gpu: '' });

const affinityCases: { name: string; nodeSelector?: Record<string, string>; affinity?: Affinity; want: boolean }[] = [
  { name: 'no nodeSelector and no affinity match', want: true },
  { name: 'a nodeSelector needs every label with its value', nodeSelector: { zone: 'a', gpu: '' }, want: true },
  { name: 'a nodeSelector value must be equal', nodeSelector: { zone: 'b' }, want: false },
  { name: 'In', affinity: required({ matchExpressions: [expr('zone', 'In', 'a', 'b')] }), want: true },
  { name: 'NotIn', affinity: required({ matchExpressions: [expr('zone', 'NotIn', 'a')] }), want: false },
  { name: 'Exists', affinity: required({ matchExpressions: [expr('gpu', 'Exists')] }), want: true },
  { name: 'DoesNotExist', affinity: required({ matchExpressions: [expr('gpu', 'DoesNotExist')] }), want: false },
  { name: 'Gt compares integers', affinity: required({ matchExpressions: [expr('cores', 'Gt', '4')] }), want: true },
  { name: 'Lt compares integers', affinity: required({ matchExpressions: [expr('cores', 'Lt', '4')] }), want: false },
  { name: 'Gt on a label that is not an integer does not match', affinity: required({ matchExpressions: [expr('zone', 'Gt', '1')] }), want: false },
  { name: 'requirements of a term are ANDed', affinity: required({ matchExpressions: [expr('zone', 'In', 'a'), expr('gpu', 'DoesNotExist')] }), want: false },
  { name: 'terms are ORed', affinity: required({ matchExpressions: [expr('zone', 'In', 'b')] }, { matchExpressions: [expr('gpu', 'Exists')] }), want: true },
  { name: 'an empty term matches nothing', affinity: required({}), want: false },
  { name: 'no terms match nothing', affinity: required(), want: false },
  { name: 'matchFields on metadata.name', affinity: required({ matchFields: [expr('metadata.name', 'In', 'n1')] }), want: true },
  { name: 'matchFields NotIn metadata.name', affinity: required({ matchFields: [expr('metadata.name', 'NotIn', 'n1')] }), want: false },
  { name: 'nodeSelector and affinity are ANDed', nodeSelector: { zone: 'a' }, affinity: required({ matchExpressions: [expr('cores', 'Lt', '4')] }), want: false },
];

for (const c of affinityCases) {
  t.test(`node affinity: ${c.name}`, async (t) => {
    const p = pod('p', { ...(c.nodeSelector ? { nodeSelector: c.nodeSelector } : {}), ...(c.affinity ? { affinity: c.affinity } : {}) });
    t.equal(matchesNodeSelectorAndAffinity(p, n1), c.want);
  });
}

const noSchedule: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
const taintCases: { name: string; taints: Taint[]; tolerations?: Toleration[]; want: boolean }[] = [
  { name: 'no taints', taints: [], want: true },
  { name: 'an untolerated NoSchedule taint', taints: [noSchedule], want: false },
  { name: 'an untolerated NoExecute taint', taints: [{ key: 'k', effect: 'NoExecute' }], want: false },
  { name: 'a PreferNoSchedule taint does not count', taints: [{ key: 'k', effect: 'PreferNoSchedule' }], want: true },
  { name: 'Equal with the same value tolerates', taints: [noSchedule], tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }], want: true },
  { name: 'an empty operator means Equal', taints: [noSchedule], tolerations: [{ key: 'dedicated', value: 'gpu' }], want: true },
  { name: 'Equal with another value does not tolerate', taints: [noSchedule], tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'cpu' }], want: false },
  { name: 'Exists tolerates any value of the key', taints: [noSchedule], tolerations: [{ key: 'dedicated', operator: 'Exists' }], want: true },
  { name: 'an empty key with Exists tolerates every taint', taints: [noSchedule, { key: 'k', effect: 'NoExecute' }], tolerations: [{ operator: 'Exists' }], want: true },
  { name: 'another effect does not tolerate', taints: [noSchedule], tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }], want: false },
];

for (const c of taintCases) {
  t.test(`taints: ${c.name}`, async (t) => {
    const p = pod('p', c.tolerations ? { tolerations: c.tolerations } : {});
    t.equal(toleratesNodeTaints(p, node('n', {}, c.taints), ['NoSchedule', 'NoExecute']), c.want);
  });
}
