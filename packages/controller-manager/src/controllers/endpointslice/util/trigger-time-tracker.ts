// The time written as `endpoints.kubernetes.io/last-change-trigger-time`, as upstream's
// TriggerTimeTracker: the earliest of the changes (a pod's Ready transition, the Service's
// creation) seen since the previous sync of the Service, or the Service's creation on its first
// sync; none when nothing changed. It may be wrong when one object changes twice between two
// syncs, an approximation upstream accepts too.

import type { Pod, Service } from '@kubets/api';
import { podReadyCondition } from '../../../controller/util/pod-status.js';

export const lastChangeTriggerTimeAnnotation = 'endpoints.kubernetes.io/last-change-trigger-time';

interface ServiceState {
  serviceTriggerMs: number | undefined;
  podTriggerMs: Map<string, number>;
}

export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>();

  /**
   * Records what this sync sees and returns the trigger time to write (RFC 3339), or undefined to
   * write none. Call it on every sync, changed or not, so the next sync compares with this one.
   */
  compute(service: Service, pods: readonly Pod[]): string | undefined {
    const key = `${service.metadata?.namespace}/${service.metadata?.name}`;
    const previous = this.states.get(key);
    let earliest: number | undefined;
    const podTriggerMs = new Map<string, number>();
    for (const pod of pods) {
      const t = parseTime(podReadyCondition(pod)?.lastTransitionTime);
      if (t === undefined) continue;
      podTriggerMs.set(pod.metadata!.name!, t);
      if (t > (previous?.podTriggerMs.get(pod.metadata!.name!) ?? -Infinity)) earliest = min(earliest, t);
    }
    const serviceTriggerMs = parseTime(service.metadata?.creationTimestamp);
    if (serviceTriggerMs !== undefined && serviceTriggerMs > (previous?.serviceTriggerMs ?? -Infinity)) earliest = min(earliest, serviceTriggerMs);
    this.states.set(key, { serviceTriggerMs, podTriggerMs });
    const result = previous === undefined ? serviceTriggerMs : earliest;
    return result === undefined ? undefined : formatRfc3339(result);
  }

  deleteService(namespace: string, name: string): void {
    this.states.delete(`${namespace}/${name}`);
  }
}

function parseTime(s: string | null | undefined): number | undefined {
  if (s === undefined || s === null || s === '') return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

function min(a: number | undefined, b: number): number {
  return a === undefined || b < a ? b : a;
}

/** Go's time.RFC3339Nano in UTC: fractional seconds only when there are some, without trailing zeros. */
export function formatRfc3339(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.replace(/\.(\d*?)0*Z$/, (_, frac: string) => (frac === '' ? 'Z' : `.${frac}Z`));
}
