// Which nodes count for a spread constraint (its node inclusion policies): those matching the
// pod's nodeSelector and required node affinity (nodeAffinityPolicy Honor), and those whose
// NoSchedule/NoExecute taints the pod tolerates (nodeTaintsPolicy Honor): what NodeAffinity and
// TaintToleration decide, from their helpers.

export { matchesNodeSelectorAndAffinity } from '../required-node-affinity.js';
export { toleratesNodeTaints } from '../tolerations.js';
