// The resource endpoints, /api/v1/... and /apis/<group>/<version>/...: one handler per HTTP
// method that works out the verb from the parsed path, as kube-apiserver's installer does.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { badRequest, methodNotSupported, groupResourceOf, successStatus, type ResourceInfo, type Verb } from '@kubets/api';
import type { RestContext } from '../rest/context.js';
import { createObject, type WriteOptions } from '../rest/create.js';
import { deleteAnswer, deleteAnswerCode, deleteObject, deleteRequestFrom } from '../rest/delete.js';
import { patchObject, replaceObject, applyPatch } from '../rest/update.js';
import { applyObject } from '../rest/apply.js';
import { checkWriteOptions, managerFromUserAgent } from '../fieldmanager/manager-name.js';
import { bindPod, toScale, writeScale } from '../rest/subresources.js';
import { decodeBody, decodeOptionalBody, parseJson, parseYaml, patchTypeOf, type PatchType } from './body.js';
import { boolParam, fieldValidation, intParam, isDryRun, one, type Query, selection } from './query.js';
import { parseResourcePath, type ResourceRequest } from './request-path.js';
import { type IncludeObject, toTable, wantsTable } from './table.js';
import { eventEncoder, streamWatch } from './watch-stream.js';
import type { KubeObject, ListOptions } from '../storage/interface.js';
import type { ProxyLogs } from './logs.js';

/** What a resource request is, for the access log and the request metrics (upstream's RequestInfo). */
export interface RequestMeta {
  /** The Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection. */
  verb: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  /** As upstream's metrics scope it: one object (or a create), a namespace, or the cluster. */
  scope: 'resource' | 'namespace' | 'cluster';
  dryRun: boolean;
  apply: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    kube?: RequestMeta;
  }
}

function requireVerb(info: ResourceInfo, verb: Verb, allowed: readonly string[] = info.verbs): void {
  if (!allowed.includes(verb)) throw methodNotSupported(groupResourceOf(info), verb);
}

function includeObject(q: Query): IncludeObject {
  const v = one(q, 'includeObject') ?? 'Metadata';
  if (v !== 'None' && v !== 'Metadata' && v !== 'Object') throw badRequest(`includeObject must be one of None, Metadata or Object; got ${JSON.stringify(v)}`);
  return v;
}

function listKindOf(info: ResourceInfo): { apiVersion: string; kind: string } {
  return { apiVersion: info.group === '' ? info.version : `${info.group}/${info.version}`, kind: info.listKind };
}

/** Upstream's default watch timeout: a random duration between minRequestTimeout (30 min) and twice that. */
export function watchTimeoutMs(q: Query): number {
  const t = intParam(q, 'timeoutSeconds', 0);
  if (t !== undefined && t > 0) return t * 1000;
  return (1800 + Math.floor(Math.random() * 1800)) * 1000;
}

function writeOptions(q: Query, warnings: string[], userAgent?: string): WriteOptions {
  // managedFields record the fieldManager, or else the client's User-Agent product, as upstream does.
  const fm = one(q, 'fieldManager');
  const manager = fm !== undefined && fm !== '' ? fm : managerFromUserAgent(userAgent);
  return { dryRun: isDryRun(q), fieldValidation: fieldValidation(q), warnings: { add: (m) => warnings.push(m) }, manager };
}

function sendObject(reply: FastifyReply, code: number, obj: unknown, warnings: string[]): FastifyReply {
  if (warnings.length > 0) reply.header('Warning', warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', '));
  return reply.code(code).type('application/json').send(JSON.stringify(obj));
}

const comma = Buffer.from(',');
const listEnd = Buffer.from(']}');

/** The list `{...head, items}` from items already encoded: the same bytes JSON.stringify would give. */
function sendEncodedList(reply: FastifyReply, head: object, items: Buffer[]): FastifyReply {
  const parts: Buffer[] = [Buffer.from(`${JSON.stringify(head).slice(0, -1)},"items":[`)];
  for (let i = 0; i < items.length; i++) {
    if (i > 0) parts.push(comma);
    parts.push(items[i]!);
  }
  parts.push(listEnd);
  return reply.code(200).type('application/json').send(Buffer.concat(parts));
}

