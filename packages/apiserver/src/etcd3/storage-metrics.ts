// What kube-apiserver reports about its storage, under upstream's names: the latency of each
// etcd request by operation and resource (etcd_request_duration_seconds) and how many objects
// of each resource etcd holds (apiserver_storage_objects, counted at most once a minute, as
// upstream's --etcd-count-metric-poll-period does).

import { allResources, storagePrefix, type ResourceInfo } from '@kubets/api';
import { Gauge, Histogram, Registry } from 'prom-client';
import type { EtcdClient } from './client.js';
import { prefixEnd } from './codec.js';
import { latencyBuckets } from '../latency-buckets.js';

const countPeriodMs = 60_000;

/** `pods`, `deployments.apps`: the group-resource string upstream labels these metrics with. */
export const groupResourceString = (info: ResourceInfo): string => (info.group === '' ? info.resource : `${info.resource}.${info.group}`);

export class StorageMetrics {
  readonly registry = new Registry();
  private readonly requests: Histogram<'operation' | 'type'>;
  private counted: Promise<Map<string, number>> | undefined;
  private countedAt = 0;

  constructor(private readonly etcd: EtcdClient) {
    this.requests = new Histogram({
      name: 'etcd_request_duration_seconds',
      help: 'Etcd request latency in seconds for each operation and object type.',
      labelNames: ['operation', 'type'] as const,
      buckets: latencyBuckets,
      registers: [this.registry],
    });
    const counts = () => this.objectCounts();
    new Gauge({
      name: 'apiserver_storage_objects',
      help: 'Number of stored objects at the time of last check split by kind.',
      labelNames: ['resource'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const [resource, n] of await counts()) this.set({ resource }, n);
      },
    });
  }

  /** Runs one etcd request for `type` and records how long it took, failed or not. */
  async time<T>(operation: string, type: string, request: () => Promise<T>): Promise<T> {
    const end = this.requests.startTimer({ operation, type });
    try {
      return await request();
    } finally {
      end();
    }
  }

  /** Counts per resource, from one count-only range each, refreshed at most once a period. */
  private objectCounts(): Promise<Map<string, number>> {
    if (this.counted === undefined || Date.now() - this.countedAt >= countPeriodMs) {
      this.countedAt = Date.now();
      this.counted = this.countAll();
    }
    return this.counted;
  }

  private async countAll(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    await Promise.all(allResources().filter((info) => info.verbs.includes('list')).map(async (info) => {
      const prefix = storagePrefix(info);
      try {
        const r = await this.time('count', groupResourceString(info), () => this.etcd.range({ key: prefix, rangeEnd: prefixEnd(prefix), countOnly: true }));
        out.set(groupResourceString(info), r.count);
      } catch {
        // etcd did not answer: this resource has no figure until the next count.
      }
    }));
    if (out.size === 0) this.counted = undefined;
    return out;
  }
}
