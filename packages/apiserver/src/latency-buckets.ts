// The histogram buckets upstream's request latency metrics use (apiserver_request_duration_seconds,
// etcd_request_duration_seconds), so dashboards' bucket boundaries (le="1.25" ...) line up.
export const latencyBuckets = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];
