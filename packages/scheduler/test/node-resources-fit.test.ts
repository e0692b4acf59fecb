// NodeResourcesFit: Filter reports every resource a node lacks; Score ranks by the profile's
// strategy (LeastAllocated, MostAllocated, RequestedToCapacityRatio). Cases and figures after
// upstream's fit_test.go, least_allocated_test.go, most_allocated_test.go and
// requested_to_capacity_ratio_test.go.
import t, { type Test } from 'tap';
import { nodeInfoOf } from '../src/framework/node-info.js';
import { CycleState, type Node, type Pod, type ResourceList, type Status, success, unschedulable } from '../src/framework/types.js';
import type { NodeResourcesFitArgs } from '../src/plugins/node-resources/args.js';
import { newNodeResourcesFit } from '../src/plugins/node-resources/fit.js';
import { checkScores, makeNode, makePod, nodeInfosOf, nodeWithResources, podOn, runFilter, runScore } from './plugin-fixtures.js';

t.test('Filter', async (t) => {
  // 10 millicores, 20 bytes of memory and of ephemeral storage, 32 pods, 5 of an extended resource and of hugepages.
  const node = (extra: ResourceList = {}) =>
    makeNode('node')
      .capacity({ cpu: '10m', memory: '20', pods: '32', 'example.com/aaa': '5', 'ephemeral-storage': '20', 'hugepages-2Mi': '5', ...extra })
      .obj();
  const using = (requests: ResourceList) => makePod('existing').node('node').req(requests).obj();
  const usage = (cpu: number, memory: number) => using({ cpu: `${cpu}m`, memory: `${memory}` });
  const asking = (cpu: number, memory: number) => makePod().req({ cpu: `${cpu}m`, memory: `${memory}` });
  const cases: { name: string; pod: Pod; node?: Node; existing?: Pod[]; args?: NodeResourcesFitArgs; want: Status }[] = [
    { name: 'no resources requested always fits', pod: makePod().obj(), existing: [usage(10, 20)], want: success },
    { name: 'too many resources fails', pod: asking(1, 1).obj(), existing: [usage(10, 20)], want: unschedulable('Insufficient cpu', 'Insufficient memory') },
    { name: 'too many resources fails due to init container cpu', pod: asking(1, 1).initReq({ cpu: '3m', memory: '1' }).obj(), existing: [usage(8, 19)], want: unschedulable('Insufficient cpu') },
    {
      name: 'too many resources fails due to highest init container cpu',
      pod: asking(1, 1).initReq({ cpu: '3m', memory: '1' }).initReq({ cpu: '2m', memory: '1' }).obj(),
      existing: [usage(8, 19)],
      want: unschedulable('Insufficient cpu'),
    },
    { name: 'too many resources fails due to init container memory', pod: asking(1, 1).initReq({ cpu: '1m', memory: '3' }).obj(), existing: [usage(9, 19)], want: unschedulable('Insufficient memory') },
    { name: "init container fits because it's the max, not sum, of containers and init containers", pod: asking(1, 1).initReq({ cpu: '1m', memory: '1' }).obj(), existing: [usage(9, 19)], want: success },
    { name: 'a sidecar adds to the containers', pod: asking(1, 1).initReq({ cpu: '2m', memory: '1' }, true).obj(), existing: [usage(8, 18)], want: unschedulable('Insufficient cpu') },
    { name: 'both resources fit', pod: asking(1, 1).obj(), existing: [usage(5, 5)], want: success },
    { name: 'one resource memory fits', pod: asking(2, 1).obj(), existing: [usage(9, 5)], want: unschedulable('Insufficient cpu') },
    { name: 'one resource cpu fits', pod: asking(1, 2).obj(), existing: [usage(5, 19)], want: unschedulable('Insufficient memory') },
    { name: 'equal edge case', pod: asking(5, 1).obj(), existing: [usage(5, 19)], want: success },
    { name: 'extended resource fits', pod: makePod().req({ 'example.com/aaa': '1' }).obj(), want: success },
    { name: 'extended resource capacity enforced', pod: makePod().req({ 'example.com/aaa': '10' }).obj(), want: unschedulable('Insufficient example.com/aaa') },
    {
      name: 'extended resource allocatable enforced',
      pod: makePod().req({ 'example.com/aaa': '1' }).obj(),
      existing: [using({ 'example.com/aaa': '5' })],
      want: unschedulable('Insufficient example.com/aaa'),
    },
    { name: 'extended resource allocatable enforced for unknown resource', pod: makePod().req({ 'example.com/bbb': '1' }).obj(), want: unschedulable('Insufficient example.com/bbb') },
    { name: 'skip checking ignored extended resource', pod: makePod().req({ 'example.com/bbb': '1' }).obj(), args: { ignoredResources: ['example.com/bbb'] }, want: success },
    { name: 'skip checking ignored extended resource via resource groups', pod: makePod().req({ 'example.com/bbb': '1' }).obj(), args: { ignoredResourceGroups: ['example.com'] }, want: success },
    { name: 'hugepages fit', pod: makePod().req({ 'hugepages-2Mi': '3' }).obj(), want: success },
    { name: 'hugepages capacity enforced', pod: makePod().req({ 'hugepages-2Mi': '10' }).obj(), want: unschedulable('Insufficient hugepages-2Mi') },
    {
      name: 'hugepages are not extended resources: ignoredResources does not cover them',
      pod: makePod().req({ 'hugepages-2Mi': '10' }).obj(),
      args: { ignoredResources: ['hugepages-2Mi'] },
      want: unschedulable('Insufficient hugepages-2Mi'),
    },
    { name: 'ephemeral local storage request exceeds allocatable', pod: makePod().req({ 'ephemeral-storage': '25' }).obj(), want: unschedulable('Insufficient ephemeral-storage') },
    {
      name: 'ephemeral local storage is enforced against what pods requested',
      pod: makePod().req({ 'ephemeral-storage': '10' }).obj(),
      existing: [using({ 'ephemeral-storage': '15' })],
      want: unschedulable('Insufficient ephemeral-storage'),
    },
    { name: 'resources + pod overhead fits', pod: asking(1, 1).overhead({ cpu: '3m', memory: '13' }).obj(), existing: [usage(5, 5)], want: success },
    { name: 'requests + overhead does not fit for memory', pod: asking(1, 1).overhead({ cpu: '1m', memory: '15' }).obj(), existing: [usage(5, 5)], want: unschedulable('Insufficient memory') },
    { name: 'too many pods, even for a pod that asks for nothing', pod: makePod().obj(), node: node({ pods: '1' }), existing: [usage(0, 0)], want: unschedulable('Too many pods') },
    {
      name: 'every shortfall is reported, the pod count first',
      pod: asking(1, 1).obj(),
      node: node({ pods: '1' }),
      existing: [usage(10, 20)],
      want: unschedulable('Too many pods', 'Insufficient cpu', 'Insufficient memory'),
    },
    { name: 'a node without allocatable pods takes none', pod: makePod().obj(), node: makeNode('node').capacity({ cpu: '1' }).obj(), want: unschedulable('Too many pods') },
  ];
  for (const tc of cases) {
    t.test(tc.name, async (t) => {
      t.same(runFilter(newNodeResourcesFit(tc.args), tc.pod, nodeInfoOf(tc.node ?? node(), tc.existing ?? [])), tc.want);
    });
  }
});

