// Counting the pods a spread constraint selects, shared by PodTopologySpread's filter and score.

import type { NodeInfo } from '../../framework/node-info.js';
import type { Node, Pod } from '../../framework/types.js';
import { namespaceOf } from '../affinity-term.js';
import { labelValue } from '../label-selector.js';
import type { SpreadConstraint } from '../spread-constraints.js';
import { matchesNodeSelectorAndAffinity, toleratesNodeTaints } from './node-inclusion.js';

/** Pods on the node the constraint selects, in `namespace` and not terminating (upstream countPodsMatchSelector). */
export function countMatchingPods(nodeInfo: NodeInfo, c: SpreadConstraint, namespace: string): number {
  // An owner's uid is unique in the cluster, so its pods are all in its namespace.
  if (c.controllerUid !== undefined) return nodeInfo.podsByController.get(c.controllerUid) ?? 0;
  let count = 0;
  for (const { pod } of nodeInfo.pods.values()) {
    if (pod.metadata.deletionTimestamp === undefined && namespaceOf(pod) === namespace && c.selects(pod)) count++;
  }
  return count;
}

/** Whether the node has the topology label of every constraint (upstream nodeLabelsMatchSpreadConstraints). */
export function hasAllTopologyKeys(node: Node, constraints: readonly SpreadConstraint[]): boolean {
  return constraints.every((c) => labelValue(node.metadata.labels, c.topologyKey) !== undefined);
}

/** Whether the node's pods count for the constraint under its node inclusion policies. */
export function includesNode(c: SpreadConstraint, pod: Pod, node: Node): boolean {
  if (c.nodeAffinityPolicy === 'Honor' && !matchesNodeSelectorAndAffinity(pod, node)) return false;
  return c.nodeTaintsPolicy === 'Ignore' || toleratesNodeTaints(pod, node, ['NoSchedule', 'NoExecute']);
}
