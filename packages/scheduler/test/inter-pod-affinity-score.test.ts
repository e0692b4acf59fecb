// InterPodAffinity PreScore + Score + NormalizeScore, as upstream's TestPreferredAffinity and
// TestPreferredAffinityWithHardPodAffinitySymmetricWeight (same pods, nodes and figures).
import t from 'tap';
import type { Affinity, Node, Pod } from '../src/framework/types.js';
import { type InterPodAffinityArgs, newInterPodAffinity } from '../src/plugins/inter-pod-affinity/plugin.js';
import { affinity, labelIn, node, pod, podsOn, scoreNodes, snapshotWith, term, weighted } from './topology-fixtures.js';

const china = { region: 'China' };
const india = { region: 'India' };
const az1 = { az: 'az1' };
const az2 = { az: 'az2' };
const chinaAz1 = { region: 'China', az: 'az1' };
const S1 = { security: 'S1' };
const S2 = { security: 'S2' };
const namespaces = {
  'subteam1.team1': { team: 'team1' },
  'subteam2.team1': { team: 'team1' },
  'subteam1.team2': { team: 'team2' },
  'subteam2.team2': { team: 'team2' },
};
const team1 = { matchExpressions: [{ key: 'team', operator: 'In' as const, values: ['team1'] }] };

const stayWithS1InRegion = affinity({ preferred: [weighted(5, term('region', labelIn('security', 'S1')))] });
const stayWithS2InRegion = affinity({ preferred: [weighted(6, term('region', labelIn('security', 'S2')))] });
const affinity3 = affinity({
  preferred: [
    weighted(8, term('region', { matchExpressions: [{ key: 'security', operator: 'NotIn', values: ['S1'] }, { key: 'security', operator: 'In', values: ['S2'] }] })),
    weighted(2, term('region', { matchExpressions: [{ key: 'security', operator: 'Exists' }, { key: 'wrongkey', operator: 'DoesNotExist' }] })),
  ],
});
const hardAffinity = affinity({
  required: [
    term('region', labelIn('security', 'S1', 'value2')),
    term('region', { matchExpressions: [{ key: 'security', operator: 'Exists' }, { key: 'wrongkey', operator: 'DoesNotExist' }] }),
  ],
});
const awayFromS1InAz = affinity({ antiPreferred: [weighted(5, term('az', labelIn('security', 'S1')))] });
const awayFromS2InAz = affinity({ antiPreferred: [weighted(5, term('az', labelIn('security', 'S2')))] });
const stayWithS1InRegionAwayFromS2InAz = affinity({
  preferred: [weighted(8, term('region', labelIn('security', 'S1')))],
  antiPreferred: [weighted(5, term('az', labelIn('security', 'S2')))],
});
const withNamespaceSelector = term('region', labelIn('security', 'S1'), { namespaces: ['subteam2.team2'], namespaceSelector: team1 });
const affinityNamespaceSelector = affinity({ preferred: [weighted(5, withNamespaceSelector)] });
const antiAffinityNamespaceSelector = affinity({ antiPreferred: [weighted(5, withNamespaceSelector)] });
const invalidAffinity = affinity({ preferred: [weighted(8, term('region', labelIn('security', '{{.bad-value.}}')))] });

/** An existing pod on `nodeName`. */
const on = (nodeName: string, labels: Record<string, string> = {}, a?: Affinity, namespace?: string): Pod =>
  podsOn(nodeName, 1, labels, { ...(a ? { affinity: a } : {}), ...(namespace ? { namespace } : {}) })[0]!;
const incoming = (labels: Record<string, string>, a?: Affinity, namespace?: string) => pod('p', { labels, ...(a ? { affinity: a } : {}), ...(namespace ? { namespace } : {}) });
const nodes = (...labels: Record<string, string>[]): Node[] => labels.map((l, i) => node(`node${i + 1}`, l));

interface Case {
  name: string;
  pod: Pod;
  pods?: Pod[];
  nodes: Node[];
  args?: InterPodAffinityArgs;
  /** Normalized scores in node order, or the status PreScore returns. */
  want: number[] | { code: string; reason?: RegExp };
}

