// The API server's HTTP side: Fastify with one plugin per concern (discovery, OpenAPI, health,
// resources), Kubernetes Status bodies for every error, one access-log line per request, and
// watch over WebSocket on the same paths as the chunked watch.

import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Registry } from 'prom-client';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions, LogController } from 'fastify';
import { WebSocketServer } from 'ws';
import { ApiError, isApiError, internalError, pathNotFound, requestEntityTooLarge, toStatus, unsupportedMediaType, badRequest, methodNotSupported, groupResourceOf } from '@kubets/api';
import type { RestContext } from '../rest/context.js';
import { aggregatedLegacy, aggregatedMediaType, aggregatedNamed, apiGroup, apiGroupList, apiResourceList, apiVersions, negotiateAggregated, serverVersion, type AggregatedDocument } from './discovery.js';
import { buildOpenApi } from './openapi.js';
import { registerOpenApiV2 } from './openapi-v2-route.js';
import { createMetrics, registerMetricsRoute, requestLabelsOf } from './metrics.js';
import { type HealthProbes, registerHealthChecks } from './health-checks.js';
import type { ConsistentReadCount } from '../backend.js';
import { createLogProxy } from './logs.js';
import { registerResourceRoutes, watchTimeoutMs } from './resource-routes.js';
import { registerReviewRoutes } from './auth-reviews.js';
import { alwaysAllow } from './authorizer.js';
import { parseResourcePath } from './request-path.js';
import { boolParam, one, selection, type Query } from './query.js';
import { eventEncoder, streamWatchOverWebSocket } from './watch-stream.js';

export const maxRequestBytes = 3 * 1024 * 1024;

export interface ServerOptions {
  ctx: RestContext;
  health: HealthProbes;
  consistentReads?: () => ConsistentReadCount[];
  /** The storage's metrics, served with the server's own on /metrics. */
  storageMetrics?: Registry;
  /** A pino logger; access logs and errors go there. */
  logger?: FastifyServerOptions['loggerInstance'];
}

/** Fastify's own errors (body too large, bad media type, malformed request) as Status errors. */
function asApiError(e: unknown): ApiError {
  if (isApiError(e)) return e;
  const err = e as { code?: string; statusCode?: number; message?: string };
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return requestEntityTooLarge(`limit is ${maxRequestBytes}`);
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return unsupportedMediaType(String(err.message ?? ''));
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) return badRequest(err.message ?? 'bad request');
  return internalError(e);
}

const maxDrainBytes = 64 * 1024 * 1024;

/** Reads and discards the rest of a request body; gives up (and the connection closes) past `limit` bytes. */
function drain(raw: IncomingMessage, limit: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const done = () => {
      raw.off('data', onData);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limit) done();
    };
    raw.on('data', onData);
    raw.once('end', done);
    raw.once('close', done);
    raw.once('error', done);
    raw.resume();
  });
}

