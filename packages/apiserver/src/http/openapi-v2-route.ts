// `GET /openapi/v2`: the Swagger 2.0 document as JSON or, when Accept asks for it, as gnostic
// protobuf (what kubectl 1.27/1.28 request). Both encodings are built once, on the first request
// (building them takes some 170 ms of CPU, a third of the server's start-up, and most clients
// never ask); each has its own strong ETag, so a client's HTTP cache (kubectl's --cache-dir) revalidates with
// If-None-Match and gets a 304 instead of the whole document again.

import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildSwaggerDocument } from './openapi-v2.js';
import { encodeSwaggerDocument } from './openapi-v2-proto.js';

/** What kubectl 1.27/1.28 ask for: gnostic's old spelling, which kube-apiserver still accepts. */
export const openApiV2ProtobufAccept = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
/**
 * What the protobuf answer is labelled with, whichever spelling was asked for (as kube-apiserver
 * does): '@' is no token character, so Go's mime.ParseMediaType, which client-go runs on every
 * Content-Type, fails on the old spelling and kubectl reports an internal error.
 */
export const openApiV2ProtobufType = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

export interface Representation {
  body: string | Buffer;
  etag: string;
}

export interface OpenApiV2 {
  json: Representation;
  protobuf: Representation;
}

const etagOf = (body: string | Buffer) => `"${createHash('sha512').update(body).digest('hex').toUpperCase()}"`;

export function buildOpenApiV2(): OpenApiV2 {
  const doc = buildSwaggerDocument();
  const json = JSON.stringify(doc);
  const protobuf = encodeSwaggerDocument(doc);
  return { json: { body: json, etag: etagOf(json) }, protobuf: { body: protobuf, etag: etagOf(protobuf) } };
}

/**
 * Which encoding an Accept header asks for, the highest q first, or undefined when it names
 * neither (406). No Accept at all means JSON.
 */
export function negotiate(accept: string | undefined): { kind: 'json' | 'protobuf'; type: string } | undefined {
  if (accept === undefined || accept.trim() === '') return { kind: 'json', type: 'application/json' };
  const ranges = accept.split(',').map((part, i) => {
    const [type, ...params] = part.split(';').map((x) => x.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return { type: type ?? '', q: q === undefined ? 1 : Number(q.slice(2)), i };
  });
  ranges.sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranges) {
    if (!(r.q > 0)) continue;
    if (r.type === openApiV2ProtobufType || r.type === openApiV2ProtobufAccept) return { kind: 'protobuf', type: openApiV2ProtobufType };
    if (r.type === 'application/json' || r.type === 'application/*' || r.type === '*/*') return { kind: 'json', type: 'application/json' };
  }
  return undefined;
}

/** If-None-Match: `*`, or a list of (possibly weak) tags one of which is ours. */
export function notModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

export function registerOpenApiV2(app: FastifyInstance, build: () => OpenApiV2 = buildOpenApiV2): void {
  let built: OpenApiV2 | undefined;
  app.get('/openapi/v2', async (req, reply) => {
    const choice = negotiate(req.headers.accept);
    if (choice === undefined) {
      const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotAcceptable', code: 406, message: `only application/json and ${openApiV2ProtobufType} are served` };
      return reply.code(406).type('application/json').send(JSON.stringify(status));
    }
    built ??= build();
    const rep = built[choice.kind];
    reply.header('etag', rep.etag).header('vary', 'Accept');
    if (notModified(req.headers['if-none-match'], rep.etag)) return reply.code(304).send();
    return reply.type(choice.type).send(rep.body);
  });
}