const cases: Case[] = [
  { name: 'all nodes are the same as the pod has no affinity: Skip', pod: incoming(S1), nodes: nodes(china, india, az1), want: { code: 'Skip' } },
  {
    name: 'affinity: the node in the topology of a matching pod scores high, one without the topology key or the matching pod low',
    pod: incoming(S1, stayWithS1InRegion),
    pods: [on('node1', S1), on('node2', S2), on('node3', S1)],
    nodes: nodes(china, india, az1),
    want: [100, 0, 0],
  },
  {
    name: 'affinity: every node with the topology value of a matching pod scores the same',
    pod: incoming({}, stayWithS1InRegion),
    pods: [on('node1', S1)],
    nodes: nodes(china, chinaAz1, india),
    want: [100, 100, 0],
  },
  {
    name: 'affinity: the region with more matching pods scores high',
    pod: incoming(S1, stayWithS2InRegion),
    pods: [on('node1', S2), on('node1', S2), on('node2', S2), on('node3', S2), on('node4', S2), on('node5', S2)],
    nodes: nodes(china, india, china, china, india),
    want: [100, 0, 100, 100, 0],
  },
  {
    name: 'affinity: different operators and values, including some match failures',
    pod: incoming(S1, affinity3),
    pods: [on('node1', S1), on('node2', S2), on('node3', S1)],
    nodes: nodes(china, india, az1),
    want: [20, 100, 0],
  },
  {
    name: "affinity symmetry: existing pods' preferred affinity selecting the incoming pod",
    pod: incoming(S2),
    pods: [on('node1', S1, stayWithS1InRegion), on('node2', S2, stayWithS2InRegion)],
    nodes: nodes(china, india, az1),
    want: [0, 100, 0],
  },
  {
    name: 'affinity symmetry with namespace selector',
    pod: incoming(S1, undefined, 'subteam1.team1'),
    pods: [on('node1', S1, affinityNamespaceSelector), on('node2', S2, stayWithS2InRegion)],
    nodes: nodes(china, india, az1),
    want: [100, 0, 0],
  },
  {
    name: 'anti-affinity symmetry with namespace selector',
    pod: incoming(S1, undefined, 'subteam1.team1'),
    pods: [on('node1', S1, antiAffinityNamespaceSelector), on('node2', S2, stayWithS2InRegion)],
    nodes: nodes(china, india, az1),
    want: [0, 100, 100],
  },
  {
    name: "affinity symmetry: existing pods' required affinity weighs hardPodAffinityWeight",
    pod: incoming(S1),
    pods: [on('node1', S1, hardAffinity), on('node2', S2, hardAffinity)],
    nodes: nodes(china, india, az1),
    want: [100, 100, 0],
  },
  {
    name: 'anti-affinity: the node without matching pods scores high',
    pod: incoming(S1, awayFromS1InAz),
    pods: [on('node1', S1), on('node2', S2)],
    nodes: nodes(az1, china),
    want: [0, 100],
  },
  {
    name: 'anti-affinity: a node without the topology key scores high though its pods match',
    pod: incoming(S1, awayFromS1InAz),
    pods: [on('node1', S1), on('node2', S1)],
    nodes: nodes(az1, china),
    want: [0, 100],
  },
  {
    name: 'anti-affinity: the node with more matching pods scores low',
    pod: incoming(S1, awayFromS1InAz),
    pods: [on('node1', S1), on('node1', S1), on('node2', S2)],
    nodes: nodes(az1, india),
    want: [0, 100],
  },
  {
    name: "anti-affinity symmetry: existing pods' preferred anti-affinity selecting the incoming pod",
    pod: incoming(S2),
    pods: [on('node1', S1, awayFromS2InAz), on('node2', S2, awayFromS1InAz)],
    nodes: nodes(az1, az2),
    want: [0, 100],
  },
  {
    name: 'affinity and anti-affinity',
    pod: incoming(S1, stayWithS1InRegionAwayFromS2InAz),
    pods: [on('node1', S1), on('node2', S1)],
    nodes: nodes(china, az1),
    want: [100, 0],
  },
  {
    name: 'affinity and anti-affinity: pods of the same service stay in a region, apart per az',
    pod: incoming(S1, stayWithS1InRegionAwayFromS2InAz),
    pods: [on('node1', S1), on('node1', S1), on('node2', S1), on('node3', S1), on('node3', S1), on('node4', S1), on('node5', S1)],
    nodes: nodes(chinaAz1, india, china, china, india),
    want: [100, 0, 100, 100, 0],
  },
  {
    name: 'affinity, anti-affinity and symmetry together',
    pod: incoming(S1, stayWithS1InRegionAwayFromS2InAz),
    pods: [on('node1', S1), on('node2', S2), on('node3', {}, stayWithS1InRegionAwayFromS2InAz), on('node4', {}, awayFromS1InAz)],
    nodes: nodes(china, az1, india, az2),
    want: [100, 0, 100, 0],
  },
  {
    name: 'some nodes of a topology have pods with affinity, the incoming pod has none',
    pod: incoming(S1),
    pods: [on('node1', S1), on('node2', {}, stayWithS1InRegionAwayFromS2InAz)],
    nodes: nodes(china, china),
    want: [0, 0],
  },
  {
    name: 'an invalid affinity fails PreScore',
    pod: incoming({}, invalidAffinity),
    nodes: nodes(china, china),
    want: { code: 'Error', reason: /^failed to parse pod: preferredAffinityTerms: .*Invalid value: "\{\{\.bad-value\.\}\}"/ },
  },
  {
    name: 'affinity with pods matching the namespaceSelector',
    pod: incoming(S1, affinityNamespaceSelector, 'subteam1.team1'),
    pods: [on('node1', S1, undefined, 'subteam1.team1'), on('node1', S1, undefined, 'subteam1.team1'), on('node1', S1, undefined, 'subteam1.team2'), on('node2', S1, undefined, 'subteam2.team1')],
    nodes: nodes(china, india),
    want: [100, 0],
  },
  {
    name: 'affinity with pods matching both the namespaceSelector and the namespaces',
    pod: incoming(S1, affinityNamespaceSelector, 'subteam1.team1'),
    pods: [on('node1', S1, undefined, 'subteam1.team1'), on('node1', S1, undefined, 'subteam1.team1'), on('node1', S1, undefined, 'subteam2.team2'), on('node2', S1, undefined, 'subteam2.team1')],
    nodes: nodes(china, india),
    want: [100, 0],
  },
  {
    name: 'anti-affinity with pods matching the namespaceSelector',
    pod: incoming(S1, antiAffinityNamespaceSelector, 'subteam1.team1'),
    pods: [on('node1', S1, undefined, 'subteam1.team1'), on('node1', S1, undefined, 'subteam1.team1'), on('node1', S1, undefined, 'subteam1.team2'), on('node2', S1, undefined, 'subteam2.team1')],
    nodes: nodes(china, india),
    want: [0, 100],
  },
  {
    name: "ignorePreferredTermsOfExistingPods: existing pods' terms are not weighed",
    pod: incoming(S2),
    pods: [on('node1', S1, stayWithS1InRegionAwayFromS2InAz), on('node2', S2, stayWithS2InRegion)],
    nodes: nodes(china, india),
    args: { ignorePreferredTermsOfExistingPods: true },
    want: { code: 'Skip' },
  },
  {
    name: "existing pods' preferred terms are weighed by default",
    pod: incoming(S2),
    pods: [on('node1', S1, stayWithS1InRegionAwayFromS2InAz), on('node2', S2, stayWithS2InRegion)],
    nodes: nodes(china, india),
    want: [0, 100],
  },
  { name: 'no nodes to score: Skip', pod: incoming(S2), nodes: [], want: { code: 'Skip' } },
];

