// /healthz, /livez and /readyz as kube-apiserver serves them, on the API server's own port. The
// checks are the API server's; running them and writing the answer (200 `ok`, or 500 listing
// `[+]name ok` / `[-]name failed: reason withheld`, `?verbose`, `?exclude=`, `/<endpoint>/<name>`)
// is component-base's, the same for every kubets process.

import { type HealthCheck, type HealthReport, healthHeaders, pingCheck, runHealthChecks, runSingleCheck } from '@kubets/component-base';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface HealthProbes {
  /** A quorum read from etcd. */
  etcd(): Promise<void>;
  /** The initial namespaces and the kubernetes Service are in place (upstream's bootstrap-controller post-start hook). */
  bootstrapped(): boolean;
  /** Resources whose watch cache is not loaded yet (upstream's storage-readiness post-start hook). */
  cachesNotReady(): string[];
  /** Shutdown has begun: the server finishes what it has and takes nothing new. */
  shuttingDown(): boolean;
}

/** As kube-apiserver's --etcd-healthcheck-timeout: a probe must answer even while etcd does not. */
const etcdTimeoutMs = 2000;

async function withTimeout(p: Promise<void>, ms: number, message: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Which checks each endpoint runs, as upstream: readiness adds the shutdown check, and waits for
 * the watch caches (a server whose caches are still loading would hold its first requests).
 */
export function healthChecks(probes: HealthProbes): Record<'healthz' | 'livez' | 'readyz', HealthCheck[]> {
  const etcd: HealthCheck = { name: 'etcd', check: () => withTimeout(probes.etcd(), etcdTimeoutMs, 'etcd did not answer in 2s') };
  const bootstrap: HealthCheck = {
    name: 'poststarthook/bootstrap-controller',
    check: async () => {
      if (!probes.bootstrapped()) throw new Error('the initial namespaces and the kubernetes Service are not in place yet');
    },
  };
  const storage: HealthCheck = {
    name: 'poststarthook/storage-readiness',
    check: async () => {
      const waiting = probes.cachesNotReady();
      if (waiting.length > 0) throw new Error(`the watch caches of ${waiting.join(', ')} are not loaded yet`);
    },
  };
  const shutdown: HealthCheck = {
    name: 'shutdown',
    check: async () => {
      if (probes.shuttingDown()) throw new Error('the server is shutting down');
    },
  };
  return {
    healthz: [pingCheck, etcd, bootstrap],
    livez: [pingCheck, etcd, bootstrap],
    readyz: [pingCheck, etcd, bootstrap, storage, shutdown],
  };
}

function excludedNames(query: Record<string, unknown>): string[] {
  const raw = query.exclude;
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return values.map(String);
}

const send = (reply: FastifyReply, report: HealthReport) => reply.code(report.status).headers(healthHeaders).send(report.body);

/**
 * A failing endpoint is polled often while it fails (a launcher every 25 ms, while etcd is not up
 * yet): one line per endpoint every 5 s, with how many failed answers it stands for, says it all.
 */
const failureLogEveryMs = 5000;

export function registerHealthChecks(app: FastifyInstance, probes: HealthProbes): void {
  for (const [endpoint, checks] of Object.entries(healthChecks(probes))) {
    let loggedAt = -Infinity;
    let unlogged = 0;
    app.get(`/${endpoint}`, async (req: FastifyRequest, reply) => {
      const query = req.query as Record<string, unknown>;
      const report = await runHealthChecks(endpoint, checks, { verbose: 'verbose' in query, exclude: excludedNames(query) });
      if (report.failures.length > 0) {
        unlogged++;
        if (performance.now() - loggedAt >= failureLogEveryMs) {
          req.log.warn({ endpoint, failures: report.failures, failedAnswers: unlogged }, `${endpoint} check failed`);
          loggedAt = performance.now();
          unlogged = 0;
        }
      }
      return send(reply, report);
    });
    for (const c of checks) {
      app.get(`/${endpoint}/${c.name}`, async (_req, reply) => send(reply, await runSingleCheck(c)));
    }
  }
}
