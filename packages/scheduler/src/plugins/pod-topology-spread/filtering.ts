// PodTopologySpread's PreFilter and Filter for DoNotSchedule constraints, as upstream's
// podtopologyspread/filtering.go. PreFilter counts the matching pods per topology domain over
// the nodes that count for each constraint; Filter then allows a node when placing the pod in its
// domain keeps the skew (its count + 1 - the smallest count) within maxSkew.

import type { NodeInfo } from '../../framework/node-info.js';
import { type CycleState, type Pod, type Snapshot, type Status, skip, success, unresolvable, unschedulable } from '../../framework/types.js';
import { namespaceOf } from '../affinity-term.js';
import { labelValue } from '../label-selector.js';
import type { SpreadConstraint } from '../spread-constraints.js';
import { countMatchingPods, hasAllTopologyKeys, includesNode } from './counting.js';

export const errReasonConstraintsNotMatch = "node(s) didn't match pod topology spread constraints";
export const errReasonNodeLabelNotMatch = `${errReasonConstraintsNotMatch} (missing required label)`;

const preFilterStateKey = 'PreFilterPodTopologySpread';

interface PreFilterState {
  readonly constraints: readonly SpreadConstraint[];
  /** Per constraint: matching pods per domain (topology value). */
  readonly matchCounts: readonly Map<string, number>[];
  /** Per constraint: the global minimum its skew is measured from. */
  readonly minimums: readonly number[];
}

export function preFilter(constraints: SpreadConstraint[] | { error: string }, state: CycleState, pod: Pod, snapshot: Snapshot): Status {
  if ('error' in constraints) {
    return { code: 'Error', reasons: [`get constraints from pod: obtaining pod's hard topology spread constraints: ${constraints.error}`] };
  }
  if (constraints.length === 0) return skip;
  const matchCounts = countPerDomain(pod, constraints, snapshot.nodes);
  const minimums = constraints.map((c, i) => globalMinimum(matchCounts[i]!, c.minDomains));
  state.write(preFilterStateKey, { constraints, matchCounts, minimums } satisfies PreFilterState);
  return success;
}

export function filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
  const s = state.read<PreFilterState>(preFilterStateKey);
  if (s === undefined) return { code: 'Error', reasons: [`reading "${preFilterStateKey}" from cycleState: not found`] };
  for (const [i, c] of s.constraints.entries()) {
    const domain = labelValue(nodeInfo.node.metadata.labels, c.topologyKey);
    if (domain === undefined) return unresolvable(errReasonNodeLabelNotMatch);
    const selfMatch = c.selects(pod) ? 1 : 0;
    if ((s.matchCounts[i]!.get(domain) ?? 0) + selfMatch - s.minimums[i]! > c.maxSkew) return unschedulable(errReasonConstraintsNotMatch);
  }
  return success;
}

/** Only nodes with every constraint's topology label count, each for the constraints that include it. */
function countPerDomain(pod: Pod, constraints: readonly SpreadConstraint[], nodes: readonly NodeInfo[]): Map<string, number>[] {
  const counts = constraints.map(() => new Map<string, number>());
  const namespace = namespaceOf(pod);
  for (const nodeInfo of nodes) {
    if (!hasAllTopologyKeys(nodeInfo.node, constraints)) continue;
    constraints.forEach((c, i) => {
      if (!includesNode(c, pod, nodeInfo.node)) return;
      const domain = labelValue(nodeInfo.node.metadata.labels, c.topologyKey)!;
      counts[i]!.set(domain, (counts[i]!.get(domain) ?? 0) + countMatchingPods(nodeInfo, c, namespace));
    });
  }
  return counts;
}

/** The fewest matching pods in a domain; 0 while there are fewer domains than minDomains. */
function globalMinimum(counts: Map<string, number>, minDomains: number): number {
  return counts.size < minDomains ? 0 : Math.min(...counts.values());
}
