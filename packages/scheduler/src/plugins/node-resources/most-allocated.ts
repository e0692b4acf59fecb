// MostAllocated: favours nodes that are fuller once the pod is placed, packing pods onto fewer
// nodes. Per resource: requested * 100 / capacity, requested capped at capacity (pods without
// requests count the non-zero defaults, which may overshoot a small node).

import { maxNodeScore } from '../../framework/types.js';
import type { ResourceSpec } from './args.js';
import { type AllocationScorer, weightedResourceScore } from './resource-allocation.js';

export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  return Math.floor((Math.min(requested, capacity) * maxNodeScore) / capacity);
}

export const mostAllocatedScorer =
  (resources: readonly ResourceSpec[]): AllocationScorer =>
  (requested, allocatable) =>
    weightedResourceScore(resources, requested, allocatable, mostRequestedScore);
