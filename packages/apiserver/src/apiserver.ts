// Assembles one API server: storage on etcd, admission, REST handlers and the HTTP server,
// then makes sure the initial namespaces and the kubernetes Service exist. As kube-apiserver, it
// serves before etcd answers: /healthz, /livez and /readyz fail on their etcd check meanwhile,
// and the bootstrap is retried until etcd answers (a late etcd is never a reason to exit).

import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { allResources, resolveResource, type ResourceInfo } from '@kubets/api';
import { defaultTolerationSeconds } from './admission/default-toleration-seconds.js';
import { createAdmission } from './admission/index.js';
import { namespacesInfo } from './admission/namespace-lifecycle.js';
import { parsePortRange, parseServiceCIDR } from './admission/ranges.js';
import { ServiceAllocator } from './admission/service-allocation.js';
import { ServiceAllocationRepair } from './admission/service-allocation-repair.js';
import { retryUntilStored, RetryNow, type StorageBackend } from './backend.js';
import { bootstrapCluster } from './bootstrap.js';
import { resolveAdvertiseAddress } from './controlplane/advertise-address.js';
import { endpointReconcileIntervalMs, LeaseEndpointReconciler } from './controlplane/endpoint-reconciler.js';
import { type EndpointReconcileLoop, startEndpointReconcileLoop } from './controlplane/endpoint-reconcile-loop.js';
import { type ApiServerEndpoint, masterLeaseTtlSeconds } from './controlplane/master-leases.js';
import { buildServer } from './http/server.js';
import type { RestContext } from './rest/context.js';

export interface ApiServerOptions {
  backend: StorageBackend;
  bindAddress: string;
  port: number;
  serviceClusterIPRange: string;
  serviceNodePortRange: string;
  logger?: FastifyServerOptions['loggerInstance'];
  /** How often Service IP and node port claims are checked against the Services (0: never). */
  serviceRepairIntervalMs?: number;
  /** tolerationSeconds of the not-ready NoExecute toleration added to new pods (DefaultTolerationSeconds); default 300. */
  defaultNotReadyTolerationSeconds?: number;
  /** tolerationSeconds of the unreachable NoExecute toleration added to new pods; default 300. */
  defaultUnreachableTolerationSeconds?: number;
  /** The address in the `kubernetes` Service's endpoints; default as kube-apiserver picks it (resolveAdvertiseAddress). */
  advertiseAddress?: string;
  /** `lease` (the default) keeps this server in the `kubernetes` Service's endpoints; `none` leaves them alone. */
  endpointReconcilerType?: 'lease' | 'none';
  /** Test hooks: the reconcile interval (10 s) and the master lease TTL (15 s), as upstream's constants. */
  endpointReconcilerIntervalMs?: number;
  masterLeaseTtlSeconds?: number;
}

export interface RunningApiServer {
  app: FastifyInstance;
  address: string;
  port: number;
  /** Resolves once the start-up objects are in place (true), or false if the server closed first. */
  bootstrapped: Promise<boolean>;
  close(): Promise<void>;
}

