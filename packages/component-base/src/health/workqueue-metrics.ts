// Upstream's workqueue metrics in Prometheus, labelled by the queue's name, as client-go's
// workqueue metrics provider registers them in kube-controller-manager.

import type { QueueMetricSinks, RateLimitingQueue } from '@kubets/client';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** client-go's buckets: 1 ns to 10 s, by tens. */
const durationBuckets = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 0.01, 0.1, 1, 10];

export class WorkqueueMetrics {
  private readonly queues: RateLimitingQueue<unknown>[] = [];
  private readonly depth: Gauge;
  private readonly adds: Counter;
  private readonly latency: Histogram;
  private readonly workDuration: Histogram;
  private readonly retries: Counter;
  private readonly unfinishedWork: Gauge;
  private readonly longestRunning: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    const labelNames = ['name'];
    this.depth = new Gauge({ name: 'workqueue_depth', help: 'Current depth of workqueue', labelNames, registers });
    this.adds = new Counter({ name: 'workqueue_adds_total', help: 'Total number of adds handled by workqueue', labelNames, registers });
    this.latency = new Histogram({
      name: 'workqueue_queue_duration_seconds', help: 'How long in seconds an item stays in workqueue before being requested.',
      labelNames, buckets: durationBuckets, registers,
    });
    this.workDuration = new Histogram({
      name: 'workqueue_work_duration_seconds', help: 'How long in seconds processing an item from workqueue takes.',
      labelNames, buckets: durationBuckets, registers,
    });
    this.retries = new Counter({ name: 'workqueue_retries_total', help: 'Total number of retries handled by workqueue', labelNames, registers });
    const queues = this.queues;
    this.unfinishedWork = new Gauge({
      name: 'workqueue_unfinished_work_seconds',
      help: 'How many seconds of work has been done that is in progress and hasn\'t been observed by work_duration.',
      labelNames, registers,
      collect() {
        for (const q of queues) q.updateUnfinishedWorkMetrics();
      },
    });
    this.longestRunning = new Gauge({
      name: 'workqueue_longest_running_processor_seconds',
      help: 'How many seconds has the longest running processor for workqueue been running.',
      labelNames, registers,
    });
  }

  /** The sinks for one queue's metrics. */
  sinksFor(name: string): QueueMetricSinks {
    const labels = { name };
    // Every series exists from the queue's start, at 0, as client-go makes them with the queue.
    this.depth.set(labels, 0);
    this.adds.inc(labels, 0);
    this.retries.inc(labels, 0);
    this.unfinishedWork.set(labels, 0);
    this.longestRunning.set(labels, 0);
    return {
      depth: { inc: () => this.depth.inc(labels), dec: () => this.depth.dec(labels) },
      adds: { inc: () => this.adds.inc(labels) },
      latency: { observe: (s) => this.latency.observe(labels, s) },
      workDuration: { observe: (s) => this.workDuration.observe(labels, s) },
      retries: { inc: () => this.retries.inc(labels) },
      unfinishedWork: { set: (s) => this.unfinishedWork.set(labels, s) },
      longestRunningProcessor: { set: (s) => this.longestRunning.set(labels, s) },
    };
  }

  /** A queue whose work-in-hand gauges are refreshed at each scrape. */
  track(queue: RateLimitingQueue<unknown>): void {
    this.queues.push(queue);
  }
}
