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
 * The allocatable and the requested-with-the-pod amounts of one resource on a node, written into
 * `out` at `i` (scoring runs for hundreds of nodes a pod, so nothing is allocated per node). Scoring
 * counts cpu and memory with upstream's non-zero defaults for pods that request none
 * (`useRequested` false), so that such pods still spread; BalancedAllocation counts what was
 * really requested. A resource the node lacks has allocatable 0.
 */
function allocatableAndRequested(node: NodeInfo, name: string, podRequest: number, useRequested: boolean, out: Amounts, i: number): void {
  let alloc = 0;
  let req = 0;
  if (podRequest !== 0 || !isScalarResource(name)) {
    if (name === 'cpu' || name === 'memory') {
      alloc = amountOf(node.allocatable, name);
      req = amountOf(useRequested ? node.requested : node.nonZeroRequested, name) + podRequest;
    } else if (name === 'ephemeral-storage' || Object.hasOwn(node.allocatable.scalar, name)) {
      alloc = amountOf(node.allocatable, name);
      req = amountOf(node.requested, name) + podRequest;
    }
  }
  out.allocatable[i] = alloc;
  out.requested[i] = alloc === 0 ? 0 : req;
}

interface Amounts {
  requested: number[];
  allocatable: number[];
}

/** Reused between calls: the scorers read the arrays and keep nothing. */
const scratch: Amounts = { requested: [], allocatable: [] };

export function allocationScore(
  node: NodeInfo,
  resources: readonly ResourceSpec[],
  podRequests: readonly number[],
  useRequested: boolean,
  scorer: AllocationScorer,
): number {
  scratch.requested.length = resources.length;
  scratch.allocatable.length = resources.length;
  for (let i = 0; i < resources.length; i++) allocatableAndRequested(node, resources[i]!.name, podRequests[i] ?? 0, useRequested, scratch, i);
  return scorer(scratch.requested, scratch.allocatable);
}

export interface WeightedScore {
  score: number;
  weight: number;
}

/**
 * The weighted mean of each configured resource's score, over the resources the node has
 * (allocatable above 0), and with `skipZero` only over those scoring above 0; rounded down as
 * upstream's int64 division unless told otherwise; 0 without weights.
 */
export function weightedResourceScore(
  resources: readonly ResourceSpec[],
  requested: readonly number[],
  allocatable: readonly number[],
  scoreOf: (requested: number, capacity: number) => number,
  opts: { round?: (n: number) => number; skipZero?: boolean } = {},
): number {
  let sum = 0;
  let weights = 0;
  for (let i = 0; i < allocatable.length; i++) {
    const capacity = allocatable[i]!;
    if (capacity === 0) continue;
    const score = scoreOf(requested[i]!, capacity);
    if (opts.skipZero === true && score <= 0) continue;
    const weight = resources[i]!.weight;
    sum += score * weight;
    weights += weight;
  }
  return weights === 0 ? 0 : (opts.round ?? Math.floor)(sum / weights);
}
