// prober_probe_total, as upstream's kubelet exports it: every probe run by its type and result.
// Probes that errored count as unknown. A pod's series go with its workers.
import { Counter, type Registry } from 'prom-client';
import type { ProbeType } from './worker-state.js';

export type ProbeMetricResult = 'successful' | 'failed' | 'unknown';

const metricName = 'prober_probe_total';
const labelNames = ['probe_type', 'result', 'container', 'pod', 'namespace'] as const;
type Labels = Record<(typeof labelNames)[number], string>;

/** Upstream's label values: Liveness, Readiness, Startup. */
export function probeTypeLabel(type: ProbeType): string {
  return type[0]!.toUpperCase() + type.slice(1);
}

export class ProbeMetrics {
  private readonly counter: Counter<(typeof labelNames)[number]>;

  constructor(registry: Registry) {
    // One registry may serve several managers (hollow nodes, tests): share the series.
    const existing = registry.getSingleMetric(metricName);
    this.counter =
      (existing as Counter<(typeof labelNames)[number]> | undefined) ??
      new Counter({ name: metricName, help: 'Cumulative number of a liveness, readiness or startup probe for a container by result.', labelNames, registers: [registry] });
  }

  count(type: ProbeType, result: ProbeMetricResult, pod: { name: string; namespace: string }, container: string): void {
    this.counter.inc(this.labels(type, result, pod, container));
  }

  /** Drops the series of one container's probe (its worker stopped). */
  forget(type: ProbeType, pod: { name: string; namespace: string }, container: string): void {
    for (const result of ['successful', 'failed', 'unknown'] as const) this.counter.remove(this.labels(type, result, pod, container));
  }

  private labels(type: ProbeType, result: ProbeMetricResult, pod: { name: string; namespace: string }, container: string): Labels {
    return { probe_type: probeTypeLabel(type), result, container, pod: pod.name, namespace: pod.namespace };
  }
}
