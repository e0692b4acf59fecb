// /metrics: the process's own metrics, request counts and latency histograms under upstream's
// names and labels, and whatever the storage reports (etcd3/storage-metrics.ts).

import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ConsistentReadCount } from '../backend.js';
import type { RequestMeta } from './resource-routes.js';
import { latencyBuckets } from '../latency-buckets.js';

const requestLabels = ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'] as const;
type RequestLabels = Record<(typeof requestLabels)[number], string>;

/** The verb as upstream's metrics report it: LIST, WATCH, GET, POST, PUT, PATCH, APPLY, DELETE, DELETECOLLECTION. */
function reportedVerb(meta: RequestMeta): string {
  switch (meta.verb) {
    case 'create':
      return 'POST';
    case 'update':
      return 'PUT';
    case 'patch':
      return meta.apply ? 'APPLY' : 'PATCH';
    default:
      return meta.verb.toUpperCase();
  }
}

/** The labels of one request; a request outside the resource paths (discovery, /healthz) has only its method. */
export function requestLabelsOf(method: string, meta: RequestMeta | undefined): RequestLabels {
  if (meta === undefined || meta.verb === '') {
    return { verb: method, dry_run: '', group: '', version: '', resource: '', subresource: '', scope: '', component: 'apiserver' };
  }
  return {
    verb: reportedVerb(meta),
    dry_run: meta.dryRun ? 'All' : '',
    group: meta.group,
    version: meta.version,
    resource: meta.resource,
    subresource: meta.subresource,
    scope: meta.scope,
    component: 'apiserver',
  };
}

export function createMetrics(consistentReads?: () => ConsistentReadCount[], storage?: Registry) {
  const own = new Registry();
  collectDefaultMetrics({ register: own });
  if (consistentReads) {
    new Counter({
      name: 'apiserver_watch_cache_consistent_read_total',
      help: 'Counter for consistent reads from cache.',
      labelNames: ['resource', 'success', 'fallback'] as const,
      registers: [own],
      collect() {
        this.reset();
        for (const c of consistentReads()) this.inc({ resource: c.resource, success: String(c.success), fallback: String(c.fallback) }, c.count);
      },
    });
  }
  // Upstream's names, labels and buckets, so kube-apiserver dashboards and alerts work unchanged.
  const requests = new Counter({
    name: 'apiserver_request_total',
    help: 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
    labelNames: [...requestLabels, 'code'] as const,
    registers: [own],
  });
  const latency = new Histogram({
    name: 'apiserver_request_duration_seconds',
    help: 'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
    labelNames: requestLabels,
    buckets: latencyBuckets,
    registers: [own],
  });
  const registry = storage === undefined ? own : Registry.merge([own, storage]);
  return { registry, requests, latency };
}

export type Metrics = ReturnType<typeof createMetrics>;

export function registerMetricsRoute(app: FastifyInstance, metrics: Metrics): void {
  app.get('/metrics', async (_req, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
}
