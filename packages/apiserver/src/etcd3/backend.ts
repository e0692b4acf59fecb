// The storage backend on an etcd v3 cluster: one client, one watch cache and store per
// resource (created on first use), allocator claims, health and compaction.

import type { ResourceInfo } from '@kubets/api';
import { storagePrefix } from '@kubets/api';
import type { StorageBackend } from '../backend.js';
import type { ResourceStore } from '../storage/interface.js';
import { etcdClaims } from './claims.js';
import { etcdMasterLeases } from './master-leases.js';
import { EtcdClient } from './client.js';
import { startCompactor } from './compactor.js';
import { watchProgressChecker } from './feature-support.js';
import { Etcd3Store } from './store.js';
import { WatchCache } from './watch-cache.js';
import { groupResourceString, StorageMetrics } from './storage-metrics.js';

type Logger = { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };

export interface EtcdBackendOptions {
  endpoints: string[];
  logger?: Logger;
  compactionIntervalMs?: number;
  watchCacheSize?: number;
  bookmarkIntervalMs?: number;
  /** Serve consistent lists from the watch cache where every etcd member supports it (upstream's ConsistentListFromCache, on by default). */
  consistentListFromCache?: boolean;
}

export interface EtcdBackend extends StorageBackend {
  etcd: EtcdClient;
  cacheOf(info: ResourceInfo): WatchCache;
}

export function createEtcdBackend(opts: EtcdBackendOptions): EtcdBackend {
  const etcd = new EtcdClient({ endpoints: opts.endpoints, ...(opts.logger ? { logger: opts.logger } : {}) });
  const caches = new Map<string, WatchCache>();
  const cachedInfos: ResourceInfo[] = [];
  const stores = new Map<string, ResourceStore>();
  const stopCompactor = startCompactor(etcd, opts.compactionIntervalMs ?? 300_000, opts.logger);
  const progressOrdered = watchProgressChecker(() => etcd.memberVersions());
  const storageMetrics = new StorageMetrics(etcd);
  const consistentFromCache = opts.consistentListFromCache === false ? async () => false : progressOrdered;
  const cacheOf = (info: ResourceInfo) => {
    let c = caches.get(info.resource);
    if (c === undefined) {
      c = new WatchCache(etcd, storagePrefix(info), {
        capacity: opts.watchCacheSize ?? 10_000,
        bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 60_000,
        watcherQueueSize: 10_000,
        typeMeta: { apiVersion: info.group === '' ? info.version : `${info.group}/${info.version}`, kind: info.kind },
        ...(opts.logger ? { logger: opts.logger } : {}),
      });
      caches.set(info.resource, c);
      cachedInfos.push(info);
    }
    return c;
  };
  return {
    etcd,
    cacheOf,
    store(info) {
      let s = stores.get(info.resource);
      if (s === undefined) {
        s = new Etcd3Store(etcd, info, cacheOf(info), consistentFromCache, storageMetrics);
        stores.set(info.resource, s);
      }
      return s;
    },
    claims: etcdClaims(etcd),
    masterLeases: (ttlSeconds) => etcdMasterLeases(etcd, ttlSeconds),
    metrics: storageMetrics.registry,
    consistentReads() {
      return [...stores.values()].flatMap((s) => (s instanceof Etcd3Store ? s.consistentReadCounts() : []));
    },
    async checkHealth() {
      // A linearizable read: answers only while a quorum of etcd does.
      await etcd.range({ key: 'health', countOnly: true });
    },
    startCaching(resources) {
      // A failed first list is retried in the background by the cache itself.
      for (const info of resources) cacheOf(info).start().catch(() => undefined);
    },
    retryCachesNow() {
      for (const c of caches.values()) c.retryNow();
    },
    cachesNotReady() {
      return cachedInfos.filter((info) => !caches.get(info.resource)!.initialized).map(groupResourceString);
    },
    endWatches() {
      for (const c of caches.values()) c.endWatches();
    },
    async close() {
      stopCompactor();
      for (const c of caches.values()) c.close();
      await etcd.close();
    },
  };
}
