// PodTopologySpread's PreScore, Score and NormalizeScore for ScheduleAnyway constraints, as
// upstream's podtopologyspread/scoring.go. A node scores, per constraint, the matching pods of
// its domain times a weight log(domains + 2) (so small topologies are not watered down by big
// ones) plus maxSkew - 1; normalizing reverses it, so the emptiest domains score 100.

import type { NodeInfo } from '../../framework/node-info.js';
import { type CycleState, type NodeScore, type Pod, type Snapshot, type Status, maxNodeScore, skip, success } from '../../framework/types.js';
import { namespaceOf } from '../affinity-term.js';
import { labelValue } from '../label-selector.js';
import { type SpreadConstraint, labelHostname } from '../spread-constraints.js';
import { countMatchingPods, hasAllTopologyKeys, includesNode } from './counting.js';

const preScoreStateKey = 'PreScorePodTopologySpread';

interface PreScoreState {
  readonly constraints: readonly SpreadConstraint[];
  /** Feasible nodes without every topology label: they score 0. */
  readonly ignoredNodes: ReadonlySet<string>;
  /** Per constraint: matching pods per domain of the feasible nodes (hostname constraints count per node in Score). */
  readonly podCounts: readonly Map<string, number>[];
  readonly weights: readonly number[];
}

/**
 * `requireAllTopologies` is false only for the system defaults, so that nodes without a zone
 * label are still spread over by hostname.
 */
export function preScore(
  constraints: SpreadConstraint[] | { error: string },
  requireAllTopologies: boolean,
  state: CycleState,
  pod: Pod,
  nodes: readonly NodeInfo[],
  snapshot: Snapshot,
): Status {
  if (snapshot.nodes.length === 0) return skip;
  if ('error' in constraints) {
    return { code: 'Error', reasons: [`calculating preScoreState: obtaining pod's soft topology spread constraints: ${constraints.error}`] };
  }
  if (constraints.length === 0) return skip;
  const s = initialState(constraints, nodes, requireAllTopologies);
  countPods(s, pod, snapshot, requireAllTopologies);
  state.write(preScoreStateKey, s);
  return success;
}

export function score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
  const s = state.read<PreScoreState>(preScoreStateKey);
  if (s === undefined || s.ignoredNodes.has(nodeInfo.name)) return 0;
  let sum = 0;
  for (const [i, c] of s.constraints.entries()) {
    const domain = labelValue(nodeInfo.node.metadata.labels, c.topologyKey);
    if (domain === undefined) continue;
    const count = c.topologyKey === labelHostname ? countMatchingPods(nodeInfo, c, namespaceOf(pod)) : (s.podCounts[i]!.get(domain) ?? 0);
    sum += count * s.weights[i]! + (c.maxSkew - 1);
  }
  return Math.round(sum);
}

/** Reversed onto 0..100 against the highest score; ignored nodes get 0, and all 100 when every score is 0. */
export function normalizeScore(state: CycleState, _pod: Pod, scores: NodeScore[]): void {
  const s = state.read<PreScoreState>(preScoreStateKey);
  if (s === undefined) return;
  const counted = scores.filter((n) => !s.ignoredNodes.has(n.name)).map((n) => n.score);
  const min = Math.min(...counted);
  const max = Math.max(0, ...counted);
  for (const n of scores) {
    if (s.ignoredNodes.has(n.name)) n.score = 0;
    else n.score = max === 0 ? maxNodeScore : Math.floor((maxNodeScore * (max + min - n.score)) / max);
  }
}

/** The domains of the feasible nodes, each starting at 0 pods, and the weight of each constraint. */
function initialState(constraints: readonly SpreadConstraint[], nodes: readonly NodeInfo[], requireAllTopologies: boolean): PreScoreState {
  const ignoredNodes = new Set<string>();
  const podCounts = constraints.map(() => new Map<string, number>());
  for (const nodeInfo of nodes) {
    if (requireAllTopologies && !hasAllTopologyKeys(nodeInfo.node, constraints)) {
      ignoredNodes.add(nodeInfo.name);
      continue;
    }
    constraints.forEach((c, i) => {
      if (c.topologyKey !== labelHostname) podCounts[i]!.set(domainOf(nodeInfo, c), 0);
    });
  }
  const weights = constraints.map((c, i) => Math.log((c.topologyKey === labelHostname ? nodes.length - ignoredNodes.size : podCounts[i]!.size) + 2));
  return { constraints, ignoredNodes, podCounts, weights };
}

/**
 * Adds every node's matching pods to the domains of the feasible nodes. A constraint that
 * selects one controller's pods (the system defaults) walks only the nodes that hold some.
 */
function countPods(s: PreScoreState, pod: Pod, snapshot: Snapshot, requireAllTopologies: boolean): void {
  const namespace = namespaceOf(pod);
  s.constraints.forEach((c, i) => {
    const counts = s.podCounts[i]!;
    if (c.topologyKey === labelHostname) return; // counted per node in Score
    const nodes = c.controllerUid !== undefined && snapshot.nodesWithController ? snapshot.nodesWithController(c.controllerUid) : snapshot.nodes;
    for (const nodeInfo of nodes) {
      if (requireAllTopologies && !hasAllTopologyKeys(nodeInfo.node, s.constraints)) continue;
      const domain = domainOf(nodeInfo, c);
      if (!counts.has(domain) || !includesNode(c, pod, nodeInfo.node)) continue;
      counts.set(domain, counts.get(domain)! + countMatchingPods(nodeInfo, c, namespace));
    }
  });
}

/** Nodes without the label share the domain "" (only possible for the system defaults), as upstream. */
function domainOf(nodeInfo: NodeInfo, c: SpreadConstraint): string {
  return labelValue(nodeInfo.node.metadata.labels, c.topologyKey) ?? '';
}
