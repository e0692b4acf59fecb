// kube-proxy's health port (10256): /healthz and /livez as upstream's proxier health server
// answers them (a JSON body with lastUpdated and currentTime; 503 when an update has waited
// past the health timeout, and for /healthz also when the node is being deleted), /readyz (ours:
// 200 once the first sync is applied, which is when the launcher counts the proxy as started)
// and /metrics.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, type EventLog, healthHeaders, listen, sendResponse } from '@kubets/component-base';
import type { Registry } from 'prom-client';
import type { ProxierHealth } from './proxier-health.js';

export interface ProxyHealthServer {
  port: number;
  close(): Promise<void>;
}

function healthBody(health: ProxierHealth, withNode: boolean): { status: number; body: string } {
  const v = health.view();
  const body = {
    lastUpdated: new Date(v.lastUpdated).toISOString(),
    currentTime: new Date(v.currentTime).toISOString(),
    ...(withNode ? { nodeEligible: v.nodeEligible } : {}),
  };
  return { status: v.healthy && (!withNode || v.nodeEligible) ? 200 : 503, body: JSON.stringify(body) };
}

function handler(health: ProxierHealth, registry: Registry) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendResponse(res, 405, { ...healthHeaders, allow: 'GET, HEAD' }, 'method not allowed\n');
    const path = new URL(req.url ?? '/', 'http://proxy').pathname;
    if (path === '/healthz' || path === '/livez') {
      const { status, body } = healthBody(health, path === '/healthz');
      return sendResponse(res, status, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' }, body);
    }
    if (path === '/readyz') return health.hasSynced() ? sendResponse(res, 200, healthHeaders, 'ok') : sendResponse(res, 503, healthHeaders, 'the first sync has not been applied yet\n');
    if (path === '/metrics') return sendResponse(res, 200, { 'content-type': registry.contentType }, await registry.metrics());
    return sendResponse(res, 404, healthHeaders, '404 page not found\n');
  };
}

export async function startProxyHealthServer(o: { host: string; port: number; health: ProxierHealth; registry: Registry; logger: Pick<EventLog, 'error'> }): Promise<ProxyHealthServer> {
  const handle = handler(o.health, o.registry);
  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      o.logger.error({ err, url: req.url }, 'health server request failed');
      if (!res.headersSent) sendResponse(res, 500, healthHeaders, 'internal server error\n');
      else res.destroy();
    });
  });
  const port = await listen(server, o.port, o.host);
  return { port, close: () => closeServer(server) };
}
