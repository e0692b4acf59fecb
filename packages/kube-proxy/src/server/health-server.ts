// kube-proxy's health port (10256): /healthz and /livez as upstream's proxier health server
// answers them (a JSON body with lastUpdated and currentTime; 503 when an update has waited
// past the health timeout, and for /healthz also when the node is being deleted), /readyz (ours:
// 200 once the first sync is applied, which is when the launcher counts the proxy as started)
// and /metrics.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listen } from '@kubets/component-base';
import type { Registry } from 'prom-client';
import type { ProxierHealth } from './proxier-health.js';

export interface ProxyHealthServer {
  port: number;
  close(): Promise<void>;
}

const plain = { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' };

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
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
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { ...plain, allow: 'GET, HEAD' }, 'method not allowed\n');
    const path = new URL(req.url ?? '/', 'http://proxy').pathname;
    if (path === '/healthz' || path === '/livez') {
      const { status, body } = healthBody(health, path === '/healthz');
      return send(res, status, { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' }, body);
    }
    if (path === '/readyz') return health.hasSynced() ? send(res, 200, plain, 'ok') : send(res, 503, plain, 'the first sync has not been applied yet\n');
    if (path === '/metrics') return send(res, 200, { 'content-type': registry.contentType }, await registry.metrics());
    return send(res, 404, plain, '404 page not found\n');
  };
}

export async function startProxyHealthServer(o: { host: string; port: number; health: ProxierHealth; registry: Registry }): Promise<ProxyHealthServer> {
  const server = createServer((req, res) => {
    handler(o.health, o.registry)(req, res).catch((err: unknown) => send(res, 500, plain, `${String(err)}\n`));
  });
  const port = await listen(server, o.port, o.host);
  return { port, close: () => closeServer(server) };
}
