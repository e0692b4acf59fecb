// The registry of node-local plugins: upstream's names, each factory making its plugin.
import t from 'tap';
import { nodeLocalPlugins } from '../src/plugins/node-local.js';

t.test('every plugin is registered under its upstream name and carries it', async (t) => {
  const names = ['NodeUnschedulable', 'NodeName', 'TaintToleration', 'NodeAffinity', 'NodePorts', 'NodeResourcesFit', 'NodeResourcesBalancedAllocation'];
  t.same(Object.keys(nodeLocalPlugins).sort(), [...names].sort());
  for (const name of names) t.equal(nodeLocalPlugins[name]?.().name, name);
});

t.test('factories take their args and refuse bad ones', async (t) => {
  t.ok(nodeLocalPlugins.NodeResourcesFit?.({ scoringStrategy: { type: 'MostAllocated' } }));
  t.throws(() => nodeLocalPlugins.NodeResourcesFit?.({ scoringStrategy: { type: 'Nope' } }));
  t.throws(() => nodeLocalPlugins.NodeResourcesBalancedAllocation?.({ resources: [{ name: 'cpu', weight: 3 }] }));
  t.throws(() => nodeLocalPlugins.NodeAffinity?.({ addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'Exists' }] }] } } }));
});
