// RequestedToCapacityRatio: the score of each resource follows a broken-line curve of its
// utilization that the profile gives (shape points, scores 0..10 scaled to 0..100), so a profile
// can bin-pack or spread any resource, extended ones included.

import { maxNodeScore } from '../../framework/types.js';
import { maxCustomPriorityScore, type ResourceSpec, type UtilizationShapePoint } from './args.js';
import { type AllocationScorer, weightedResourceScore } from './resource-allocation.js';

const maxUtilization = 100;

/**
 * Upstream's helper.BuildBrokenLinearFunction: the first point's score below it, the last one's
 * above it, and linear in between (integer arithmetic, truncated towards zero as in Go).
 */
export function brokenLinearFunction(shape: readonly UtilizationShapePoint[]): (p: number) => number {
  return (p) => {
    const i = shape.findIndex((point) => p <= point.utilization);
    if (i === -1) return (shape[shape.length - 1] as UtilizationShapePoint).score;
    const hi = shape[i] as UtilizationShapePoint;
    const lo = shape[i - 1];
    if (lo === undefined) return hi.score;
    return lo.score + Math.trunc(((hi.score - lo.score) * (p - lo.utilization)) / (hi.utilization - lo.utilization));
  };
}

export function requestedToCapacityRatioScorer(resources: readonly ResourceSpec[], shape: readonly UtilizationShapePoint[]): AllocationScorer {
  const scaled = shape.map((p) => ({ utilization: p.utilization, score: p.score * (maxNodeScore / maxCustomPriorityScore) }));
  const curve = brokenLinearFunction(scaled);
  const resourceScore = (requested: number, capacity: number) =>
    capacity === 0 || requested > capacity ? curve(maxUtilization) : curve(Math.floor((requested * maxUtilization) / capacity));
  // Upstream leaves a resource that scores 0 out of the mean, and rounds the mean to the nearest.
  return (requested, allocatable) =>
    weightedResourceScore(resources, requested, allocatable, resourceScore, { round: Math.round, skipZero: true });
}
