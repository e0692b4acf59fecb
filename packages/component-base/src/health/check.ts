// Health checks as kube-apiserver (k8s.io/apiserver/pkg/server/healthz) runs them, shared by
// every kubets process so that /healthz, /livez and /readyz read the same everywhere:
// - an endpoint runs all its named checks and answers 200 `ok`, or 500 listing every check as
//   `[+]name ok` / `[-]name failed: reason withheld` and ending `<endpoint> check failed`. The
//   reason is withheld because these paths are public; the caller logs it (`failures`);
// - `?verbose` lists the checks on success too, ending `<endpoint> check passed`;
// - `?exclude=<name>` (repeatable) skips a check (`[+]name excluded: ok`); a name that matches
//   no check gets a `warn:` line, as upstream, rather than an error;
// - `/<endpoint>/<name>` runs one check alone and, being a deliberate question, gets its reason.
// The functions here compute the status and text; serving them is the HTTP layer's business
// (health/server.ts for most processes, fastify routes in the API server).

export interface HealthCheck {
  name: string;
  /** Resolves when healthy; rejects with the reason otherwise. */
  check(): Promise<void>;
}

export type HealthEndpoint = 'healthz' | 'livez' | 'readyz';

export interface HealthReport {
  status: 200 | 500;
  body: string;
  /** `name: reason` of each failed check, for the log. */
  failures: string[];
}

/** Upstream's PingHealthz: always healthy; says the process answers HTTP at all. */
export const pingCheck: HealthCheck = { name: 'ping', check: async () => {} };

interface Outcome {
  line: string;
  failure?: string;
}

async function outcome(c: HealthCheck, excluded: Set<string>): Promise<Outcome> {
  if (excluded.delete(c.name)) return { line: `[+]${c.name} excluded: ok` };
  try {
    await c.check();
    return { line: `[+]${c.name} ok` };
  } catch (e) {
    return { line: `[-]${c.name} failed: reason withheld`, failure: `${c.name}: ${(e as Error).message}` };
  }
}

/** Runs every check of an endpoint (concurrently) and writes the answer as upstream does. */
export async function runHealthChecks(
  endpoint: string,
  checks: readonly HealthCheck[],
  query: { verbose: boolean; exclude: Iterable<string> },
): Promise<HealthReport> {
  const excluded = new Set([...query.exclude].filter((n) => n !== ''));
  const outcomes = await Promise.all(checks.map((c) => outcome(c, excluded)));
  let lines = outcomes.map((o) => `${o.line}\n`).join('');
  if (excluded.size > 0) lines += `warn: some health checks cannot be excluded: no matches for ${[...excluded].map((n) => JSON.stringify(n)).join(',')}\n`;
  const failures = outcomes.flatMap((o) => (o.failure === undefined ? [] : [o.failure]));
  if (failures.length > 0) return { status: 500, body: `${lines}${endpoint} check failed\n`, failures };
  return { status: 200, body: query.verbose ? `${lines}${endpoint} check passed\n` : 'ok', failures };
}

/** `/<endpoint>/<name>`: one check alone, with its reason when it fails. */
export async function runSingleCheck(check: HealthCheck): Promise<HealthReport> {
  try {
    await check.check();
    return { status: 200, body: 'ok', failures: [] };
  } catch (e) {
    const reason = (e as Error).message;
    return { status: 500, body: `internal server error: ${reason}\n`, failures: [`${check.name}: ${reason}`] };
  }
}

/** The headers of every health answer: plain text that browsers must not sniff into HTML. */
export const healthHeaders = { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' } as const;
