// The small HTTP server each kubets process (the API server aside, which serves these on its own
// port) runs for its probes and scrapes: /healthz, /livez, /readyz with named checks (text as
// health/check.ts writes it) and /metrics in Prometheus text format. Plain node:http: five
// GET routes need no framework. Read-only, so anything but GET and HEAD gets 405.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Server as NetServer } from 'node:net';
import type { EventLog } from '../logging/logger.js';
import type { Registry } from 'prom-client';
import { healthHeaders, type HealthCheck, type HealthEndpoint, type HealthReport, pingCheck, runHealthChecks, runSingleCheck } from './check.js';
import { createMetricsRegistry } from './metrics.js';

export interface HealthServerOptions {
  /** Default 0.0.0.0, as upstream's --bind-address. */
  bindAddress?: string;
  /** 0 picks a free port (read it from the result). */
  port: number;
  /** The checks of each endpoint; an endpoint not given has `ping` alone. */
  checks?: Partial<Record<HealthEndpoint, HealthCheck[]>>;
  /** Served on /metrics; default a registry with the default process and Node.js metrics. */
  registry?: Registry;
  /** Told of failed checks (the reasons the answers withhold) and of errors serving /metrics. */
  logger?: Pick<EventLog, 'warn' | 'error'>;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

const endpoints: readonly HealthEndpoint[] = ['healthz', 'livez', 'readyz'];

/** Writes a whole answer with its length; a HEAD request gets the headers alone. */
export function sendResponse(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** The report for a health path, or undefined when the path is not one. */
async function healthReport(url: URL, checks: Record<HealthEndpoint, HealthCheck[]>, log: HealthServerOptions['logger']): Promise<HealthReport | undefined> {
  const [, endpoint, name, ...more] = url.pathname.split('/');
  if (!endpoints.includes(endpoint as HealthEndpoint) || more.length > 0) return undefined;
  const list = checks[endpoint as HealthEndpoint];
  if (name !== undefined && name !== '') {
    const check = list.find((c) => c.name === name);
    return check === undefined ? undefined : runSingleCheck(check);
  }
  const query = { verbose: url.searchParams.has('verbose'), exclude: url.searchParams.getAll('exclude') };
  const report = await runHealthChecks(endpoint!, list, query);
  // As upstream, the failures of a whole endpoint are logged (a probe failing is news); a single
  // check asked for by name is a question whose answer already carries the reason.
  if (report.failures.length > 0) log?.warn({ endpoint, failures: report.failures }, `${endpoint} check failed`);
  return report;
}

function handler(o: HealthServerOptions, registry: Registry) {
  const checks = Object.fromEntries(endpoints.map((e) => [e, o.checks?.[e] ?? [pingCheck]])) as Record<HealthEndpoint, HealthCheck[]>;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendResponse(res, 405, { ...healthHeaders, allow: 'GET, HEAD' }, 'method not allowed\n');
    const url = new URL(req.url ?? '/', 'http://health');
    if (url.pathname === '/metrics') return sendResponse(res, 200, { 'content-type': registry.contentType }, await registry.metrics());
    const report = await healthReport(url, checks, o.logger);
    if (report === undefined) return sendResponse(res, 404, healthHeaders, '404 page not found\n');
    sendResponse(res, report.status, healthHeaders, report.body);
  };
}

/** Listens and resolves with the port it got (0 picks a free one). Any net server: HTTP or plain TCP. */
export function listen(server: NetServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startHealthServer(o: HealthServerOptions): Promise<HealthServer> {
  const registry = o.registry ?? createMetricsRegistry();
  const handle = handler(o, registry);
  const server = createServer((req, res) => {
    handle(req, res).catch((e: Error) => {
      o.logger?.error({ err: e, url: req.url }, 'health server request failed');
      if (!res.headersSent) sendResponse(res, 500, healthHeaders, `internal server error\n`);
      else res.destroy();
    });
  });
  const port = await listen(server, o.port, o.bindAddress ?? '0.0.0.0');
  return { port, close: () => closeServer(server) };
}

/** Stops listening and drops open connections: a scraper on keep-alive must not hold the process open. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
