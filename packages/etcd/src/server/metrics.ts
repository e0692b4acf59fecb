// /metrics in Prometheus text format, with the etcd metric names operators know where they apply.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EtcdServer } from './etcd-server.js';

export interface Metrics {
  registry: Registry;
  requestDuration: Histogram<'path' | 'code'>;
}

export function createMetrics(s: EtcdServer): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({ name: 'etcd_server_has_leader', help: '1 if a leader exists', registers: [registry], collect() { this.set(s.status().leader !== 0 ? 1 : 0); } });
  new Gauge({ name: 'etcd_server_is_leader', help: '1 if this member is the leader', registers: [registry], collect() { this.set(s.status().role === 'leader' ? 1 : 0); } });
  new Counter({ name: 'etcd_server_leader_changes_seen_total', help: 'Leader changes seen', registers: [registry], collect() { this.reset(); this.inc(s.leaderChanges); } });
  new Gauge({ name: 'etcd_server_proposals_committed_total', help: 'Committed Raft index', registers: [registry], collect() { this.set(s.status().commit); } });
  new Gauge({ name: 'etcd_server_proposals_applied_total', help: 'Applied Raft index', registers: [registry], collect() { this.set(s.status().applied); } });
  new Gauge({ name: 'etcd_debugging_mvcc_current_revision', help: 'Current MVCC revision', registers: [registry], collect() { this.set(s.sm.applier.currentRevision); } });
  new Gauge({ name: 'etcd_debugging_mvcc_watcher_total', help: 'Watchers on this member', registers: [registry], collect() { this.set(s.hub.size); } });
  new Gauge({ name: 'etcd_mvcc_db_total_size_in_bytes', help: 'Approximate size of the MVCC state', registers: [registry], collect() { this.set(s.sm.applier.sizeBytes()); } });
  const requestDuration = new Histogram({
    name: 'etcd_http_request_duration_seconds', help: 'Client requests by path and status', labelNames: ['path', 'code'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [registry],
  });
  return { registry, requestDuration };
}
