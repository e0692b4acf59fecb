// The scheduler's metrics, with upstream's names and labels (pkg/scheduler/metrics), so that
// dashboards made for kube-scheduler read them.

import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { QueueName } from './queue/scheduling-queue.js';

export type AttemptResult = 'scheduled' | 'unschedulable' | 'error';

export class SchedulerMetrics {
  readonly attempts: Counter<'result' | 'profile'>;
  readonly attemptDuration: Histogram<'result' | 'profile'>;
  readonly sliDuration: Histogram<'attempts'>;
  readonly incomingPods: Counter<'queue' | 'event'>;
  readonly bindingDuration: Histogram;

  constructor(registry: Registry, pending: () => Record<QueueName, number>) {
    const registers = [registry];
    this.attempts = new Counter({
      name: 'scheduler_schedule_attempts_total',
      help: 'Number of attempts to schedule pods, by the result. \'unschedulable\' means a pod could not be scheduled, while \'error\' means an internal scheduler problem.',
      labelNames: ['result', 'profile'],
      registers,
    });
    this.attemptDuration = new Histogram({
      name: 'scheduler_scheduling_attempt_duration_seconds',
      help: 'Scheduling attempt latency in seconds (scheduling algorithm + binding)',
      labelNames: ['result', 'profile'],
      buckets: exponential(0.001, 2, 15),
      registers,
    });
    this.sliDuration = new Histogram({
      name: 'scheduler_pod_scheduling_sli_duration_seconds',
      help: 'E2e latency for a pod being scheduled, from the time the pod enters the scheduling queue and might involve multiple scheduling attempts.',
      labelNames: ['attempts'],
      buckets: exponential(0.01, 2, 20),
      registers,
    });
    this.incomingPods = new Counter({
      name: 'scheduler_queue_incoming_pods_total',
      help: 'Number of pods added to scheduling queues by event and queue type.',
      labelNames: ['queue', 'event'],
      registers,
    });
    this.bindingDuration = new Histogram({
      name: 'scheduler_binding_duration_seconds',
      help: 'Binding latency in seconds',
      buckets: exponential(0.001, 2, 15),
      registers,
    });
    new Gauge({
      name: 'scheduler_pending_pods',
      help: 'Number of pending pods, by the queue type. \'active\' means number of pods in activeQ; \'backoff\' means number of pods in backoffQ; \'unschedulable\' means number of pods in unschedulablePods; \'gated\' is the number of unschedulable pods that are gated.',
      labelNames: ['queue'],
      registers,
      collect() {
        const counts = pending();
        for (const queue of ['active', 'backoff', 'unschedulable'] as const) this.set({ queue }, counts[queue]);
        this.set({ queue: 'gated' }, 0);
      },
    });
  }
}

function exponential(start: number, factor: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => start * factor ** i);
}
