// /healthz, /livez and /readyz as kube-apiserver serves them: each runs its named checks and
// answers 200 "ok", or 500 listing every check as `[+]name ok` / `[-]name failed: reason
// withheld` (the reason goes to the log: these paths are public). `?verbose` lists the checks on
// success too, `?exclude=<name>` (repeatable) skips one, and `/<endpoint>/<name>` runs one check
// alone, with its reason.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface HealthCheck {
  name: string;
  /** Resolves when healthy; rejects with the reason otherwise. */
  check(): Promise<void>;
}

export interface HealthProbes {
  /** A quorum read from etcd. */
  etcd(): Promise<void>;
  /** The initial namespaces and the kubernetes Service are in place (upstream's bootstrap-controller post-start hook). */
  bootstrapped(): boolean;
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

/** Which checks each endpoint runs, as upstream: readiness adds the shutdown check. */
export function healthChecks(probes: HealthProbes): Record<'healthz' | 'livez' | 'readyz', HealthCheck[]> {
  const ping: HealthCheck = { name: 'ping', check: async () => {} };
  const etcd: HealthCheck = { name: 'etcd', check: () => withTimeout(probes.etcd(), etcdTimeoutMs, 'etcd did not answer in 2s') };
  const bootstrap: HealthCheck = {
    name: 'poststarthook/bootstrap-controller',
    check: async () => {
      if (!probes.bootstrapped()) throw new Error('the initial namespaces and the kubernetes Service are not in place yet');
    },
  };
  const shutdown: HealthCheck = {
    name: 'shutdown',
    check: async () => {
      if (probes.shuttingDown()) throw new Error('the server is shutting down');
    },
  };
  return {
    healthz: [ping, etcd, bootstrap],
    livez: [ping, etcd, bootstrap],
    readyz: [ping, etcd, bootstrap, shutdown],
  };
}

const plain = (reply: FastifyReply) => reply.type('text/plain; charset=utf-8').header('x-content-type-options', 'nosniff');

function excludedNames(query: Record<string, unknown>): Set<string> {
  const raw = query.exclude;
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return new Set(values.map(String).filter((v) => v !== ''));
}

export function registerHealthChecks(app: FastifyInstance, probes: HealthProbes): void {
  for (const [endpoint, checks] of Object.entries(healthChecks(probes))) {
    app.get(`/${endpoint}`, async (req: FastifyRequest, reply) => {
      const query = req.query as Record<string, unknown>;
      const excluded = excludedNames(query);
      const results = await Promise.all(checks.map(async (c) => {
        if (excluded.delete(c.name)) return { line: `[+]${c.name} excluded: ok` };
        try {
          await c.check();
          return { line: `[+]${c.name} ok` };
        } catch (e) {
          return { line: `[-]${c.name} failed: reason withheld`, failure: `${c.name}: ${(e as Error).message}` };
        }
      }));
      let out = results.map((r) => `${r.line}\n`).join('');
      if (excluded.size > 0) out += `warn: some health checks cannot be excluded: no matches for ${[...excluded].map((n) => JSON.stringify(n)).join(',')}\n`;
      const failures = results.flatMap((r) => (r.failure === undefined ? [] : [r.failure]));
      if (failures.length > 0) {
        req.log.warn({ endpoint, failures }, `${endpoint} check failed`);
        return plain(reply.code(500)).send(`${out}${endpoint} check failed\n`);
      }
      return plain(reply).send('verbose' in query ? `${out}${endpoint} check passed\n` : 'ok');
    });
    for (const c of checks) {
      app.get(`/${endpoint}/${c.name}`, async (_req, reply) => {
        try {
          await c.check();
          return plain(reply).send('ok');
        } catch (e) {
          return plain(reply.code(500)).send(`internal server error: ${(e as Error).message}\n`);
        }
      });
    }
  }
}