function parsePatchBody(type: PatchType, raw: unknown): unknown {
  const text = typeof raw === 'string' ? raw : '';
  if (text.trim() === '') throw badRequest('the body of a PATCH is empty');
  return type === 'apply' ? parseYaml(text) : parseJson(text);
}

export interface ResourceRouteDeps {
  ctx: RestContext;
  logs: ProxyLogs;
}

export function registerResourceRoutes(app: FastifyInstance, deps: ResourceRouteDeps): void {
  const { ctx } = deps;

  async function handle(req: FastifyRequest, reply: FastifyReply, group: string, version: string, rest: string) {
    const r = parseResourcePath(group, version, rest);
    const q = req.query as Query;
    const warnings: string[] = [];
    const method = req.method;
    const meta: RequestMeta = {
      verb: '',
      group,
      version,
      resource: r.info.resource,
      subresource: r.subresource?.name ?? '',
      scope: r.name !== undefined || method === 'POST' ? 'resource' : r.namespace !== undefined ? 'namespace' : 'cluster',
      dryRun: isDryRun(q),
      apply: method === 'PATCH' && req.headers['content-type']?.split(';')[0]?.trim() === 'application/apply-patch+yaml',
    };
    req.kube = meta;
    const ns = r.namespace;

    if (r.watchPath) {
      // The deprecated /watch/ routes are GET only and always watch, whatever ?watch says
      // (upstream's forceWatch); a name there selects that one object.
      meta.verb = 'watch';
      if (method !== 'GET') throw methodNotSupported(groupResourceOf(r.info), method.toLowerCase());
      requireVerb(r.info, 'watch');
      return serveWatch(req, reply, r, q);
    }

    if (method === 'GET') {
      if (r.name === undefined) {
        const watch = boolParam(q, 'watch');
        meta.verb = watch ? 'watch' : 'list';
        requireVerb(r.info, meta.verb as Verb);
        return watch ? serveWatch(req, reply, r, q) : serveList(req, reply, r, q);
      }
      meta.verb = 'get';
      if (r.subresource?.name === 'log') return deps.logs(req, reply, ns!, r.name, q);
      requireVerb(r.info, 'get', r.subresource?.verbs ?? r.info.verbs);
      const rv = one(q, 'resourceVersion');
      const obj = await ctx.store(r.info).get(ns, r.name, rv === undefined ? {} : { resourceVersion: rv });
      const out = r.subresource?.name === 'scale' ? toScale(obj) : obj;
      if (wantsTable(req.headers.accept)) {
        return sendObject(reply, 200, toTable(r.info, [out as KubeObject], { resourceVersion: obj.metadata?.resourceVersion }, req.headers.accept, includeObject(q), r.subresource?.name), warnings);
      }
      return sendObject(reply, 200, out, warnings);
    }

    if (method === 'POST') {
      meta.verb = 'create';
      if (r.subresource?.name === 'binding' || r.info.resource === 'bindings') {
        requireVerb(r.info, 'create', r.subresource?.verbs ?? r.info.verbs);
        if (r.info.resource === 'bindings' && r.name !== undefined) throw methodNotSupported(groupResourceOf(r.info), 'create');
        await bindPod(ctx, ns!, r.subresource ? r.name : undefined, decodeBody(req.headers['content-type'], req.body));
        return sendObject(reply, 201, successStatus(), warnings);
      }
      if (r.name !== undefined) throw methodNotSupported(groupResourceOf(r.info), 'create');
      requireVerb(r.info, 'create');
      if (r.info.namespaced && ns === undefined) throw badRequest('the namespace of the request is required to create a namespaced object');
      checkWriteOptions('CreateOptions', one(q, 'fieldManager'), false, false);
      const created = await createObject(ctx, r.info, ns, decodeBody(req.headers['content-type'], req.body), writeOptions(q, warnings, req.headers['user-agent']));
      return sendObject(reply, 201, created, warnings);
    }

    if (method === 'PUT' || method === 'PATCH') {
      meta.verb = method === 'PUT' ? 'update' : 'patch';
      if (r.name === undefined) throw methodNotSupported(groupResourceOf(r.info), meta.verb);
      requireVerb(r.info, meta.verb as Verb, r.subresource?.verbs ?? r.info.verbs);
      const opts = writeOptions(q, warnings, req.headers['user-agent']);
      const sub = r.subresource?.name;
      if (sub === 'scale') {
        const scale = method === 'PUT'
          ? (() => { const body = decodeBody(req.headers['content-type'], req.body); return () => body as KubeObject; })()
          : (() => { const type = patchTypeOf(req.headers['content-type']); const patch = parsePatchBody(type, req.body); return (cur: KubeObject) => applyPatch(r.info, type, cur, patch) as KubeObject; })();
        return sendObject(reply, 200, await writeScale(ctx, r.info, ns, r.name, scale, opts.manager), warnings);
      }
      if (sub === 'finalize') {
        checkWriteOptions('UpdateOptions', one(q, 'fieldManager'), false, false);
        return sendObject(reply, 200, await replaceObject(ctx, r.info, ns, r.name, 'finalize', decodeBody(req.headers['content-type'], req.body), opts), warnings);
      }
      if (sub !== undefined && sub !== 'status') throw methodNotSupported(groupResourceOf(r.info), meta.verb);
      const target = sub === 'status' ? 'status' : 'main';
      const name = r.name;
      if (method === 'PATCH' && patchTypeOf(req.headers['content-type']) === 'apply') {
        const fieldManager = one(q, 'fieldManager');
        const force = boolParam(q, 'force');
        checkWriteOptions('PatchOptions', fieldManager, force, true);
        const applied = await applyObject(ctx, r.info, ns, name, target, parsePatchBody('apply', req.body), { ...opts, manager: fieldManager!, force });
        return sendObject(reply, applied.created ? 201 : 200, applied.obj, warnings);
      }
      if (method === 'PATCH') checkWriteOptions('PatchOptions', one(q, 'fieldManager'), boolParam(q, 'force'), false);
      else checkWriteOptions('UpdateOptions', one(q, 'fieldManager'), false, false);
      const out = method === 'PUT'
        ? await replaceObject(ctx, r.info, ns, name, target, decodeBody(req.headers['content-type'], req.body), opts)
        : await (async () => {
            const type = patchTypeOf(req.headers['content-type']);
            return patchObject(ctx, r.info, ns, name, target, type, parsePatchBody(type, req.body), opts);
          })();
      return sendObject(reply, 200, out, warnings);
    }

    if (method === 'DELETE') {
      const opts = deleteRequestFrom(decodeOptionalBody(req.headers['content-type'], req.body), {
        gracePeriodSeconds: intParam(q, 'gracePeriodSeconds', -1),
        propagationPolicy: one(q, 'propagationPolicy'),
        orphanDependents: one(q, 'orphanDependents') === undefined ? undefined : boolParam(q, 'orphanDependents'),
      }, isDryRun(q));
      if (r.subresource !== undefined) throw methodNotSupported(groupResourceOf(r.info), 'delete');
      if (r.name !== undefined) {
        meta.verb = 'delete';
        requireVerb(r.info, 'delete');
        const result = await deleteObject(ctx, r.info, ns, r.name, opts);
        return sendObject(reply, deleteAnswerCode(opts, result.deleted), deleteAnswer(r.info, result), warnings);
      }
      meta.verb = 'deletecollection';
      requireVerb(r.info, 'deletecollection');
      const { predicate } = selection(r.info, q);
      const list = await ctx.store(r.info).list(ns, predicate ? { predicate } : {});
      for (const item of list.items) {
        try {
          await deleteObject(ctx, r.info, item.metadata?.namespace, item.metadata!.name!, opts);
        } catch (e) {
          // Gone already (deleted by someone else meanwhile): that is the desired end state.
          if ((e as { code?: number }).code !== 404) throw e;
        }
      }
      // Upstream answers the list it deleted from, as listed.
      return sendObject(reply, 200, { ...listKindOf(r.info), metadata: { resourceVersion: list.resourceVersion }, items: list.items }, warnings);
    }
    throw methodNotSupported(groupResourceOf(r.info), method.toLowerCase());
  }

  async function serveList(req: FastifyRequest, reply: FastifyReply, r: ResourceRequest, q: Query) {
    const { predicate } = selection(r.info, q);
    const opts: ListOptions = {};
    const rv = one(q, 'resourceVersion');
    const match = one(q, 'resourceVersionMatch');
    const limit = intParam(q, 'limit', 0);
    const cont = one(q, 'continue');
    if (predicate) opts.predicate = predicate;
    if (rv !== undefined) opts.resourceVersion = rv;
    if (match !== undefined && match !== '') {
      if (match !== 'NotOlderThan' && match !== 'Exact') throw badRequest(`resourceVersionMatch: Unsupported value: ${JSON.stringify(match)}: supported values: "Exact", "NotOlderThan"`);
      if (rv === undefined || rv === '') throw badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
      if (match === 'Exact' && rv === '0') throw badRequest('resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
      opts.resourceVersionMatch = match;
    }
    if (limit !== undefined && limit > 0) opts.limit = limit;
    if (cont !== undefined && cont !== '') {
      if (rv !== undefined && rv !== '' ) throw badRequest('specifying resource version is not allowed when using continue');
      opts.continue = cont;
    }
    const list = await ctx.store(r.info).list(r.namespace, opts);
    const listMeta: { resourceVersion: string; continue?: string; remainingItemCount?: number } = { resourceVersion: list.resourceVersion };
    if (list.continue !== undefined) listMeta.continue = list.continue;
    if (list.remainingItemCount !== undefined) listMeta.remainingItemCount = list.remainingItemCount;
    if (wantsTable(req.headers.accept)) {
      return sendObject(reply, 200, toTable(r.info, list.items, listMeta, req.headers.accept, includeObject(q)), []);
    }
    const head = { ...listKindOf(r.info), metadata: listMeta };
    if (list.encodedItems !== undefined) return sendEncodedList(reply, head, list.encodedItems());
    return sendObject(reply, 200, { ...head, items: list.items }, []);
  }

  async function serveWatch(req: FastifyRequest, reply: FastifyReply, r: ResourceRequest, q: Query) {
    const { predicate } = selection(r.info, q, r.name);
    const rv = one(q, 'resourceVersion');
    const timeout = watchTimeoutMs(q);
    const watcher = await ctx.store(r.info).watch(r.namespace, {
      ...(rv !== undefined ? { resourceVersion: rv } : {}),
      ...(predicate ? { predicate } : {}),
      allowBookmarks: boolParam(q, 'allowWatchBookmarks'),
      timeoutMs: timeout,
    });
    const table = wantsTable(req.headers.accept) ? { info: r.info, accept: req.headers.accept, include: includeObject(q) } : undefined;
    reply.hijack();
    await streamWatch(reply.raw, watcher, eventEncoder(table), timeout);
  }

  // The router decodes its wildcard; the resource path is parsed from the raw URL instead, so
  // that each segment is decoded exactly once (see parseResourcePath).
  const rawRest = (req: FastifyRequest, prefixSegments: number) => (req.raw.url ?? '').split('?')[0]!.split('/').slice(prefixSegments + 1).join('/');
  app.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: '/api/:version/*',
    handler: (req, reply) => {
      const p = req.params as { version: string };
      return handle(req, reply, '', p.version, rawRest(req, 2));
    },
  });
  app.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: '/apis/:group/:version/*',
    handler: (req, reply) => {
      const p = req.params as { group: string; version: string };
      return handle(req, reply, p.group, p.version, rawRest(req, 3));
    },
  });
}
