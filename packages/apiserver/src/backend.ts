// What the server needs from its storage: a store per resource, claims for allocators,
// a health check and a clean shutdown. The etcd v3 implementation lives in storage/.

import type { ResourceInfo } from '@kubets/api';
import type { Registry } from 'prom-client';
import type { Claims } from './admission/claims.js';
import type { ResourceStore } from './storage/interface.js';

/** upstream's apiserver_watch_cache_consistent_read_total: served by the cache (success) or by etcd after waiting for the cache failed (fallback). */
export interface ConsistentReadCount {
  resource: string;
  success: boolean;
  fallback: boolean;
  count: number;
}

export interface StorageBackend {
  store(info: ResourceInfo): ResourceStore;
  claims: Claims;
  /** Resolves when etcd answers; rejects with the reason otherwise. */
  checkHealth(): Promise<void>;
  /** The storage's own metrics (etcd request latency, stored object counts), served on /metrics. */
  metrics?: Registry;
  /** Consistent lists so far, by resource and by whether the watch cache served them (for /metrics). */
  consistentReads?(): ConsistentReadCount[];
  /** Ends every client watch (the first step of a shutdown: open watches would hold it up). */
  endWatches(): void;
  close(): Promise<void>;
}
