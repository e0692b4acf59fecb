// /metrics with request counts and latency histograms by verb and resource, and the health
// endpoints (health-checks.ts).

import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ConsistentReadCount } from '../backend.js';
import { type HealthProbes, registerHealthChecks } from './health-checks.js';

export function createMetrics(consistentReads?: () => ConsistentReadCount[]) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  if (consistentReads) {
    new Counter({
      name: 'apiserver_watch_cache_consistent_read_total',
      help: 'Counter for consistent reads from cache.',
      labelNames: ['resource', 'success', 'fallback'] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const c of consistentReads()) this.inc({ resource: c.resource, success: String(c.success), fallback: String(c.fallback) }, c.count);
      },
    });
  }
  const requests = new Counter({
    name: 'apiserver_request_total',
    help: 'Counter of apiserver requests broken out for each verb, resource and HTTP response code.',
    labelNames: ['verb', 'resource', 'code'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'apiserver_request_duration_seconds',
    help: 'Response latency distribution in seconds for each verb and resource.',
    labelNames: ['verb', 'resource'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 5, 10, 30, 60],
    registers: [registry],
  });
  return { registry, requests, latency };
}

export type Metrics = ReturnType<typeof createMetrics>;

export function registerHealthRoutes(app: FastifyInstance, probes: HealthProbes, metrics: Metrics): void {
  registerHealthChecks(app, probes);
  app.get('/metrics', async (_req, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
}
