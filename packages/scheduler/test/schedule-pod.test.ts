// One scheduling cycle with stand-in plugins: how many nodes are searched, the message of a pod
// that fits nowhere, readiness, scoring and ties.
import t from 'tap';
import { fitErrorMessage, FitError } from '../src/core/fit-error.js';
import { numFeasibleNodesToFind, PodScheduler } from '../src/core/schedule-pod.js';
import { nodeInfoOf, snapshotOf } from '../src/framework/node-info.js';
import { Framework } from '../src/framework/runtime.js';
import { type FilterPlugin, type Node, type Pod, type ScorePlugin, success, unresolvable, unschedulable } from '../src/framework/types.js';

const pod: Pod = { metadata: { name: 'web-1', namespace: 'default' }, spec: { containers: [{ name: 'c' }] } };
const node = (name: string, ready = 'True'): Node => ({ metadata: { name }, status: { conditions: [{ type: 'Ready', status: ready }] } });
const nodes = (n: number) => Array.from({ length: n }, (_, i) => nodeInfoOf(node(`node-${i}`)));

function framework(filter?: FilterPlugin['filter'], score?: ScorePlugin['score'], percentage?: number) {
  const filters: FilterPlugin[] = filter ? [{ name: 'Stub', filter }] : [];
  const scores = score ? [{ plugin: { name: 'StubScore', score } as ScorePlugin, weight: 2 }] : [];
  return new Framework('default-scheduler', { preFilter: [], filter: filters, preScore: [], score: scores }, percentage);
}

t.test('numFeasibleNodesToFind as upstream', async (t) => {
  const table: [number, number, number][] = [
    // [percentage, nodes, want]
    [0, 10, 10], [0, 99, 99], [0, 1000, 420], [40, 1000, 400], [0, 5000, 500], [0, 6000, 300],
    [0, 10_000, 500], [0, 150, 100], [0, 300, 144], [10, 500, 100], [100, 5000, 5000], [1, 5000, 100],
  ];
  for (const [p, n, want] of table) t.equal(numFeasibleNodesToFind(p, n), want, `${p}% of ${n}`);
});

t.test("the message of a pod that fits nowhere is upstream's", async (t) => {
  const statuses = new Map([
    ['node-1', { ...unresolvable('node(s) had untolerated taint {dedicated: infra}'), plugin: 'TaintToleration' }],
    ['node-2', { ...unschedulable('Insufficient cpu'), plugin: 'NodeResourcesFit' }],
    ['node-3', { ...unschedulable('Insufficient cpu'), plugin: 'NodeResourcesFit' }],
  ]);
  t.equal(
    fitErrorMessage(3, { nodeStatuses: statuses, unschedulablePlugins: new Set() }),
    '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: infra}, 2 Insufficient cpu. ' +
      'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
  );
  t.equal(
    fitErrorMessage(2, { nodeStatuses: new Map(), preFilterStatus: unresolvable("node(s) didn't match pod affinity rules"), unschedulablePlugins: new Set() }),
    "0/2 nodes are available: node(s) didn't match pod affinity rules. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.",
  );
  t.equal(
    fitErrorMessage(1, { nodeStatuses: new Map([['a', unschedulable('Too many pods')]]), unschedulablePlugins: new Set() }, { preemptionPolicy: 'Never' }),
    '0/1 nodes are available: 1 Too many pods. preemption: not eligible due to preemptionPolicy=Never.',
  );
});

t.test('a filter that turns every node away: FitError with each node status and the plugins', async (t) => {
  const s = new PodScheduler();
  const err = t.throws(() => s.schedule(framework(() => unschedulable('Insufficient memory')), pod, snapshotOf(nodes(3)))) as unknown as FitError;
  t.ok(err instanceof FitError);
  t.equal(err.diagnosis.nodeStatuses.size, 3);
  t.same([...err.diagnosis.unschedulablePlugins], ['Stub']);
  t.match(err.message, /^0\/3 nodes are available: 3 Insufficient memory\./);
});

t.test('nodes that are not Ready are left out unless the pod tolerates their taint', async (t) => {
  const s = new PodScheduler();
  const snap = snapshotOf([nodeInfoOf(node('down', 'False')), nodeInfoOf(node('gone', 'Unknown')), nodeInfoOf(node('up'))]);
  for (let i = 0; i < 5; i++) t.equal(s.schedule(framework(), pod, snap).suggestedHost, 'up');
  const allDown = snapshotOf([nodeInfoOf(node('down', 'False'))]);
  const err = t.throws(() => s.schedule(framework(), pod, allDown)) as unknown as FitError;
  t.equal(err.message, 'no nodes available to schedule pods');
  t.same([...err.diagnosis.unschedulablePlugins], ['NodeReady'], 'woken when a node becomes ready');
  const tolerant = { ...pod, spec: { ...pod.spec, tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }] } };
  t.throws(() => s.schedule(framework(), tolerant, allDown), 'NoExecute does not tolerate the NoSchedule taint');
  tolerant.spec.tolerations[0]!.effect = 'NoSchedule';
  t.equal(s.schedule(framework(), tolerant, allDown).suggestedHost, 'down');
});

t.test('a pod the Ready nodes turn away is woken by a node turning Ready too', async (t) => {
  const s = new PodScheduler();
  const snap = snapshotOf([nodeInfoOf(node('down', 'False')), nodeInfoOf(node('up'))]);
  const err = t.throws(() => s.schedule(framework(() => unschedulable('Insufficient cpu')), pod, snap)) as unknown as FitError;
  t.match(err.message, /^0\/1 nodes are available: 1 Insufficient cpu\./, 'the node that is not Ready is not counted');
  t.same([...err.diagnosis.unschedulablePlugins].sort(), ['NodeReady', 'Stub']);
});

t.test('a large cluster stops searching at the percentage, and the next cycle starts where it stopped', async (t) => {
  const s = new PodScheduler();
  const seen: string[] = [];
  const fwk = framework((_s, _p, n) => (seen.push(n.name), success), undefined, 10);
  const snap = snapshotOf(nodes(1000));
  const r = s.schedule(fwk, pod, snap);
  t.equal(r.feasibleNodes, 100);
  t.equal(seen.length, 100);
  t.equal(seen[0], 'node-0');
  seen.length = 0;
  s.schedule(fwk, pod, snap);
  t.equal(seen[0], 'node-100', 'round robin over the nodes');
});

t.test('the highest weighted score wins; ties are broken at random', async (t) => {
  const score = (_s: unknown, _p: Pod, n: { name: string }) => (n.name === 'node-2' ? 90 : 10);
  t.equal(new PodScheduler().schedule(framework(undefined, score), pod, snapshotOf(nodes(4))).suggestedHost, 'node-2');
  let i = 0;
  const seq = [0.9, 0.1, 0.9]; // third of three ties: keep, take node-2, keep
  const s = new PodScheduler(0, () => seq[i++ % seq.length]!);
  t.equal(s.schedule(framework(undefined, () => 50), pod, snapshotOf(nodes(4))).suggestedHost, 'node-2');
  t.throws(() => new PodScheduler().schedule(framework(undefined, () => 101), pod, snapshotOf(nodes(2))), /invalid score 101/);
});
