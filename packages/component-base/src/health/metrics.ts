// The Prometheus registry a process serves on /metrics. Every process starts from prom-client's
// default metrics (process_cpu_seconds_total, process_resident_memory_bytes, nodejs_eventloop_lag_*,
// nodejs_heap_size_*...), the Node.js counterpart of the go_* and process_* metrics every
// upstream component exports, and registers its own beside them.

import { collectDefaultMetrics, Registry } from 'prom-client';

export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}
