// How the context gets each new queue's metric sinks: Prometheus in the process, none in tests.

import type { QueueMetricSinks, RateLimitingQueue } from '@kubets/client';

export interface QueueMetricsFactory {
  sinksFor(name: string): QueueMetricSinks | undefined;
  track(queue: RateLimitingQueue<unknown>): void;
}

export const noQueueMetrics: QueueMetricsFactory = { sinksFor: () => undefined, track() {} };
