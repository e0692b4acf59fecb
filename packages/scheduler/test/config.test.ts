// --config: upstream's default profile, and profiles merged as upstream merges them.
import t from 'tap';
import { parseConfig } from '../src/config/load.js';
import { buildFrameworks, type PluginRegistry } from '../src/config/profiles.js';
import type { Plugin } from '../src/framework/types.js';

// Stand-ins with the extension points of the real plugins.
const stub = (name: string, ...points: string[]) => (args?: unknown): Plugin =>
  Object.assign({ name, args }, Object.fromEntries(points.map((p) => [p, () => ({ code: 'Success', reasons: [] })]))) as Plugin;
const registry: PluginRegistry = {
  NodeUnschedulable: stub('NodeUnschedulable', 'filter'),
  NodeName: stub('NodeName', 'filter'),
  TaintToleration: stub('TaintToleration', 'filter', 'preScore', 'score'),
  NodeAffinity: stub('NodeAffinity', 'preFilter', 'filter', 'preScore', 'score'),
  NodePorts: stub('NodePorts', 'preFilter', 'filter'),
  NodeResourcesFit: stub('NodeResourcesFit', 'preFilter', 'filter', 'preScore', 'score'),
  PodTopologySpread: stub('PodTopologySpread', 'preFilter', 'filter', 'preScore', 'score'),
  InterPodAffinity: stub('InterPodAffinity', 'preFilter', 'filter', 'preScore', 'score'),
  NodeResourcesBalancedAllocation: stub('NodeResourcesBalancedAllocation', 'preScore', 'score'),
};
const names = (ps: { name: string }[]) => ps.map((p) => p.name);
const config = (yaml: string) => parseConfig(`apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n${yaml}`);

t.test("without a config: upstream's default profile, its order and weights", async (t) => {
  const fwk = buildFrameworks(config(''), registry).get('default-scheduler')!;
  t.same(names(fwk.plugins.filter), ['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'PodTopologySpread', 'InterPodAffinity']);
  t.same(names(fwk.plugins.preFilter), ['NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'PodTopologySpread', 'InterPodAffinity']);
  t.same(fwk.plugins.score.map((s) => [s.plugin.name, s.weight]), [
    ['TaintToleration', 3], ['NodeAffinity', 2], ['NodeResourcesFit', 1], ['PodTopologySpread', 2], ['InterPodAffinity', 2], ['NodeResourcesBalancedAllocation', 1],
  ]);
});

t.test('profiles: disabled, weights, plugin args, several schedulerNames, percentage', async (t) => {
  const frameworks = buildFrameworks(config(`
percentageOfNodesToScore: 30
profiles:
- schedulerName: default-scheduler
  plugins:
    score:
      disabled: [{name: NodeResourcesBalancedAllocation}]
      enabled: [{name: NodeResourcesFit, weight: 5}]
  pluginConfig:
  - name: NodeResourcesFit
    args: {scoringStrategy: {type: MostAllocated}}
- schedulerName: no-scoring
  percentageOfNodesToScore: 100
  plugins:
    multiPoint:
      disabled: [{name: '*'}]
      enabled: [{name: NodeName}, {name: NodeResourcesFit}]
`), registry);
  t.same([...frameworks.keys()], ['default-scheduler', 'no-scoring']);
  const d = frameworks.get('default-scheduler')!;
  t.same(d.plugins.score.map((s) => [s.plugin.name, s.weight]), [
    ['NodeResourcesFit', 5], ['TaintToleration', 3], ['NodeAffinity', 2], ['PodTopologySpread', 2], ['InterPodAffinity', 2],
  ]);
  t.same((d.plugins.filter.find((p) => p.name === 'NodeResourcesFit') as unknown as { args: unknown }).args, { scoringStrategy: { type: 'MostAllocated' } });
  t.equal(d.plugins.filter.find((p) => p.name === 'NodeResourcesFit'), d.plugins.score[0]!.plugin, 'one instance per plugin and profile');
  const n = frameworks.get('no-scoring')!;
  t.same(names(n.plugins.filter), ['NodeName', 'NodeResourcesFit']);
  t.equal(n.percentageOfNodesToScore, 100);
});

t.test('bad configurations are refused with a clear error', async (t) => {
  t.throws(() => parseConfig('kind: KubeSchedulerConfiguration\napiVersion: kubescheduler.config.k8s.io/v1beta3\n'), /apiVersion "kubescheduler.config.k8s.io\/v1beta3" is not supported/);
  t.throws(() => parseConfig('kind: Pod\n'), /expected "KubeSchedulerConfiguration"/);
  t.throws(() => parseConfig('a: [\n'), /not valid YAML/);
  t.throws(() => config('percentageOfNodesToScore: 120'), /not in valid range \[0-100\]/);
  t.throws(() => config('profiles: [{schedulerName: a}, {schedulerName: a}]'), /Duplicate value: "a"/);
  t.throws(() => buildFrameworks(config('profiles: [{plugins: {filter: {enabled: [{name: Nope}]}}}]'), registry), /plugin "Nope" does not exist/);
  t.throws(() => config('podInitialBackoffSeconds: 5\npodMaxBackoffSeconds: 2'), /must be greater than or equal/);
});

t.test('plugins upstream has and kubets does not run are accepted', async (t) => {
  const fwk = buildFrameworks(config('profiles: [{plugins: {score: {enabled: [{name: ImageLocality, weight: 3}]}}}]'), registry).get('default-scheduler')!;
  t.notOk(fwk.plugins.score.some((s) => s.plugin.name === 'ImageLocality'));
});
