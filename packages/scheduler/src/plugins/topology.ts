// The topology plugins by upstream's names, for the scheduler's plugin registry.

import type { Plugin } from '../framework/types.js';
import { type InterPodAffinityArgs, interPodAffinityName, newInterPodAffinity } from './inter-pod-affinity/plugin.js';
import { type PodTopologySpreadArgs, newPodTopologySpread, podTopologySpreadName } from './pod-topology-spread/plugin.js';

export const topologyPlugins: Record<string, (args?: unknown) => Plugin> = {
  [interPodAffinityName]: (args) => newInterPodAffinity(args as InterPodAffinityArgs | undefined),
  [podTopologySpreadName]: (args) => newPodTopologySpread(args as PodTopologySpreadArgs | undefined),
};
