// NodeResourcesBalancedAllocation: favours nodes whose resources would be used in even shares once
// the pod is placed (a node with spare cpu but no memory left helps nobody). Score (1 - std) * 100,
// std being the standard deviation of the requested/allocatable fractions.

import { podRequests } from '../../framework/resources.js';
import { maxNodeScore, type Pod, type PreScorePlugin, type ScorePlugin, skip, success } from '../../framework/types.js';
import { balancedAllocationArgsWithDefaults, type NodeResourcesBalancedAllocationArgs } from './args.js';
import { allocationScore, podRequestList } from './resource-allocation.js';

export const nodeResourcesBalancedAllocationName = 'NodeResourcesBalancedAllocation';
const preScoreStateKey = `PreScore${nodeResourcesBalancedAllocationName}`;

/** The standard deviation of the fractions of the resources the node has (two: |a - b| / 2, as upstream). */
function standardDeviation(requested: readonly number[], allocatable: readonly number[]): number {
  let n = 0;
  let first = 0;
  let second = 0;
  let sum = 0;
  for (let i = 0; i < allocatable.length; i++) {
    if (allocatable[i] === 0) continue;
    const f = Math.min(requested[i]! / allocatable[i]!, 1);
    if (n === 0) first = f;
    else if (n === 1) second = f;
    n++;
    sum += f;
  }
  if (n < 2) return 0;
  if (n === 2) return Math.abs(first - second) / 2;
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < allocatable.length; i++) {
    if (allocatable[i] !== 0) squares += (Math.min(requested[i]! / allocatable[i]!, 1) - mean) ** 2;
  }
  return Math.sqrt(squares / n);
}

export function balancedResourceScorer(requested: number[], allocatable: number[]): number {
  return Math.trunc((1 - standardDeviation(requested, allocatable)) * maxNodeScore);
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
