// The proxy's metrics: upstream's kubeproxy_sync_proxy_rules_* for the sync loop (same names,
// types and buckets, so dashboards made for kube-proxy read them), and the userspace data path's
// own per Service port counters (connections, bytes, failed connects), which upstream's kernel
// data paths leave to conntrack.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

const exponentialBuckets = (start: number, factor: number, count: number) => Array.from({ length: count }, (_, i) => start * factor ** i);

export function syncMetrics(registry: Registry) {
  return {
    duration: new Histogram({ name: 'kubeproxy_sync_proxy_rules_duration_seconds', help: 'SyncProxyRules latency in seconds', buckets: exponentialBuckets(0.001, 2, 15), registers: [registry] }),
    lastTimestamp: new Gauge({ name: 'kubeproxy_sync_proxy_rules_last_timestamp_seconds', help: 'The last time proxy rules were successfully synced', registers: [registry] }),
    lastQueuedTimestamp: new Gauge({ name: 'kubeproxy_sync_proxy_rules_last_queued_timestamp_seconds', help: 'The last time a sync of proxy rules was queued', registers: [registry] }),
    serviceChangesPending: new Gauge({ name: 'kubeproxy_sync_proxy_rules_service_changes_pending', help: 'Pending proxy rules Service changes', registers: [registry] }),
    serviceChangesTotal: new Counter({ name: 'kubeproxy_sync_proxy_rules_service_changes_total', help: 'Cumulative proxy rules Service changes', registers: [registry] }),
    endpointChangesPending: new Gauge({ name: 'kubeproxy_sync_proxy_rules_endpoint_changes_pending', help: 'Pending proxy rules Endpoint changes', registers: [registry] }),
    endpointChangesTotal: new Counter({ name: 'kubeproxy_sync_proxy_rules_endpoint_changes_total', help: 'Cumulative proxy rules Endpoint changes', registers: [registry] }),
  };
}
export type SyncMetrics = ReturnType<typeof syncMetrics>;

export function userspaceMetrics(registry: Registry) {
  const servicePort = ['service_port'] as const;
  return {
    connections: new Counter({ name: 'kubeproxy_userspace_connections_total', help: 'Connections accepted for a Service port', labelNames: servicePort, registers: [registry] }),
    activeConnections: new Gauge({ name: 'kubeproxy_userspace_active_connections', help: 'Connections of a Service port being forwarded now', labelNames: servicePort, registers: [registry] }),
    bytes: new Counter({ name: 'kubeproxy_userspace_bytes_total', help: 'Bytes forwarded for a Service port, from the client (in) and from the endpoint (out)', labelNames: ['service_port', 'direction'], registers: [registry] }),
    connectErrors: new Counter({ name: 'kubeproxy_userspace_connect_errors_total', help: 'Failed attempts to connect to an endpoint of a Service port', labelNames: servicePort, registers: [registry] }),
    rejected: new Counter({ name: 'kubeproxy_userspace_rejected_connections_total', help: 'Connections reset because no endpoint could take them', labelNames: ['service_port', 'reason'], registers: [registry] }),
    listeners: new Gauge({ name: 'kubeproxy_userspace_listeners', help: 'Service listeners of this proxy, bound or standing by for an address another proxy on the host holds', labelNames: ['state'], registers: [registry] }),
  };
}
export type UserspaceMetrics = ReturnType<typeof userspaceMetrics>;
