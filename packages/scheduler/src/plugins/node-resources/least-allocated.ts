// LeastAllocated, NodeResourcesFit's default strategy: favours nodes with more left over once the
// pod is placed, spreading pods. Per resource: (capacity - requested) * 100 / capacity.

import { maxNodeScore } from '../../framework/types.js';
import type { ResourceSpec } from './args.js';
import { type AllocationScorer, weightedResourceScore } from './resource-allocation.js';

export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.floor(((capacity - requested) * maxNodeScore) / capacity);
}

export const leastAllocatedScorer =
  (resources: readonly ResourceSpec[]): AllocationScorer =>
  (requested, allocatable) =>
    weightedResourceScore(resources, requested, allocatable, leastRequestedScore);