export function buildServer(opts: ServerOptions): FastifyInstance {
  const app = Fastify({
    ...(opts.logger !== undefined ? { loggerInstance: opts.logger } : { logger: false }),
    bodyLimit: maxRequestBytes,
    // Our onResponse hook writes one access-log line per request; Fastify's own two are off.
    logController: new LogController({ disableRequestLogging: true }),
    // kubectl sends `?fieldSelector=metadata.name%3Dx` and long continue tokens.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    // The router's own refusals (a malformed percent-encoding, a path segment over
    // maxParamLength) are answered with a Status too, like every other error.
    frameworkErrors: (e, _req, reply) => {
      const err = badRequest(e.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path segment is too long' : `the request path is not valid: ${e.message}`);
      void (reply as unknown as FastifyReply).code(err.code).type('application/json').send(JSON.stringify(err.status));
    },
  });
  const metrics = createMetrics(opts.consistentReads, opts.storageMetrics);
  const openapi = buildOpenApi();

  // Every body arrives as text; handlers decode it by media type and answer with Status errors.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  // ...except Kubernetes protobuf (typed clients, e.g. `kubectl create configmap`), which is binary.
  app.addContentTypeParser('application/vnd.kubernetes.protobuf', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.setErrorHandler(async (e, req, reply) => {
    const err = asApiError(e);
    // A body refused unread (413, 415) is drained first, up to a bound, so the client finishes
    // sending it and reads this answer: answering mid-upload closes the connection under it.
    if (!req.raw.complete) await drain(req.raw, maxDrainBytes);
    if (err.code >= 500) req.log.error({ err: e }, 'request failed');
    return reply.code(err.code).type('application/json').send(JSON.stringify(err.status));
  });
  app.setNotFoundHandler((req, reply) => {
    return reply.code(404).type('application/json').send(JSON.stringify(pathNotFound().status));
  });

  app.addHook('onResponse', async (req, reply) => {
    const kube = req.kube;
    const labels = requestLabelsOf(req.method, kube);
    metrics.requests.inc({ ...labels, code: String(reply.statusCode) });
    metrics.latency.observe(labels, reply.elapsedTime / 1000);
    const verb = kube?.verb || req.method.toLowerCase();
    const resource = kube === undefined ? '' : kube.resource + (kube.subresource === '' ? '' : `/${kube.subresource}`);
    req.log.info({ method: req.method, url: req.url, verb, resource, code: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }, 'request');
  });

  const json = (body: unknown) => JSON.stringify(body);
  app.get('/version', async (_req, reply) => reply.type('application/json').send(json(serverVersion)));
  // `/api` and `/apis` answer in aggregated form when asked for it (kubectl asks first), as upstream:
  // ETag, Vary: Accept, and 304 for an If-None-Match that names the current document.
  const discoveryRoot = (aggregated: () => AggregatedDocument, plain: (req: FastifyRequest) => unknown) => async (req: FastifyRequest, reply: FastifyReply) => {
    const version = negotiateAggregated(req.headers.accept);
    if (version === undefined) return reply.type('application/json').send(json(plain(req)));
    const doc = aggregated();
    const etag = `"${doc.etag}"`;
    reply.header('etag', etag).header('vary', 'Accept').header('cache-control', 'public');
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.header('content-type', aggregatedMediaType(version)).send(doc.bodies[version]);
  };
  app.get('/api', discoveryRoot(aggregatedLegacy, (req) => apiVersions(req.headers.host ?? '')));
  app.get('/apis', discoveryRoot(aggregatedNamed, () => apiGroupList()));
  app.get('/apis/:group', async (req, reply) => {
    const g = apiGroup((req.params as { group: string }).group);
    if (g === undefined) return reply.callNotFound();
    return reply.type('application/json').send(json(g));
  });
  const resourceList = (group: string, version: string) => async (_req: unknown, reply: import('fastify').FastifyReply) => {
    const list = apiResourceList(group, version);
    if (list === undefined) return reply.callNotFound();
    return reply.type('application/json').send(json(list));
  };
  app.get('/api/:version', async (req, reply) => resourceList('', (req.params as { version: string }).version)(req, reply));
  app.get('/apis/:group/:version', async (req, reply) => {
    const p = req.params as { group: string; version: string };
    return resourceList(p.group, p.version)(req, reply);
  });
  app.get('/openapi/v3', async (_req, reply) => reply.type('application/json').send(json(openapi.root)));
  app.get('/openapi/v3/*', async (req, reply) => {
    const doc = openapi.documents.get((req.params as { '*': string })['*']);
    if (doc === undefined) return reply.callNotFound();
    return reply.header('etag', `"${doc.hash}"`).type('application/json').send(doc.body);
  });
  registerOpenApiV2(app);

  registerHealthChecks(app, opts.health);
  registerMetricsRoute(app, metrics);
  // The reviews' own routes, before the resource routes: they are answered, never stored.
  registerReviewRoutes(app, alwaysAllow);
  registerResourceRoutes(app, { ctx: opts.ctx, logs: createLogProxy(opts.ctx) });
  attachWebSocketWatch(app, opts.ctx);
  return app;
}

/**
 * `GET <collection>?watch=true` with `Upgrade: websocket`: the same events, one JSON text message
 * each. Subprotocols as kube-apiserver's golang.org/x/net/websocket handler treats them: one
 * offered is echoed and changes nothing (base64.binary.k8s.io means base64 only for exec, attach
 * and log streams), more than one is a 400.
 */
function attachWebSocketWatch(app: FastifyInstance, ctx: RestContext): void {
  const wss = new WebSocketServer({ noServer: true });
  app.addHook('onClose', async () => {
    for (const c of wss.clients) c.terminate();
    wss.close();
  });
  app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node hands the socket over with no error listener: a client resetting the connection
    // while its watch starts must not be an uncaught exception.
    socket.on('error', () => socket.destroy());
    const refuse = (code: number, body: unknown) => {
      if (socket.destroyed) return;
      const text = JSON.stringify(body);
      socket.end(`HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Error'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
    };
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const m = /^\/(?:api\/([^/]+)|apis\/([^/]+)\/([^/]+))\/(.+)$/.exec(url.pathname);
      if (m === null) return refuse(404, pathNotFound().status);
      const [group, version] = m[1] !== undefined ? ['', m[1]] : [m[2]!, m[3]!];
      const r = parseResourcePath(group, version, m[4]!);
      const q: Query = Object.fromEntries(url.searchParams.entries());
      const isWatch = r.watchPath || (r.name === undefined && boolParam(q, 'watch'));
      if (!isWatch) throw badRequest('WebSocket is served only for watch requests (?watch=true on a collection, or a /watch/ path)');
      if (!r.info.verbs.includes('watch')) throw methodNotSupported(groupResourceOf(r.info), 'watch');
      const protocols = (req.headers['sec-websocket-protocol'] ?? '').split(',').filter((p) => p.trim() !== '');
      if (protocols.length > 1) throw badRequest(`bad WebSocket protocol: a watch takes at most one subprotocol, got ${protocols.length}`);
      const { predicate } = selection(r.info, q, r.name);
      const rv = one(q, 'resourceVersion');
      const timeout = watchTimeoutMs(q);
      void ctx.store(r.info)
        .watch(r.namespace, { ...(rv !== undefined ? { resourceVersion: rv } : {}), ...(predicate ? { predicate } : {}), allowBookmarks: boolParam(q, 'allowWatchBookmarks'), timeoutMs: timeout })
        .then((watcher) => {
          // A client gone while the watch started (or a handshake ws refuses) never reaches the
          // callback below: its watcher must not stay registered in the watch cache.
          if (socket.destroyed) return watcher.stop();
          socket.once('close', () => watcher.stop());
          wss.handleUpgrade(req, socket, head, (ws) => void streamWatchOverWebSocket(ws, watcher, eventEncoder(undefined), timeout));
        })
        .catch((e) => refuse(toStatus(e).code, toStatus(e)));
    } catch (e) {
      const status = toStatus(e);
      refuse(status.code, status);
    }
  });
}
