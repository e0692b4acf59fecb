// What the resource scoring strategies look at, as upstream's resourceAllocationScorer: for each
// configured resource, the node's allocatable and what would be requested on it with the pod
// placed there. A resource the node does not have (allocatable 0) is left out of the score, and so
// is an extended resource the pod does not ask for (else every node without it would look empty).

import type { NodeInfo } from '../../framework/node-info.js';
import { isScalarResource, type Resources } from '../../framework/resources.js';
import type { ResourceSpec } from './args.js';

/** Turns per-resource requested and allocatable amounts (same order as the configured resources) into a node score. */
export type AllocationScorer = (requested: number[], allocatable: number[]) => number;

/** The amount of a named resource: millicores for cpu, bytes for memory and ephemeral-storage, units otherwise. */
export function amountOf(r: Resources, name: string): number {
  if (name === 'cpu') return r.milliCPU;
  if (name === 'memory') return r.memory;
  if (name === 'ephemeral-storage') return r.ephemeralStorage;
  return r.scalar[name] ?? 0;
}

/** The pod's request of each configured resource, computed once per pod at PreScore. */
export const podRequestList = (podRequests: Resources, resources: readonly ResourceSpec[]): number[] =>
  resources.map((r) => amountOf(podRequests, r.name));

/**
 * [allocatable, requested with the pod] of one resource on a node. Scoring counts cpu and memory
 * with upstream's non-zero defaults for pods that request none (`useRequested` false), so that
 * such pods still spread; BalancedAllocation counts what was really requested.
 */
function allocatableAndRequested(node: NodeInfo, name: string, podRequest: number, useRequested: boolean): [number, number] {
  if (podRequest === 0 && isScalarResource(name)) return [0, 0];
  const requested = useRequested ? node.requested : node.nonZeroRequested;
  if (name === 'cpu' || name === 'memory') return [amountOf(node.allocatable, name), amountOf(requested, name) + podRequest];
  if (name === 'ephemeral-storage' || Object.hasOwn(node.allocatable.scalar, name)) {
    return [amountOf(node.allocatable, name), amountOf(node.requested, name) + podRequest];
  }
  return [0, 0];
}

export function allocationScore(
  node: NodeInfo,
  resources: readonly ResourceSpec[],
  podRequests: readonly number[],
  useRequested: boolean,
  scorer: AllocationScorer,
): number {
  const requested: number[] = [];
  const allocatable: number[] = [];
  resources.forEach((r, i) => {
    const [alloc, req] = allocatableAndRequested(node, r.name, podRequests[i] ?? 0, useRequested);
    allocatable.push(alloc);
    requested.push(alloc === 0 ? 0 : req);
  });
  return scorer(requested, allocatable);
}

export interface WeightedScore {
  score: number;
  weight: number;
}

/** Each configured resource's score and weight, for the resources the node has (allocatable above 0). */
export function resourceScores(
  resources: readonly ResourceSpec[],
  requested: number[],
  allocatable: number[],
  scoreOf: (requested: number, capacity: number) => number,
): WeightedScore[] {
  return allocatable.flatMap((capacity, i) =>
    capacity === 0 ? [] : [{ score: scoreOf(requested[i] as number, capacity), weight: (resources[i] as ResourceSpec).weight }],
  );
}

/** The weighted mean, rounded down as upstream's int64 division unless told otherwise; 0 without weights. */
export function weightedMean(scores: readonly WeightedScore[], round: (n: number) => number = Math.floor): number {
  const weights = scores.reduce((sum, s) => sum + s.weight, 0);
  return weights === 0 ? 0 : round(scores.reduce((sum, s) => sum + s.score * s.weight, 0) / weights);
}
