// A pod the scheduler could not place says why in its status, as upstream's
// updatePod(PodScheduled=False): reason Unschedulable (or SchedulerError) and the message. The
// write is a strategic merge patch of the one condition, so the kubelet's conditions stay, and is
// skipped when the condition already says the same.

import type { KubeClient } from '@kubets/client';
import type { Pod } from '../framework/types.js';

export interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
}

export function unscheduledCondition(reason: string, message: string): PodCondition {
  return { type: 'PodScheduled', status: 'False', reason, message };
}

function sameCondition(a: PodCondition | undefined, b: PodCondition): boolean {
  return a !== undefined && a.status === b.status && a.reason === b.reason && a.message === b.message;
}

/** Writes the condition unless the pod has it already; resolves false when nothing was written. */
export async function updatePodCondition(client: KubeClient, pod: Pod, condition: PodCondition, now = new Date()): Promise<boolean> {
  const conditions = (pod.status?.conditions ?? []) as PodCondition[];
  const current = conditions.find((c) => c.type === condition.type);
  if (sameCondition(current, condition)) return false;
  const lastTransitionTime = current?.status === condition.status && current.lastTransitionTime !== undefined
    ? current.lastTransitionTime
    : now.toISOString().replace(/\.\d+Z$/, 'Z');
  const patch = { status: { conditions: [{ ...condition, lastProbeTime: null, lastTransitionTime }] } };
  await client.patchStatus('pods', pod.metadata.namespace ?? 'default', pod.metadata.name, patch, { type: 'strategic' });
  return true;
}
