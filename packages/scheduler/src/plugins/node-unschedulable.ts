// NodeUnschedulable: a cordoned node (spec.unschedulable) takes only pods that tolerate the taint
// the node lifecycle controller puts on it, node.kubernetes.io/unschedulable:NoSchedule.

import { type FilterPlugin, success, unresolvable } from '../framework/types.js';
import { tolerationsTolerateTaint } from './tolerations.js';

export const nodeUnschedulableName = 'NodeUnschedulable';
export const errReasonUnschedulable = 'node(s) were unschedulable';

const unschedulableTaint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export function newNodeUnschedulable(): FilterPlugin {
  return {
    name: nodeUnschedulableName,
    filter(_state, pod, node) {
      if (node.node.spec?.unschedulable !== true) return success;
      return tolerationsTolerateTaint(pod.spec.tolerations, unschedulableTaint) ? success : unresolvable(errReasonUnschedulable);
    },
  };
}
