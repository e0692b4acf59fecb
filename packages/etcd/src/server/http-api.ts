// The client port: etcd 3.4's JSON gateway paths (and their /v3beta aliases), /health, /version
// and /metrics, on node:http, with etcd's answers for unknown paths and wrong methods. Unary calls read the whole JSON body, run the handler and answer
// with its JSON or with etcd's error body and the HTTP status the gateway uses for the code.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { errorBody, httpStatusOf } from '../json/responses.js';
import { EtcdError } from '../mvcc/types.js';
import type { Json } from '../json/read-fields.js';
import { clusterHandlers, ETCD_CLUSTER_VERSION, ETCD_VERSION } from './cluster-handlers.js';
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

/** etcd's gateway buffers bodies of any size; we stop keeping them beyond this, and refuse them. */
const MAX_KEPT_BODY_BYTES = 8 * 1024 * 1024;

/** The whole body; undefined if it was larger than we keep (it is read to the end either way). */
function readBody(req: IncomingMessage): Promise<{ body: Buffer | undefined; size: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_KEPT_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => resolve({ body: size <= MAX_KEPT_BODY_BYTES ? Buffer.concat(chunks) : undefined, size }));
    req.on('error', reject);
  });
}

/**
 * The request message, as Go's JSON decoder reads it: the first JSON value in the body (bytes
 * after it are ignored); an empty body or `null` is the empty message.
 */
function parseBody(raw: Buffer): Json {
  let body: unknown;
  const text = raw.toString('utf8');
  try {
    body = text.trim() === '' ? {} : JSON.parse(text);
  } catch (err) {
    const m = /after JSON at position (\d+)/.exec((err as Error).message);
    if (!m) throw new EtcdError(3, (err as Error).message);
    body = JSON.parse(text.slice(0, Number(m[1])));
  }
  if (body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new EtcdError(3, 'the request body must be a JSON object');
  return body as Json;
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
}

export function createClientServer(s: EtcdServer, metrics: Metrics): Server {
  const handlers: Record<string, Handler> = { ...kvHandlers(s), ...leaseHandlers(s), ...clusterHandlers(s) };
  const streams: Record<string, typeof serveWatch> = { '/v3/watch': serveWatch, '/v3/lease/keepalive': serveKeepAlive };
  const gets: Record<string, (res: ServerResponse) => void> = {
    '/health': (res) => {
      s.linearizable().then(
        () => sendText(res, 200, '{"health":"true"}'),
        () => sendText(res, 503, '{"health":"false"}'),
      );
    },
    '/version': (res) => send(res, 200, { etcdserver: ETCD_VERSION, etcdcluster: ETCD_CLUSTER_VERSION }),
    '/metrics': (res) => {
      void metrics.registry.metrics().then((text) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text);
      });
    },
  };
  // The gRPC server's limit on a message, which the gateway reports as ResourceExhausted.
  const grpcMax = s.options.maxRequestBytes + 512 * 1024;

  const unary = async (handler: Handler, req: IncomingMessage, res: ServerResponse, path: string) => {
    const end = metrics.requestDuration.startTimer({ path });
    try {
      const { body, size } = await readBody(req);
      if (body === undefined) throw new EtcdError(8, `grpc: received message larger than max (${Math.floor((size * 3) / 4)} vs. ${grpcMax})`);
      send(res, 200, await handler(parseBody(body)));
      end({ code: '200' });
    } catch (err) {
      sendError(res, err);
      end({ code: String(err instanceof EtcdError ? httpStatusOf(err.code) : 500) });
    }
  };

  return createServer((req, res) => {
    const url = req.url ?? '/';
    const raw = url.split('?')[0]!;
    // etcd 3.4 serves its API under /v3/ and, for older clients, /v3beta/.
    const path = raw.replace(/^\/v3beta\//, '/v3/');
    const post = handlers[path] ?? streams[path];
    const get = gets[path];
    if (post && req.method === 'POST') {
      const h = handlers[path];
      return h ? void unary(h, req, res, path) : streams[path]!(s, req, res);
    }
    if (get && req.method === 'GET') return get(res);
    req.resume();
    if (post || get) return sendText(res, 405, 'Method Not Allowed\n');
    // The gateway's router answers unknown /v3 paths; Go's default mux everything else.
    sendText(res, 404, path.startsWith('/v3/') ? 'Not Found\n' : '404 page not found\n');
  });
}
