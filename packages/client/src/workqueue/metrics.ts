// A workqueue's metrics, as client-go's: the queue tells its recorder of every add, get, done
// and retry; the recorder keeps when each key was added and taken, and reports through sinks
// that the process provides (Prometheus in kubets components), so the client itself has no
// metrics library. Names and meanings are upstream's workqueue_* metrics.

import type { Clock } from '../clock/clock.js';

export interface QueueMetricSinks {
  /** workqueue_depth */
  depth: { inc(): void; dec(): void };
  /** workqueue_adds_total */
  adds: { inc(): void };
  /** workqueue_queue_duration_seconds: from add to get. */
  latency: { observe(seconds: number): void };
  /** workqueue_work_duration_seconds: from get to done. */
  workDuration: { observe(seconds: number): void };
  /** workqueue_retries_total */
  retries: { inc(): void };
  /** workqueue_unfinished_work_seconds: the time the keys in hand have been in hand, summed. */
  unfinishedWork: { set(seconds: number): void };
  /** workqueue_longest_running_processor_seconds */
  longestRunningProcessor: { set(seconds: number): void };
}

export class QueueMetricsRecorder<T> {
  private readonly addedAt = new Map<T, number>();
  private readonly takenAt = new Map<T, number>();

  constructor(private readonly sinks: QueueMetricSinks, private readonly clock: Clock) {}

  add(item: T): void {
    this.sinks.adds.inc();
    this.sinks.depth.inc();
    if (!this.addedAt.has(item)) this.addedAt.set(item, this.clock.now());
  }

  get(item: T): void {
    this.sinks.depth.dec();
    const now = this.clock.now();
    this.takenAt.set(item, now);
    const added = this.addedAt.get(item);
    if (added !== undefined) this.sinks.latency.observe((now - added) / 1000);
    this.addedAt.delete(item);
  }

  done(item: T): void {
    const taken = this.takenAt.get(item);
    if (taken === undefined) return;
    this.sinks.workDuration.observe((this.clock.now() - taken) / 1000);
    this.takenAt.delete(item);
  }

  retry(): void {
    this.sinks.retries.inc();
  }

  /** Refreshes the two gauges about keys in hand; call before a scrape. */
  updateUnfinishedWork(): void {
    const now = this.clock.now();
    let total = 0;
    let longest = 0;
    for (const t of this.takenAt.values()) {
      const s = (now - t) / 1000;
      total += s;
      longest = Math.max(longest, s);
    }
    this.sinks.unfinishedWork.set(total);
    this.sinks.longestRunningProcessor.set(longest);
  }
}
