// A pod as the queue holds it, as upstream's framework.QueuedPodInfo: when it arrived, how many
// times it was tried, and which plugins turned it away last time (they decide which cluster
// events can wake it).

import { podKey } from '../framework/node-info.js';
import type { Pod } from '../framework/types.js';

export interface QueuedPodInfo {
  pod: Pod;
  key: string;
  /** When it last entered a queue: the active queue's tie-break and the start of its back-off. */
  timestamp: number;
  /** When it was first added, for the scheduling SLI (time from arrival to bound). */
  initialAttemptTimestamp: number;
  attempts: number;
  unschedulablePlugins: Set<string>;
}

export function newQueuedPodInfo(pod: Pod, now: number): QueuedPodInfo {
  return { pod, key: podKey(pod), timestamp: now, initialAttemptTimestamp: now, attempts: 0, unschedulablePlugins: new Set() };
}

/** Upstream's PrioritySort: higher priority first, then the one that has waited longer. */
export function prioritySortLess(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
  const pa = a.pod.spec.priority ?? 0;
  const pb = b.pod.spec.priority ?? 0;
  return pa > pb || (pa === pb && a.timestamp < b.timestamp);
}
