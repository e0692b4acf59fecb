// The client port: etcd 3.4's JSON gateway paths (and their /v3beta aliases), /health, /version
// and /metrics, on node:http. Unary calls read the whole JSON body, run the handler and answer
// with its JSON or with etcd's error body and the HTTP status the gateway uses for the code.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { errorBody, httpStatusOf } from '../json/responses.js';
import { EtcdError, errors } from '../mvcc/types.js';
import type { Json } from '../json/read-fields.js';
import { clusterHandlers, ETCD_VERSION } from './cluster-handlers.js';
import type { EtcdServer } from './etcd-server.js';
import { kvHandlers, type Handler } from './kv-handlers.js';
import { leaseHandlers } from './lease-handlers.js';
import type { Metrics } from './metrics.js';
import { serveKeepAlive, serveWatch } from './streams.js';

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

function sendError(res: ServerResponse, err: unknown): void {
  const e = err instanceof EtcdError ? err : new EtcdError(2, (err as Error).message ?? String(err));
  send(res, httpStatusOf(e.code), errorBody(e.code, e.message));
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(errors.tooLarge());
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function createClientServer(s: EtcdServer, metrics: Metrics): Server {
  const handlers: Record<string, Handler> = { ...kvHandlers(s), ...leaseHandlers(s), ...clusterHandlers(s) };
  // Base64 makes a body about 4/3 of the request it carries.
  const bodyLimit = Math.ceil(s.options.maxRequestBytes * 1.4) + 4096;

  const unary = async (handler: Handler, req: IncomingMessage, res: ServerResponse, path: string) => {
    const end = metrics.requestDuration.startTimer({ path });
    try {
      const raw = await readBody(req, bodyLimit);
      let body: unknown = {};
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch (err) {
          throw new EtcdError(3, (err as Error).message);
        }
      }
      if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new EtcdError(3, 'the request body must be a JSON object');
      send(res, 200, await handler(body as Json));
      end({ code: '200' });
    } catch (err) {
      sendError(res, err);
      end({ code: String(err instanceof EtcdError ? httpStatusOf(err.code) : 500) });
    }
  };

  return createServer((req, res) => {
    const url = req.url ?? '/';
    const path = url.split('?')[0]!.replace(/^\/v3beta\//, '/v3/').replace(/^\/v3alpha\//, '/v3/');
    if (req.method === 'POST') {
      const h = handlers[path];
      if (h) return void unary(h, req, res, path);
      if (path === '/v3/watch') return serveWatch(s, req, res);
      if (path === '/v3/lease/keepalive') return serveKeepAlive(s, req, res);
    }
    if (req.method === 'GET' && path === '/health') {
      s.linearizable().then(
        () => send(res, 200, { health: 'true' }),
        () => send(res, 503, { health: 'false' }),
      );
      return;
    }
    if (req.method === 'GET' && path === '/version') return send(res, 200, { etcdserver: ETCD_VERSION, etcdcluster: '3.4.0' });
    if (req.method === 'GET' && path === '/metrics') {
      void metrics.registry.metrics().then((text) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text);
      });
      return;
    }
    send(res, 404, errorBody(12, `Not Found: ${req.method} ${path}`));
  });
}
