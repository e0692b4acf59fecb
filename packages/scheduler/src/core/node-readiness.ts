// Nodes that are not Ready are left out before the filters run, as the scheduler's node lister
// once did, unless the pod tolerates the taint the node lifecycle controller puts on such a node
// (node.kubernetes.io/not-ready, or unreachable when the kubelet stopped reporting), as
// DaemonSet pods do. A node with no Ready condition yet counts as ready: a node object written
// without a kubelet (tests, benchmarks) is schedulable.

import type { NodeInfo } from '../framework/node-info.js';
import type { Node, Pod } from '../framework/types.js';
import { tolerationsTolerateTaint } from '../plugins/tolerations.js';

export const notReadyTaint = 'node.kubernetes.io/not-ready';
export const unreachableTaint = 'node.kubernetes.io/unreachable';

/** Per Node object (an update brings a new one): every cycle asks for every node. */
const memo = new WeakMap<Node, string | null>();

/** The taint key a not-Ready node stands for, or undefined when the node is Ready. */
export function notReadyTaintOf(node: Node): string | undefined {
  let taint = memo.get(node);
  if (taint === undefined) {
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    taint = ready === undefined || ready.status === 'True' ? null : ready.status === 'Unknown' ? unreachableTaint : notReadyTaint;
    memo.set(node, taint);
  }
  return taint ?? undefined;
}

export function schedulableByReadiness(pod: Pod, node: NodeInfo): boolean {
  const taint = notReadyTaintOf(node.node);
  return taint === undefined || tolerationsTolerateTaint(pod.spec.tolerations, { key: taint, effect: 'NoSchedule' });
}

/** Whether the pod may go to some node that is not Ready (it tolerates one of their NoSchedule taints). */
export function toleratesNotReady(pod: Pod): boolean {
  const tolerations = pod.spec.tolerations;
  if (tolerations === undefined || tolerations.length === 0) return false;
  return [notReadyTaint, unreachableTaint].some((key) => tolerationsTolerateTaint(tolerations, { key, effect: 'NoSchedule' }));
}
