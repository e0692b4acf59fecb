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
  // Where a write's cost goes: how many Readies, fsyncs and peer frames the entries needed.
  const raftCounter = (name: string, help: string, read: (r: ReturnType<EtcdServer['raftStats']>) => number) =>
    new Counter({ name, help, registers: [registry], collect() { this.reset(); this.inc(read(s.raftStats())); } });
  raftCounter('etcd_disk_wal_fsyncs_total', 'fdatasync calls on WAL segments', (r) => r.wal.fsyncs);
  raftCounter('etcd_disk_wal_writes_total', 'WAL write batches (one write call each)', (r) => r.wal.batches);
  raftCounter('etcd_disk_wal_write_bytes_total', 'Bytes written to the WAL', (r) => r.wal.bytesWritten);
  raftCounter('kubets_raft_readies_total', 'Ready batches the Raft loop handled', (r) => r.replica.readies);
  raftCounter('kubets_raft_entries_persisted_total', 'Log entries written by Readies', (r) => r.replica.entriesPersisted);
  raftCounter('kubets_raft_messages_sent_total', 'Raft messages handed to the transport', (r) => r.replica.messagesSent);
  raftCounter('etcd_network_peer_received_frames_total', 'Frames received from peers', (r) => r.transport?.receivedFrames ?? 0);
  const sent = (name: string, help: string, field: 'sentBytes' | 'sentFrames') =>
    new Counter({ name, help, labelNames: ['To'] as const, registers: [registry], collect() {
      this.reset();
      for (const [to, p] of Object.entries(s.raftStats().transport?.peers ?? {})) this.inc({ To: Number(to).toString(16) }, p[field]);
    } });
  sent('etcd_network_peer_sent_bytes_total', 'Bytes sent to each peer', 'sentBytes');
  sent('etcd_network_peer_sent_frames_total', 'Frames (each one WebSocket message) sent to each peer', 'sentFrames');
  const requestDuration = new Histogram({
    name: 'etcd_http_request_duration_seconds', help: 'Client requests by path and status', labelNames: ['path', 'code'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [registry],
  });
  return { registry, requestDuration };
}
