// The writes the node controllers make: a node's taints swapped (conditional on its
// resourceVersion, re-read on conflict, as upstream's AddOrUpdateTaintOnNode and
// RemoveTaintOffNode) and pods marked not Ready (upstream's MarkPodsNotReady).

import type { Node, Pod, Taint } from '@kubets/api';
import { type EventRecorder, isConflict, isNotFound, type KubeClient } from '@kubets/client';
import { apiTime, errorText, findCondition } from './conditions.js';
import { swapTaints } from './taints.js';

const conflictRetries = 5;

/**
 * Adds `add` (stamped timeAdded = now) and removes `remove` from the node's taints. Returns
 * false when the node is gone; true when its taints are as asked. Writes only on a change.
 */
export async function swapNodeTaints(client: KubeClient, node: Node, add: readonly Taint[], remove: readonly Taint[], now: number): Promise<boolean> {
  let current = node;
  for (let attempt = 0; ; attempt++) {
    const taints = swapTaints(current.spec?.taints, add, remove, apiTime(now));
    if (taints === undefined) return true;
    try {
      await client.update<Node>('nodes', undefined, { ...current, spec: { ...current.spec, taints } });
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      if (!isConflict(e) || attempt + 1 >= conflictRetries) throw e;
    }
    try {
      current = await client.get<Node>('nodes', undefined, current.metadata!.name!);
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }
}

/** The pod with its Ready condition False, or undefined when it has none or it is False already. */
export function podMarkedNotReady(pod: Pod, now: number): Pod | undefined {
  const ready = findCondition(pod.status?.conditions, 'Ready');
  if (ready === undefined || ready.status === 'False') return undefined;
  const conditions = (pod.status?.conditions ?? []).map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: apiTime(now) } : c));
  return { ...pod, status: { ...pod.status, conditions } };
}

/**
 * Sets Ready=False on each pod bound to the node and tells of it with a NodeNotReady Event.
 * A pod already gone is skipped; other failures are collected and thrown together at the end.
 */
export async function markPodsNotReady(client: KubeClient, recorder: EventRecorder, pods: readonly Pod[], nodeName: string, now: number): Promise<void> {
  const failures: string[] = [];
  for (const pod of pods) {
    if (pod.spec?.nodeName !== nodeName) continue;
    const updated = podMarkedNotReady(pod, now);
    if (updated === undefined) continue;
    try {
      await client.updateStatus<Pod>('pods', pod.metadata?.namespace, updated);
      recorder.event(updated, 'Warning', 'NodeNotReady', 'Node is not ready');
    } catch (e) {
      if (!isNotFound(e)) failures.push(`${pod.metadata?.namespace}/${pod.metadata?.name}: ${errorText(e)}`);
    }
  }
  if (failures.length > 0) throw new Error(`unable to mark pods NotReady on node ${nodeName}: ${failures.join('; ')}`);
}