t.test('Filter without its PreFilter is an error', async (t) => {
  const status = newNodeResourcesFit().filter(new CycleState(), makePod().obj(), nodeInfoOf(makeNode().obj()));
  t.same(status, { code: 'Error', reasons: ['error reading "PreFilterNodeResourcesFit" from cycleState: not found'] });
});

interface ScoreCase {
  name: string;
  pod: Pod;
  nodes: Node[];
  existing?: Pod[];
  args?: NodeResourcesFitArgs;
  want: number[];
}

/** Upstream's requested pod: two containers, 1000m + 2000m cpu and 2Gi + 3Gi memory. */
const pod3000m5Gi = () => makePod().req({ cpu: '1000m', memory: '2Gi' }).req({ cpu: '2000m', memory: '3Gi' });

function scoreCases(t: Test, cases: ScoreCase[]) {
  for (const tc of cases) {
    t.test(tc.name, async (t) => {
      checkScores(t, newNodeResourcesFit(tc.args), tc.pod, nodeInfosOf(tc.nodes, tc.existing), tc.want);
    });
  }
}

t.test('Score with LeastAllocated (the default)', async (t) => {
  scoreCases(t, [
    { name: 'nothing scheduled, nothing requested', pod: makePod().obj(), nodes: [nodeWithResources('node1', '4000m', '10Gi'), nodeWithResources('node2', '4000m', '10Gi')], want: [100, 100] },
    {
      // node1: cpu (4000 - 3000) * 100 / 4000 = 25, memory (10 - 5) * 100 / 10 = 50, (25 + 50) / 2 = 37;
      // node2: cpu (6000 - 3000) * 100 / 6000 = 50, memory 50: 50.
      name: 'nothing scheduled, resources requested, differently sized nodes',
      pod: pod3000m5Gi().obj(),
      nodes: [nodeWithResources('node1', '4000m', '10Gi'), nodeWithResources('node2', '6000m', '10Gi')],
      want: [37, 50],
    },
    {
      // node1: cpu (10000 - 6000) * 100 / 10000 = 40, memory 100: 70; node2: cpu 40, memory (20 - 5) * 100 / 20 = 75: 57.
      name: 'no resources requested, pods scheduled with resources',
      pod: makePod().obj(),
      nodes: [nodeWithResources('node1', '10000m', '20Gi'), nodeWithResources('node2', '10000m', '20Gi')],
      existing: [podOn('node1', { cpu: '3000m', memory: '0' }), podOn('node1', { cpu: '3000m', memory: '0' }), podOn('node2', { cpu: '3000m', memory: '0' }), podOn('node2', { cpu: '3000m', memory: '5Gi' })],
      want: [70, 57],
    },
    {
      // node1: cpu 25, memory 50, (25 * 1 + 50 * 2) / 3 = 41; node2: 50.
      name: 'resources requested with different weights on cpu and memory',
      pod: pod3000m5Gi().obj(),
      nodes: [nodeWithResources('node1', '4000m', '10Gi'), nodeWithResources('node2', '6000m', '10Gi')],
      args: { scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'memory', weight: 2 }, { name: 'cpu', weight: 1 }] } },
      want: [41, 50],
    },
    {
      // node1: cpu over capacity 0, memory 100: 50; node2: cpu 0, memory 50: 25.
      name: 'requested resources exceed node capacity',
      pod: makePod().req({ cpu: '3000m', memory: '0' }).obj(),
      nodes: [nodeWithResources('node1', '4000m', '10Gi'), nodeWithResources('node2', '4000m', '10Gi')],
      existing: [podOn('node1', { cpu: '3000m', memory: '0' }), podOn('node2', { cpu: '3000m', memory: '5Gi' })],
      want: [50, 25],
    },
    { name: 'zero node resources', pod: makePod().obj(), nodes: [makeNode('node1').obj(), makeNode('node2').obj()], want: [0, 0] },
    {
      // A container without requests counts 100m and 200Mi: cpu (1000 - 100) * 100 / 1000 = 90, memory (1000 - 200) * 100 / 1000 = 80.
      name: 'a container without requests counts the non-zero defaults',
      pod: makePod().req().obj(),
      nodes: [nodeWithResources('node1', '1000m', '1000Mi')],
      want: [85],
    },
    {
      name: 'an extended resource the pod does not request is left out',
      pod: pod3000m5Gi().obj(),
      nodes: [nodeWithResources('node1', '6000m', '10Gi'), nodeWithResources('node2', '6000m', '10Gi', { 'example.com/foo': '4' })],
      args: { scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }, { name: 'example.com/foo', weight: 1 }] } },
      want: [50, 50],
    },
    {
      // node2: (50 + 50 + (10 - 2) * 100 / 10) / 3 = 60; node1 has none of it: (50 + 50) / 2.
      name: 'an extended resource the pod requests counts where the node has it',
      pod: makePod().req({ cpu: '1000m', memory: '2Gi' }).req({ cpu: '2000m', memory: '3Gi', 'example.com/foo': '2' }).obj(),
      nodes: [nodeWithResources('node1', '6000m', '10Gi'), nodeWithResources('node2', '6000m', '10Gi', { 'example.com/foo': '10' })],
      args: { scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }, { name: 'example.com/foo', weight: 1 }] } },
      want: [50, 60],
    },
  ]);
});

