// The plugins that judge a pod against one node at a time, by upstream's names: what a profile
// names in its plugin lists and pluginConfig. A factory takes the plugin's args (as in a
// KubeSchedulerConfiguration's pluginConfig) and throws on args upstream would refuse.
// Nodes that are not Ready are not a plugin's business: the runner leaves them out.

import type { Plugin } from '../framework/types.js';
import { newNodeAffinity, nodeAffinityName, type NodeAffinityArgs } from './node-affinity.js';
import { newNodeName, nodeNameName } from './node-name.js';
import { newNodePorts, nodePortsName } from './node-ports.js';
import type { NodeResourcesBalancedAllocationArgs, NodeResourcesFitArgs } from './node-resources/args.js';
import { newNodeResourcesBalancedAllocation, nodeResourcesBalancedAllocationName } from './node-resources/balanced-allocation.js';
import { newNodeResourcesFit, nodeResourcesFitName } from './node-resources/fit.js';
import { newNodeUnschedulable, nodeUnschedulableName } from './node-unschedulable.js';
import { newTaintToleration, taintTolerationName } from './taint-toleration.js';

export const nodeLocalPlugins: Record<string, (args?: unknown) => Plugin> = {
  [nodeUnschedulableName]: () => newNodeUnschedulable(),
  [nodeNameName]: () => newNodeName(),
  [taintTolerationName]: () => newTaintToleration(),
  [nodeAffinityName]: (args) => newNodeAffinity(args as NodeAffinityArgs | undefined),
  [nodePortsName]: () => newNodePorts(),
  [nodeResourcesFitName]: (args) => newNodeResourcesFit(args as NodeResourcesFitArgs | undefined),
  [nodeResourcesBalancedAllocationName]: (args) => newNodeResourcesBalancedAllocation(args as NodeResourcesBalancedAllocationArgs | undefined),
};
