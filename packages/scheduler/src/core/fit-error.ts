// Why a pod fits nowhere, in upstream's words (framework.FitError and DefaultPreemption's
// message): a histogram of the nodes' reasons, then what preemption would say. kubets does not
// preempt; the preemption part says what upstream's would for a pod with no lower-priority
// victims: nodes that failed a filter preemption could help with have "No preemption victims
// found for incoming pod", the others "Preemption is not helpful for scheduling".

import type { Status } from '../framework/types.js';

export interface Diagnosis {
  /** Each rejected node's status (the first filter that turned it away). */
  nodeStatuses: Map<string, Status>;
  /** A PreFilter rejection, which ruled out every node at once. */
  preFilterStatus?: Status;
  /** The plugins that rejected the pod anywhere: the queue wakes it on their events. */
  unschedulablePlugins: Set<string>;
}

export const noNodesAvailable = 'no nodes available to schedule pods';

function histogram(reasons: Iterable<string>): string[] {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
}

function* reasonsOf(statuses: Iterable<Status>): Iterable<string> {
  for (const s of statuses) yield* s.reasons;
}

function preemptionMessage(numNodes: number, statuses: Iterable<Status>, pod: { preemptionPolicy?: string }): string {
  if (pod.preemptionPolicy === 'Never') return 'preemption: not eligible due to preemptionPolicy=Never.';
  const verdicts = [...statuses].map((s) =>
    s.code === 'UnschedulableAndUnresolvable' ? 'Preemption is not helpful for scheduling' : 'No preemption victims found for incoming pod',
  );
  return `preemption: 0/${numNodes} nodes are available: ${histogram(verdicts).join(', ')}.`;
}

export function fitErrorMessage(numNodes: number, diagnosis: Diagnosis, pod: { preemptionPolicy?: string } = {}): string {
  if (numNodes === 0) return noNodesAvailable;
  let message = `0/${numNodes} nodes are available:`;
  if (diagnosis.preFilterStatus !== undefined) message += ` ${diagnosis.preFilterStatus.reasons.join(', ')}.`;
  else {
    const reasons = histogram(reasonsOf(diagnosis.nodeStatuses.values()));
    if (reasons.length > 0) message += ` ${reasons.join(', ')}.`;
  }
  const statuses = diagnosis.preFilterStatus !== undefined
    ? new Array<Status>(numNodes).fill(diagnosis.preFilterStatus)
    : [...diagnosis.nodeStatuses.values()];
  return `${message} ${preemptionMessage(numNodes, statuses, pod)}`;
}

export class FitError extends Error {
  constructor(
    readonly numAllNodes: number,
    readonly diagnosis: Diagnosis,
    pod: { preemptionPolicy?: string } = {},
  ) {
    super(fitErrorMessage(numAllNodes, diagnosis, pod));
    this.name = 'FitError';
  }
}
