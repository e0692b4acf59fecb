// One pod's scheduling cycle, as upstream's schedulePod (pkg/scheduler/schedule_one.go): find
// feasible nodes (stopping once there are enough, as percentageOfNodesToScore says, starting
// where the last cycle stopped so every node gets its turn), score them, and pick the best, ties
// broken at random. Synchronous from start to end: the cache cannot change underneath it.

import type { NodeInfo } from '../framework/node-info.js';
import type { Framework } from '../framework/runtime.js';
import { CycleState, type Pod, type Snapshot, type Status } from '../framework/types.js';
import { type Diagnosis, FitError } from './fit-error.js';
import { schedulableByReadiness, toleratesNotReady } from './node-readiness.js';

export const minFeasibleNodesToFind = 100;
export const minFeasibleNodesPercentageToFind = 5;

/** How many feasible nodes are enough, as upstream's numFeasibleNodesToFind. */
export function numFeasibleNodesToFind(percentageOfNodesToScore: number, numAllNodes: number): number {
  if (numAllNodes < minFeasibleNodesToFind || percentageOfNodesToScore >= 100) return numAllNodes;
  let percentage = percentageOfNodesToScore;
  if (percentage <= 0) {
    // Adaptive: 50% at 100 nodes, less as the cluster grows, never under 5%.
    percentage = Math.max(minFeasibleNodesPercentageToFind, 50 - Math.floor(numAllNodes / 125));
  }
  const numNodes = Math.floor((numAllNodes * percentage) / 100);
  return Math.max(numNodes, minFeasibleNodesToFind);
}

export interface ScheduleResult {
  suggestedHost: string;
  evaluatedNodes: number;
  feasibleNodes: number;
}

/** A scheduling error that is not "fits nowhere": a plugin failed. The pod backs off and retries. */
export class SchedulingError extends Error {
  constructor(readonly status: Status) {
    super(`running ${status.plugin ?? 'a plugin'}: ${status.reasons.join(', ')}`);
  }
}

export class PodScheduler {
  private nextStartNodeIndex = 0;

  constructor(
    /** The global percentageOfNodesToScore (0: adaptive), used where a profile sets none. */
    private readonly percentageOfNodesToScore = 0,
    private readonly random: () => number = Math.random,
  ) {}

  schedule(fwk: Framework, pod: Pod, snapshot: Snapshot): ScheduleResult {
    // A pod that tolerates neither not-ready taint (most: the API server's default tolerations
    // are NoExecute) can only go to Ready nodes, which the cache keeps listed.
    const nodes = !toleratesNotReady(pod) && snapshot.readyNodes !== undefined
      ? snapshot.readyNodes
      : snapshot.nodes.filter((n) => schedulableByReadiness(pod, n));
    if (nodes.length === 0) throw new FitError(0, { nodeStatuses: new Map(), unschedulablePlugins: new Set(['NodeReady']) });
    const state = new CycleState();
    const { feasible, diagnosis } = this.findNodesThatFit(fwk, state, pod, nodes, snapshot);
    if (feasible.length === 0) {
      // Nodes left out for readiness could take the pod once Ready: their condition changes must wake it.
      if (nodes.length < snapshot.nodes.length) diagnosis.unschedulablePlugins.add('NodeReady');
      throw new FitError(nodes.length, diagnosis, pod.spec);
    }
    if (feasible.length === 1) return { suggestedHost: feasible[0]!.name, evaluatedNodes: 1 + diagnosis.nodeStatuses.size, feasibleNodes: 1 };
    const preScore = fwk.runPreScore(state, pod, feasible, snapshot);
    if (preScore.error !== undefined) throw new SchedulingError(preScore.error);
    const totals = fwk.runScore(state, pod, feasible, preScore.skipped);
    return {
      suggestedHost: this.selectHost(feasible, totals),
      evaluatedNodes: feasible.length + diagnosis.nodeStatuses.size,
      feasibleNodes: feasible.length,
    };
  }

  private findNodesThatFit(fwk: Framework, state: CycleState, pod: Pod, nodes: readonly NodeInfo[], snapshot: Snapshot) {
    const diagnosis: Diagnosis = { nodeStatuses: new Map(), unschedulablePlugins: new Set() };
    const pre = fwk.runPreFilter(state, pod, snapshot);
    if (pre.rejection !== undefined) {
      if (pre.rejection.code === 'Error') throw new SchedulingError(pre.rejection);
      diagnosis.preFilterStatus = pre.rejection;
      diagnosis.unschedulablePlugins.add(pre.rejection.plugin!);
      return { feasible: [], diagnosis };
    }
    const wanted = numFeasibleNodesToFind(fwk.percentageOfNodesToScore ?? this.percentageOfNodesToScore, nodes.length);
    const feasible: NodeInfo[] = [];
    let processed = 0;
    for (; processed < nodes.length && feasible.length < wanted; processed++) {
      const node = nodes[(this.nextStartNodeIndex + processed) % nodes.length]!;
      const status = fwk.runFilters(state, pod, node, pre.skipped);
      if (status.code === 'Success') feasible.push(node);
      else if (status.code === 'Error') throw new SchedulingError(status);
      else {
        diagnosis.nodeStatuses.set(node.name, status);
        diagnosis.unschedulablePlugins.add(status.plugin!);
      }
    }
    this.nextStartNodeIndex = (this.nextStartNodeIndex + processed) % nodes.length;
    return { feasible, diagnosis };
  }

  /** The highest total; among equals, each is equally likely (reservoir sampling, as upstream). */
  private selectHost(nodes: readonly NodeInfo[], totals: readonly number[]): string {
    let best = 0;
    let ties = 1;
    for (let i = 1; i < nodes.length; i++) {
      if (totals[i]! > totals[best]!) {
        best = i;
        ties = 1;
      } else if (totals[i] === totals[best]) {
        ties++;
        if (this.random() * ties < 1) best = i;
      }
    }
    return nodes[best]!.name;
  }
}
