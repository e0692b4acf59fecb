// NodeName: a pod that names its node (spec.nodeName) fits only that node.

import { type FilterPlugin, success, unresolvable } from '../framework/types.js';

export const nodeNameName = 'NodeName';
export const errReasonNodeName = "node(s) didn't match the requested node name";

export function newNodeName(): FilterPlugin {
  return {
    name: nodeNameName,
    filter(_state, pod, node) {
      const wanted = pod.spec.nodeName;
      return !wanted || wanted === node.name ? success : unresolvable(errReasonNodeName);
    },
  };
}
