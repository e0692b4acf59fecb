// The kubelet's HTTP server (port 10250 upstream): /containerLogs for the API server's pods/log
// proxy, /healthz with named checks, /metrics and /pods. Plain HTTP and node:http: a log stream
// is written straight to the socket with its backpressure, and ends when the client goes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Pod } from '@kubets/api';
import { closeServer, type EventLog, type HealthCheck, listen, runHealthChecks, runSingleCheck } from '@kubets/component-base';
import type { Registry } from 'prom-client';
import { type ContainerRef, type FindLogFiles, serveContainerLogs } from './container-logs-route.js';
import { notFoundText, sendJson, sendText } from './respond.js';
import { metricPath, type ServerMetrics, serverMetrics } from './server-metrics.js';

export interface KubeletServerOptions {
  address: string;
  /** 0 picks a free port (read it from the result). */
  port: number;
  logger: EventLog;
  registry: Registry;
  /** /healthz's checks (upstream's are ping, log and syncloop). */
  healthChecks: HealthCheck[];
  /** The pods this kubelet runs, for /pods and to check /containerLogs' pod and container. */
  pods: () => Pod[];
  /** The files of the container run that /containerLogs shows, or why there are none. */
  findLogFiles: FindLogFiles;
}

export interface KubeletServer {
  port: number;
  /** Stops listening and ends every open connection, log followers included. */
  close(): Promise<void>;
}

export async function startKubeletServer(o: KubeletServerOptions): Promise<KubeletServer> {
  const metrics = serverMetrics(o.registry);
  const server = createServer((req, res) => {
    serve(req, res, o, metrics).catch((e: unknown) => {
      o.logger.error({ err: e, url: req.url }, 'kubelet server request failed');
      if (!res.headersSent) sendText(res, 500, 'internal server error\n');
      else res.destroy();
    });
  });
  const port = await listen(server, o.port, o.address);
  return { port, close: () => closeServer(server) };
}


async function serve(req: IncomingMessage, res: ServerResponse, o: KubeletServerOptions, metrics: ServerMetrics): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://kubelet');
  const labels = { method: req.method ?? '', path: metricPath(url.pathname), server_type: 'readonly', long_running: 'false' };
  metrics.requests.inc(labels);
  metrics.inflight.inc(labels);
  res.once('close', () => metrics.inflight.dec(labels));
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed\n');
  await route(req, res, url, o);
}

async function route(req: IncomingMessage, res: ServerResponse, url: URL, o: KubeletServerOptions): Promise<void> {
  const [, root, ...rest] = url.pathname.split('/');
  if (root === 'containerLogs') {
    const ref = containerRef(rest);
    if (ref === undefined) return sendText(res, 404, notFoundText);
    return serveContainerLogs(req, res, url, ref, o);
  }
  if (root === 'healthz') return serveHealth(res, url, rest, o);
  if (root === 'metrics' && rest.length === 0) return sendText(res, 200, await o.registry.metrics(), o.registry.contentType);
  if (root === 'pods' && (rest.length === 0 || (rest.length === 1 && rest[0] === ''))) {
    return sendJson(res, 200, { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: o.pods() });
  }
  sendText(res, 404, notFoundText);
}

/** `<namespace>/<pod>/<container>`, each part present and URL-decoded. */
function containerRef(parts: string[]): ContainerRef | undefined {
  if (parts.length !== 3 || parts.some((p) => p === '')) return undefined;
  try {
    const [namespace, pod, container] = parts.map((p) => decodeURIComponent(p)) as [string, string, string];
    return { namespace, pod, container };
  } catch (e) {
    if (e instanceof URIError) return undefined;
    throw e;
  }
}

async function serveHealth(res: ServerResponse, url: URL, rest: string[], o: KubeletServerOptions): Promise<void> {
  const name = rest[0];
  if (rest.length > 1) return sendText(res, 404, notFoundText);
  if (name !== undefined && name !== '') {
    const check = o.healthChecks.find((c) => c.name === name);
    if (check === undefined) return sendText(res, 404, notFoundText);
    const single = await runSingleCheck(check);
    return sendText(res, single.status, single.body);
  }
  const report = await runHealthChecks('healthz', o.healthChecks, { verbose: url.searchParams.has('verbose'), exclude: url.searchParams.getAll('exclude') });
  if (report.failures.length > 0) o.logger.warn({ failures: report.failures }, 'healthz check failed');
  sendText(res, report.status, report.body);
}
