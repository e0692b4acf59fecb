// NodeResourcesFit: a pod fits a node only if the node has left, of everything the pod requests,
// at least that much (and room for one more pod); among the nodes it fits, the profile's scoring
// strategy ranks them (LeastAllocated unless configured).

import { podNonZeroRequests, podRequests, type Resources } from '../../framework/resources.js';
import {
  type FilterPlugin,
  type Pod,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
  success,
  unschedulable,
} from '../../framework/types.js';
import { missingStateError } from '../error-status.js';
import { fitArgsWithDefaults, type NodeResourcesFitArgs, type ScoringStrategy } from './args.js';
import { insufficientResources } from './insufficient-resources.js';
import { leastAllocatedScorer } from './least-allocated.js';
import { mostAllocatedScorer } from './most-allocated.js';
import { requestedToCapacityRatioScorer } from './requested-to-capacity-ratio.js';
import { type AllocationScorer, allocationScore, podRequestList } from './resource-allocation.js';

export const nodeResourcesFitName = 'NodeResourcesFit';
const preFilterStateKey = `PreFilter${nodeResourcesFitName}`;
const preScoreStateKey = `PreScore${nodeResourcesFitName}`;

function scorerFor(strategy: ScoringStrategy): AllocationScorer {
  switch (strategy.type) {
    case 'LeastAllocated':
      return leastAllocatedScorer(strategy.resources);
    case 'MostAllocated':
      return mostAllocatedScorer(strategy.resources);
    case 'RequestedToCapacityRatio':
      return requestedToCapacityRatioScorer(strategy.resources, strategy.requestedToCapacityRatio?.shape ?? []);
  }
}

export function newNodeResourcesFit(args: NodeResourcesFitArgs = {}): PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin {
  const { ignoredResources, ignoredResourceGroups, scoringStrategy } = fitArgsWithDefaults(args);
  const ignored = { names: new Set(ignoredResources), groups: new Set(ignoredResourceGroups) };
  const scorer = scorerFor(scoringStrategy);
  // Scoring counts upstream's non-zero defaults for containers without cpu or memory requests.
  const scoringRequests = (pod: Pod) => podRequestList(podNonZeroRequests(pod), scoringStrategy.resources);
  return {
    name: nodeResourcesFitName,
    preFilter(state, pod) {
      state.write(preFilterStateKey, podRequests(pod));
      return success;
    },
    filter(state, _pod, node) {
      const request = state.read<Resources>(preFilterStateKey);
      if (request === undefined) return missingStateError(preFilterStateKey);
      const missing = insufficientResources(request, node, ignored);
      return missing.length === 0 ? success : unschedulable(...missing.map((m) => m.reason));
    },
    preScore(state, pod) {
      state.write(preScoreStateKey, scoringRequests(pod));
      return success;
    },
    score(state, pod, node) {
      const requests = state.read<number[]>(preScoreStateKey) ?? scoringRequests(pod);
      return allocationScore(node, scoringStrategy.resources, requests, false, scorer);
    },
  };
}