t.test('Score with MostAllocated', async (t) => {
  const most = (resources = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }]): NodeResourcesFitArgs => ({ scoringStrategy: { type: 'MostAllocated', resources } });
  scoreCases(t, [
    { name: 'nothing scheduled, nothing requested', pod: makePod().obj(), nodes: [nodeWithResources('node1', '4000m', '10Gi')], args: most(), want: [0] },
    {
      // node1: cpu 3000 * 100 / 4000 = 75, memory 50: 62; node2: cpu 50, memory 50: 50.
      name: 'nothing scheduled, resources requested, differently sized nodes',
      pod: pod3000m5Gi().obj(),
      nodes: [nodeWithResources('node1', '4000m', '10Gi'), nodeWithResources('node2', '6000m', '10Gi')],
      args: most(),
      want: [62, 50],
    },
    {
      // (75 * 1 + 50 * 2) / 3 = 58.
      name: 'resources requested with different weights on cpu and memory',
      pod: pod3000m5Gi().obj(),
      nodes: [nodeWithResources('node1', '4000m', '10Gi')],
      args: most([{ name: 'memory', weight: 2 }, { name: 'cpu', weight: 1 }]),
      want: [58],
    },
    { name: 'requests above capacity count as full', pod: makePod().req({ cpu: '5000m', memory: '5Gi' }).obj(), nodes: [nodeWithResources('node1', '4000m', '10Gi')], args: most(), want: [75] },
    { name: 'a container without requests counts the non-zero defaults', pod: makePod().req().obj(), nodes: [nodeWithResources('node1', '1000m', '1000Mi')], args: most(), want: [15] },
  ]);
});

