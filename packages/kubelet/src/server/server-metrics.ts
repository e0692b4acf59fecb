// The kubelet server's own series, as upstream's pkg/kubelet/server/metrics names them: requests
// by method and path (the first path segment, so pod names do not make new series).
import { Counter, Gauge, type Registry } from 'prom-client';

export interface ServerMetrics {
  requests: Counter<'method' | 'path' | 'server_type' | 'long_running'>;
  inflight: Gauge<'method' | 'path' | 'server_type' | 'long_running'>;
}

const labelNames = ['method', 'path', 'server_type', 'long_running'] as const;

/** Registers the series, or finds them when a server on this registry made them already. */
export function serverMetrics(registry: Registry): ServerMetrics {
  const requestsName = 'kubelet_http_requests_total';
  const inflightName = 'kubelet_http_inflight_requests';
  const requests =
    (registry.getSingleMetric(requestsName) as ServerMetrics['requests'] | undefined) ??
    new Counter({ name: requestsName, help: 'Number of the http requests received since the server started', labelNames, registers: [registry] });
  const inflight =
    (registry.getSingleMetric(inflightName) as ServerMetrics['inflight'] | undefined) ??
    new Gauge({ name: inflightName, help: 'Number of the inflight http requests', labelNames, registers: [registry] });
  return { requests, inflight };
}

/** The path label: the first segment (`containerLogs`, `pods`, `healthz`, `metrics`). */
export function metricPath(pathname: string): string {
  return pathname.split('/')[1] ?? '';
}