export async function startApiServer(opts: ApiServerOptions): Promise<RunningApiServer> {
  const ips = parseServiceCIDR(opts.serviceClusterIPRange);
  const ports = parsePortRange(opts.serviceNodePortRange);
  const allocator = new ServiceAllocator(opts.backend.claims, ips, ports);
  const store = (info: ResourceInfo) => opts.backend.store(info);
  const tolerationSeconds = {
    notReady: opts.defaultNotReadyTolerationSeconds ?? defaultTolerationSeconds.notReady,
    unreachable: opts.defaultUnreachableTolerationSeconds ?? defaultTolerationSeconds.unreachable,
  };
  const ctx: RestContext = { store, admission: createAdmission(store(namespacesInfo()), allocator, tolerationSeconds, opts.logger) };
  // Healthy once etcd answers and the start-up objects exist (upstream's post-start hooks); no
  // longer ready once shutdown begins.
  let bootstrapped = false;
  let shuttingDown = false;
  // While the bootstrap and the watch caches wait for etcd, the first etcd check to pass after
  // failing (launchers poll /readyz) starts their next attempts at once rather than after the
  // rest of their back-off.
  const bootstrapNow = new RetryNow();
  let etcdAnswered = false;
  const etcdHealth = async () => {
    try {
      await opts.backend.checkHealth();
    } catch (e) {
      etcdAnswered = false;
      throw e;
    }
    if (!etcdAnswered && !bootstrapped) bootstrapNow.now();
    if (!etcdAnswered) opts.backend.retryCachesNow?.();
    etcdAnswered = true;
  };
  // Every stored resource's watch cache starts now, before the first request (see Etcd3Store's cacheLoaded).
  opts.backend.startCaching?.(allResources().filter((info) => info.verbs.includes('watch')));
  const cachesNotReady = () => opts.backend.cachesNotReady?.() ?? [];
  const health = { etcd: etcdHealth, bootstrapped: () => bootstrapped, cachesNotReady, shuttingDown: () => shuttingDown };
  const consistentReads = opts.backend.consistentReads?.bind(opts.backend);
  const storageMetrics = opts.backend.metrics;
  const app = buildServer({ ctx, health, ...(consistentReads ? { consistentReads } : {}), ...(storageMetrics ? { storageMetrics } : {}), ...(opts.logger !== undefined ? { logger: opts.logger } : {}) });
  // Before listening: an address that cannot be found is a start-up error, as upstream's.
  const advertised = reconcilesEndpoints(opts) ? resolveAdvertiseAddress(opts.advertiseAddress, opts.bindAddress) : undefined;
  await app.listen({ host: opts.bindAddress, port: opts.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : opts.port;
  const reconciler = advertised === undefined ? undefined : endpointReconciler(opts, ctx, { ip: advertised, port });
  // Returned before the bootstrap: the caller can stop a server that waits for etcd.
  const stopping = new AbortController();
  let stopRepair = () => {};
  let endpoints: EndpointReconcileLoop | undefined;
  const bootstrap = retryUntilStored('bootstrap (initial namespaces, the kubernetes Service)', () => bootstrapCluster(ctx, allocator.kubernetesServiceIP, port), stopping.signal, opts.logger, bootstrapNow).then((done) => {
    if (!done) return false;
    bootstrapped = true;
    // The repair checks the allocations against what etcd holds: it starts once etcd answers.
    if (!stopping.signal.aborted) {
      const repair = new ServiceAllocationRepair(opts.backend.claims, store(resolveResource('services')!), allocator, opts.logger);
      stopRepair = repair.start(opts.serviceRepairIntervalMs ?? 180_000);
      if (reconciler !== undefined) endpoints = startEndpointReconcileLoop(reconciler, opts.endpointReconcilerIntervalMs ?? endpointReconcileIntervalMs, opts.logger);
    }
    return true;
  });
  return {
    app,
    address: opts.bindAddress,
    port,
    bootstrapped: bootstrap,
    async close() {
      shuttingDown = true;
      stopping.abort();
      stopRepair();
      // Out of the kubernetes Service first, while this server still answers, as upstream's
      // pre-shutdown hook: clients are sent elsewhere before it stops serving.
      await endpoints?.stopAndRemove();
      // Stop accepting, end the watches (each would otherwise hold its connection open for up
      // to an hour), let the other requests in flight finish, then let go of etcd.
      const closing = app.close();
      opts.backend.endWatches();
      // A connection whose watch just ended turns idle after the close began; close such
      // connections as they appear instead of waiting out the keep-alive timeout.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
      try {
        await closing;
      } finally {
        clearInterval(sweep);
      }
      await opts.backend.close();
      // A bootstrap attempt in flight ends with the etcd client.
      await bootstrap;
    },
  };
}

function reconcilesEndpoints(opts: ApiServerOptions): boolean {
  return opts.endpointReconcilerType !== 'none' && opts.backend.masterLeases !== undefined;
}

/** The lease endpoint reconciler for this server at its advertised address and port. */
function endpointReconciler(opts: ApiServerOptions, ctx: RestContext, self: ApiServerEndpoint): LeaseEndpointReconciler {
  const leases = opts.backend.masterLeases!(opts.masterLeaseTtlSeconds ?? masterLeaseTtlSeconds);
  return new LeaseEndpointReconciler(ctx, leases, self);
}
