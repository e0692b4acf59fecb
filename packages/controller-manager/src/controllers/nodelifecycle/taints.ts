// The taints the node lifecycle controller owns (v1.TaintNode* keys), which of them a node
// should carry given its conditions, and taint-list arithmetic. Pure: no client, no clock.

import type { Node, Taint } from '@kubets/api';

export const taintKeys = {
  notReady: 'node.kubernetes.io/not-ready',
  unreachable: 'node.kubernetes.io/unreachable',
  unschedulable: 'node.kubernetes.io/unschedulable',
  memoryPressure: 'node.kubernetes.io/memory-pressure',
  diskPressure: 'node.kubernetes.io/disk-pressure',
  pidPressure: 'node.kubernetes.io/pid-pressure',
  networkUnavailable: 'node.kubernetes.io/network-unavailable',
} as const;

export const unreachableTaint: Taint = { key: taintKeys.unreachable, effect: 'NoExecute' };
export const notReadyTaint: Taint = { key: taintKeys.notReady, effect: 'NoExecute' };

/** Which condition status maps to which taint key (upstream's nodeConditionToTaintKeyStatusMap). */
const conditionTaintKeys: Record<string, Record<string, string>> = {
  Ready: { False: taintKeys.notReady, Unknown: taintKeys.unreachable },
  MemoryPressure: { True: taintKeys.memoryPressure },
  DiskPressure: { True: taintKeys.diskPressure },
  NetworkUnavailable: { True: taintKeys.networkUnavailable },
  PIDPressure: { True: taintKeys.pidPressure },
};

const conditionTaintKeySet = new Set(Object.values(conditionTaintKeys).flatMap((m) => Object.values(m)));

/** Same key and effect: upstream's MatchTaint (the value and time do not count). */
export function matchTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect;
}

export function taintExists(taints: readonly Taint[] | undefined, t: Taint): boolean {
  return (taints ?? []).some((x) => matchTaint(x, t));
}

/** The NoSchedule taints a node's conditions and spec.unschedulable call for (doNoScheduleTaintingPass). */
export function desiredNoScheduleTaints(node: Node): Taint[] {
  const out: Taint[] = [];
  for (const c of node.status?.conditions ?? []) {
    const key = conditionTaintKeys[c.type]?.[c.status];
    if (key !== undefined) out.push({ key, effect: 'NoSchedule' });
  }
  if (node.spec?.unschedulable === true) out.push({ key: taintKeys.unschedulable, effect: 'NoSchedule' });
  return out;
}

/** The NoSchedule taints this controller manages that the node carries now. */
function managedNoScheduleTaints(node: Node): Taint[] {
  return (node.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' && (t.key === taintKeys.unschedulable || conditionTaintKeySet.has(t.key)));
}

/** What to add and remove so the node's managed NoSchedule taints match its conditions. */
export function noScheduleTaintChanges(node: Node): { add: Taint[]; remove: Taint[] } {
  const want = desiredNoScheduleTaints(node);
  const have = managedNoScheduleTaints(node);
  return {
    add: want.filter((t) => !taintExists(have, t)),
    remove: have.filter((t) => !taintExists(want, t)),
  };
}

/**
 * The taint list after adding `add` (stamped with timeAdded) and removing `remove`, or
 * undefined when nothing would change. A taint already present keeps its own timeAdded.
 */
export function swapTaints(current: readonly Taint[] | undefined, add: readonly Taint[], remove: readonly Taint[], timeAdded: string): Taint[] | undefined {
  const kept = (current ?? []).filter((t) => !remove.some((r) => matchTaint(r, t)));
  const added = add.filter((a) => !taintExists(kept, a)).map((a) => ({ ...a, timeAdded }));
  if (kept.length === (current ?? []).length && added.length === 0) return undefined;
  return [...kept, ...added];
}

/** The NoExecute taint that stands for a Ready status, and its opposite (they exclude each other). */
export function noExecuteTaintFor(readyStatus: string): { taint: Taint; opposite: Taint } | undefined {
  if (readyStatus === 'False') return { taint: notReadyTaint, opposite: unreachableTaint };
  if (readyStatus === 'Unknown') return { taint: unreachableTaint, opposite: notReadyTaint };
  return undefined;
}
