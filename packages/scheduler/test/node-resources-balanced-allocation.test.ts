// NodeResourcesBalancedAllocation: (1 - std of the requested/allocatable fractions) * 100, on
// what pods really request. Figures after upstream's balanced_allocation_test.go.
import t from 'tap';
import { type Node, type Pod, skip, type Status } from '../src/framework/types.js';
import type { NodeResourcesBalancedAllocationArgs } from '../src/plugins/node-resources/args.js';
import { newNodeResourcesBalancedAllocation } from '../src/plugins/node-resources/balanced-allocation.js';
import { checkScores, makeNode, makePod, nodeInfosOf, nodeWithResources, podOn } from './plugin-fixtures.js';

const pod3000m5Gi = () => makePod().req({ cpu: '1000m', memory: '2Gi' }).req({ cpu: '2000m', memory: '3Gi' });
const withGpu: NodeResourcesBalancedAllocationArgs = { resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }, { name: 'example.com/gpu', weight: 1 }] };

t.test('Score', async (t) => {
  const cases: { name: string; pod: Pod; nodes: Node[]; existing?: Pod[]; args?: NodeResourcesBalancedAllocationArgs; want: number[] | Status }[] = [
    { name: 'a pod that requests nothing is not scored (PreScore Skip)', pod: makePod().req().obj(), nodes: [nodeWithResources('node1', '4000m', '10Gi')], want: skip },
    {
      // node1: cpu 3000 / 4000 = 0.75, memory 5 / 10 = 0.5, std 0.125: 87; node2: 0.5 and 0.5: 100.
      name: 'nothing scheduled, resources requested, differently sized nodes',
      pod: pod3000m5Gi().obj(),
      nodes: [nodeWithResources('node1', '4000m', '10Gi'), nodeWithResources('node2', '6000m', '10Gi')],
      want: [87, 100],
    },
    {
      // node1: cpu 0.6, memory 5 / 20 = 0.25, std 0.175: 82; node2: 0.6 and 0.5, std 0.05: 95.
      name: 'resources requested, pods scheduled with resources',
      pod: pod3000m5Gi().obj(),
      nodes: [nodeWithResources('node1', '10000m', '20Gi'), nodeWithResources('node2', '10000m', '20Gi')],
      existing: [podOn('node1', { cpu: '3000m', memory: '0' }), podOn('node2', { cpu: '3000m', memory: '5Gi' })],
      want: [82, 95],
    },
    {
      // cpu 6000 / 4000 counts as 1, memory 0: std 0.5.
      name: 'a fraction above 1 counts as 1',
      pod: makePod().req({ cpu: '3000m', memory: '0' }).obj(),
      nodes: [nodeWithResources('node1', '4000m', '10Gi')],
      existing: [podOn('node1', { cpu: '3000m', memory: '0' })],
      want: [50],
    },
    {
      // cpu 0.25, memory 0 (not the 200Mi default, which would give 88): std 0.125.
      name: 'requests are counted as requested, without the non-zero defaults',
      pod: makePod().req({ cpu: '1000m' }).obj(),
      nodes: [nodeWithResources('node1', '4000m', '10Gi')],
      want: [87],
    },
    {
      // 0.5, 0.25 and 1: mean 0.583, std 0.312: 68.
      name: 'three resources: the standard deviation of all three',
      pod: makePod().req({ cpu: '2000m', memory: '1Gi', 'example.com/gpu': '2' }).obj(),
      nodes: [nodeWithResources('node1', '4000m', '4Gi', { 'example.com/gpu': '2' })],
      args: withGpu,
      want: [68],
    },
    {
      name: 'an extended resource the pod does not request is left out',
      pod: pod3000m5Gi().obj(),
      nodes: [nodeWithResources('node1', '4000m', '10Gi', { 'example.com/gpu': '2' })],
      args: withGpu,
      want: [87],
    },
    { name: 'a node without the resources scores as balanced', pod: pod3000m5Gi().obj(), nodes: [makeNode('node1').obj()], want: [100] },
  ];
  for (const tc of cases) {
    t.test(tc.name, async (t) => {
      checkScores(t, newNodeResourcesBalancedAllocation(tc.args), tc.pod, nodeInfosOf(tc.nodes, tc.existing), tc.want);
    });
  }
});

t.test('args: weights must be 1 (0 means 1), names distinct', async (t) => {
  t.doesNotThrow(() => newNodeResourcesBalancedAllocation({ resources: [{ name: 'cpu', weight: 0 }] }));
  t.throws(() => newNodeResourcesBalancedAllocation({ resources: [{ name: 'cpu', weight: 2 }] }));
  t.throws(() => newNodeResourcesBalancedAllocation({ resources: [{ name: 'cpu', weight: 1 }, { name: 'cpu', weight: 1 }] }));
});
