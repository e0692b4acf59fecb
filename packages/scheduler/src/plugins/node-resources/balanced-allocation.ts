// NodeResourcesBalancedAllocation: favours nodes whose resources would be used in even shares once
// the pod is placed (a node with spare cpu but no memory left helps nobody). Score (1 - std) * 100,
// std being the standard deviation of the requested/allocatable fractions.

import { podRequests } from '../../framework/resources.js';
import { maxNodeScore, type Pod, type PreScorePlugin, type ScorePlugin, skip, success } from '../../framework/types.js';
import { balancedAllocationArgsWithDefaults, type NodeResourcesBalancedAllocationArgs } from './args.js';
import { allocationScore, podRequestList } from './resource-allocation.js';

export const nodeResourcesBalancedAllocationName = 'NodeResourcesBalancedAllocation';
const preScoreStateKey = `PreScore${nodeResourcesBalancedAllocationName}`;

function standardDeviation(fractions: number[]): number {
  // Two resources, the usual case: upstream takes |a - b| / 2, which is the same figure.
  if (fractions.length === 2) return Math.abs(((fractions[0] as number) - (fractions[1] as number)) / 2);
  if (fractions.length < 2) return 0;
  const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
  return Math.sqrt(fractions.reduce((sum, f) => sum + (f - mean) * (f - mean), 0) / fractions.length);
}

export function balancedResourceScorer(requested: number[], allocatable: number[]): number {
  const fractions = allocatable.flatMap((capacity, i) => (capacity === 0 ? [] : [Math.min((requested[i] as number) / capacity, 1)]));
  return Math.trunc((1 - standardDeviation(fractions)) * maxNodeScore);
}

export function newNodeResourcesBalancedAllocation(args: NodeResourcesBalancedAllocationArgs = {}): PreScorePlugin & ScorePlugin {
  const resources = balancedAllocationArgsWithDefaults(args);
  // Balance is judged on what pods really request, not on the non-zero defaults.
  const requestsOf = (pod: Pod) => podRequestList(podRequests(pod), resources);
  const isBestEffort = (requests: number[]) => requests.every((r) => r === 0);
  return {
    name: nodeResourcesBalancedAllocationName,
    preScore(state, pod) {
      const requests = requestsOf(pod);
      // A pod that requests nothing would otherwise be drawn, with all like it, to one node (kubernetes#129138).
      if (isBestEffort(requests)) return skip;
      state.write(preScoreStateKey, requests);
      return success;
    },
    score(state, pod, node) {
      const requests = state.read<number[]>(preScoreStateKey) ?? requestsOf(pod);
      return isBestEffort(requests) ? 0 : allocationScore(node, resources, requests, true, balancedResourceScorer);
    },
  };
}
