// NodePorts: a pod that asks for host ports fits only a node where no pod holds the same
// protocol/port on the same address; 0.0.0.0 (every address) clashes with any address.

import { type HostPort, hostPortsOf } from '../framework/node-info.js';
import { type FilterPlugin, type Pod, type PreFilterPlugin, skip, success, unschedulable } from '../framework/types.js';
import { missingStateError } from './error-status.js';

export const nodePortsName = 'NodePorts';
export const errReasonNodePorts = "node(s) didn't have free ports for the requested pod ports";

const preFilterStateKey = `PreFilter${nodePortsName}`;
const anyAddress = '0.0.0.0';

function conflicts(wanted: HostPort, used: HostPort): boolean {
  if (wanted.protocol !== used.protocol || wanted.port !== used.port) return false;
  return wanted.ip === anyAddress || used.ip === anyAddress || wanted.ip === used.ip;
}

export function newNodePorts(): PreFilterPlugin & FilterPlugin {
  return {
    name: nodePortsName,
    preFilter(state, pod) {
      const wanted = hostPortsOf(pod);
      if (wanted.length === 0) return skip;
      state.write(preFilterStateKey, wanted);
      return success;
    },
    filter(state, _pod, node) {
      const wanted = state.read<HostPort[]>(preFilterStateKey);
      if (wanted === undefined) return missingStateError(preFilterStateKey);
      const used = node.usedPorts;
      return wanted.some((w) => used.some((u) => conflicts(w, u))) ? unschedulable(errReasonNodePorts) : success;
    },
  };
}
