// NodePorts: a pod that asks for host ports fits only a node where no pod holds the same
// protocol/port on the same address; 0.0.0.0 (every address) clashes with any address.

import type { HostPort, NodeInfo } from '../framework/node-info.js';
import { type FilterPlugin, type Pod, type PreFilterPlugin, skip, success, unschedulable } from '../framework/types.js';
import { missingStateError } from './error-status.js';

export const nodePortsName = 'NodePorts';
export const errReasonNodePorts = "node(s) didn't have free ports for the requested pod ports";

const preFilterStateKey = `PreFilter${nodePortsName}`;
const anyAddress = '0.0.0.0';

/**
 * The host ports a pod holds, as upstream's util.GetHostPorts: those of its containers and of its
 * sidecars (init containers with restartPolicy Always), which run for the pod's whole life. A
 * plain init container has exited before the containers start, so its ports are free again.
 */
export function podHostPorts(pod: Pod): HostPort[] {
  const sidecars = (pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  return [...sidecars, ...pod.spec.containers].flatMap((c) =>
    (c.ports ?? [])
      .filter((p) => p.hostPort !== undefined && p.hostPort > 0)
      .map((p) => ({ ip: p.hostIP || anyAddress, protocol: p.protocol || 'TCP', port: p.hostPort as number })),
  );
}

function conflicts(wanted: HostPort, used: HostPort): boolean {
  if (wanted.protocol !== used.protocol || wanted.port !== used.port) return false;
  return wanted.ip === anyAddress || used.ip === anyAddress || wanted.ip === used.ip;
}

/**
 * The ports held on the node, from its pods: NodeInfo.usedPorts counts plain init containers'
 * ports too (framework's hostPortsOf), which would refuse pods that fit.
 */
const usedPorts = (node: NodeInfo): HostPort[] => [...node.pods.values()].flatMap((info) => podHostPorts(info.pod));

export function newNodePorts(): PreFilterPlugin & FilterPlugin {
  return {
    name: nodePortsName,
    preFilter(state, pod) {
      const wanted = podHostPorts(pod);
      if (wanted.length === 0) return skip;
      state.write(preFilterStateKey, wanted);
      return success;
    },
    filter(state, _pod, node) {
      const wanted = state.read<HostPort[]>(preFilterStateKey);
      if (wanted === undefined) return missingStateError(preFilterStateKey);
      const used = usedPorts(node);
      return wanted.some((w) => used.some((u) => conflicts(w, u))) ? unschedulable(errReasonNodePorts) : success;
    },
  };
}