// Upstream's test names namespace "" where ours defaults to "default".
const hardPodAffinity = affinity({
  required: [term('region', labelIn('service', 'S1'), { namespaces: ['default', 'subteam2.team2'], namespaceSelector: team1 })],
});
const serviceS1 = { service: 'S1' };
const hardWeightCases: Case[] = [
  { name: 'hardPodAffinityWeight: the default weight', pod: incoming(serviceS1), want: [100, 100, 0], nodes: [] },
  { name: 'hardPodAffinityWeight: zero weight', pod: incoming(serviceS1), args: { hardPodAffinityWeight: 0 }, want: { code: 'Skip' }, nodes: [] },
  { name: 'hardPodAffinityWeight: no matching namespace', pod: incoming(serviceS1, undefined, 'subteam1.team2'), want: { code: 'Skip' }, nodes: [] },
  { name: 'hardPodAffinityWeight: a matching namespaceSelector', pod: incoming(serviceS1, undefined, 'subteam1.team1'), want: [100, 100, 0], nodes: [] },
  { name: 'hardPodAffinityWeight: matching namespaces', pod: incoming(serviceS1, undefined, 'subteam2.team2'), want: [100, 100, 0], nodes: [] },
].map((c) => ({ ...c, pods: [on('node1', {}, hardPodAffinity), on('node2', {}, hardPodAffinity)], nodes: nodes(china, india, az1) }));

for (const c of [...cases, ...hardWeightCases]) {
  t.test(c.name, async (t) => {
    const { status, scores } = scoreNodes(newInterPodAffinity(c.args), c.pod, snapshotWith(c.nodes, c.pods, namespaces));
    if (Array.isArray(c.want)) {
      t.equal(status.code, 'Success');
      t.same(
        scores.map((s) => s.score),
        c.want,
      );
    } else {
      t.equal(status.code, c.want.code);
      if (c.want.reason) t.match(status.reasons[0], c.want.reason);
    }
  });
}

t.test('hardPodAffinityWeight outside 0..100 is refused as upstream words it', async (t) => {
  t.throws(() => newInterPodAffinity({ hardPodAffinityWeight: 101 }), { message: 'hardPodAffinityWeight: Invalid value: 101: not in valid range [0, 100]' });
  t.throws(() => newInterPodAffinity({ hardPodAffinityWeight: -1 }));
});