t.test('Score with RequestedToCapacityRatio', async (t) => {
  const ratio = (shape: [number, number][], resources = [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }]): NodeResourcesFitArgs => ({
    scoringStrategy: { type: 'RequestedToCapacityRatio', resources, requestedToCapacityRatio: { shape: shape.map(([utilization, score]) => ({ utilization, score })) } },
  });
  const spread: [number, number][] = [
    [0, 10],
    [100, 0],
  ];
  const pack: [number, number][] = [
    [0, 0],
    [100, 10],
  ];
  scoreCases(t, [
    { name: 'nothing scheduled, nothing requested', pod: makePod().obj(), nodes: [nodeWithResources('node1', '4000m', '10Gi'), nodeWithResources('node2', '4000m', '10Gi')], args: ratio(spread), want: [100, 100] },
    {
      // node1: cpu at 75% scores 25, memory at 50% 50: round(37.5) = 38; node2: 50.
      name: 'nothing scheduled, resources requested, differently sized nodes (the mean is rounded)',
      pod: pod3000m5Gi().obj(),
      nodes: [nodeWithResources('node1', '4000m', '10Gi'), nodeWithResources('node2', '6000m', '10Gi')],
      args: ratio(spread),
      want: [38, 50],
    },
    {
      // Bin packing one extended resource: 2 of 4 is 50%, 2 of 8 is 25%.
      name: 'bin packing on an extended resource',
      pod: makePod().req({ 'example.com/foo': '2' }).obj(),
      nodes: [nodeWithResources('node1', '4000m', '10Gi', { 'example.com/foo': '4' }), nodeWithResources('node2', '4000m', '10Gi', { 'example.com/foo': '8' })],
      args: ratio(pack, [{ name: 'example.com/foo', weight: 1 }]),
      want: [50, 25],
    },
    {
      // 10% on the segment from (0, 100) to (30, 0): 100 + trunc(-100 * 10 / 30) = 67; 50% lies past the last point: 0,
      // and a resource scoring 0 is left out of the mean, leaving nothing: 0.
      name: 'between points the curve is linear, truncated towards zero; past the last point it is flat',
      pod: makePod().req({ cpu: '1000m' }).obj(),
      nodes: [nodeWithResources('node1', '10000m', '10Gi'), nodeWithResources('node2', '2000m', '10Gi')],
      args: ratio(
        [
          [0, 10],
          [30, 0],
        ],
        [{ name: 'cpu', weight: 1 }],
      ),
      want: [67, 0],
    },
    {
      name: 'requests above capacity score as 100% used',
      pod: makePod().req({ cpu: '5000m' }).obj(),
      nodes: [nodeWithResources('node1', '4000m', '10Gi')],
      args: ratio(pack, [{ name: 'cpu', weight: 1 }]),
      want: [100],
    },
  ]);
});

t.test('args: upstream defaults, and what upstream refuses', async (t) => {
  const node = nodeInfosOf([nodeWithResources('node1', '4000m', '10Gi')]);
  const scoreWith = (args: NodeResourcesFitArgs) => runScore(newNodeResourcesFit(args), pod3000m5Gi().obj(), node).scores[0]?.score;
  t.equal(scoreWith({}), 37, 'LeastAllocated on cpu and memory');
  t.equal(scoreWith({ scoringStrategy: { type: 'LeastAllocated', resources: [] } }), 37, 'no resources: cpu and memory');
  t.equal(scoreWith({ scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'memory', weight: 0 }, { name: 'cpu', weight: 1 }] } }), 37, 'a weight of 0 is 1');
  const refused: [string, NodeResourcesFitArgs][] = [
    ['a weight above 100', { scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 101 }] } }],
    ['a negative weight', { scoringStrategy: { type: 'MostAllocated', resources: [{ name: 'cpu', weight: -1 }] } }],
    ['an unknown strategy', { scoringStrategy: { type: 'Random' as 'LeastAllocated' } }],
    ['a strategy without a type', { scoringStrategy: { resources: [{ name: 'cpu', weight: 1 }] } }],
    ['RequestedToCapacityRatio without a shape', { scoringStrategy: { type: 'RequestedToCapacityRatio' } }],
    [
      'a shape out of order',
      { scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [{ utilization: 50, score: 1 }, { utilization: 10, score: 2 }] } } },
    ],
    ['a shape score above 10', { scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [{ utilization: 0, score: 11 }] } } }],
    ['a resource group with a slash', { ignoredResourceGroups: ['example.com/aaa'] }],
  ];
  for (const [name, args] of refused) t.throws(() => newNodeResourcesFit(args), name);
});
