// OpenAPI v3, generated from the TypeBox schemas: `/openapi/v3` lists one document per
// group-version; each document carries the kinds' schemas with x-kubernetes-group-version-kind,
// which is what kubectl's validation and `kubectl explain` look up. The helpers exported here are
// shared with the Swagger 2.0 document of `/openapi/v2` (openapi-v2.ts), so both say the same.

import { createHash } from 'node:crypto';
import { allResources, DeleteOptions, groupVersions, Scale, StatusSchema, type ResourceInfo } from '@kubets/api';
import type { TSchema } from '@sinclair/typebox';
import { annotatePatchStrategy } from './openapi-patch-meta.js';

/** Where a document keeps its schemas: `#/components/schemas/` (v3) or `#/definitions/` (v2). */
export type RefPrefix = '#/components/schemas/' | '#/definitions/';

/** `io.k8s.api.core.v1.Pod`, `io.k8s.api.apps.v1.Deployment`, as upstream names its definitions. */
export function definitionName(group: string, version: string, kind: string): string {
  const g = group === '' ? 'core' : group.endsWith('.k8s.io') ? group.slice(0, -'.k8s.io'.length) : group;
  return `io.k8s.api.${g}.${version}.${kind}`;
}

export const statusName = 'io.k8s.apimachinery.pkg.apis.meta.v1.Status';
export const deleteOptionsName = 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions';

/** JSON Schema -> OpenAPI 3.0: maps have `additionalProperties`, not `patternProperties`. */
export function toOpenApi(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toOpenApi);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema as Record<string, unknown>)) {
    if (k === 'patternProperties') out.additionalProperties = anyValue(toOpenApi(Object.values(v as object)[0]));
    else if (k === '$id' || k === 'title') continue;
    else if (k === 'properties') out.properties = Object.fromEntries(Object.entries(v as object).map(([n, p]) => [n, anyValue(toOpenApi(p))]));
    else if (k === 'items') out.items = anyValue(toOpenApi(v));
    else out[k] = toOpenApi(v);
  }
  // int-or-string values are written as upstream's IntOrString: a string of format int-or-string.
  if (out['x-kubernetes-int-or-string'] === true) {
    delete out.anyOf;
    Object.assign(out, { type: 'string', format: 'int-or-string' });
  }
  return withoutNullBranch(out);
}

/**
 * `T | null` (creationTimestamp, an Event's times) is written as T, as upstream's documents do:
 * every field takes null as "unset" there, and kubectl explain shows an anyOf as `<Object>`.
 * The field's own description wins over T's.
 */
function withoutNullBranch(schema: Record<string, unknown>): Record<string, unknown> {
  const union = schema.anyOf;
  if (!Array.isArray(union) || union.length !== 2) return schema;
  const others = union.filter((b) => (b as Record<string, unknown>).type !== 'null');
  if (others.length !== 1) return schema;
  const { anyOf: _, ...rest } = schema;
  return { ...(others[0] as Record<string, unknown>), ...rest };
}

/**
 * A value that may be anything (Type.Unknown: managedFields' fieldsV1) is `{}` in JSON Schema;
 * Kubernetes says so with x-kubernetes-preserve-unknown-fields, and kubectl's explain template
 * fails on an empty schema ("expected schema argument to subtemplate 'typeguess'").
 */
function anyValue(schema: unknown): unknown {
  const empty = schema !== null && typeof schema === 'object' && !Array.isArray(schema) && Object.keys(schema).length === 0;
  return empty ? { 'x-kubernetes-preserve-unknown-fields': true } : schema;
}

export function kindSchema(info: { group: string; version: string; kind: string; schema: TSchema }) {
  const s = toOpenApi(JSON.parse(JSON.stringify(info.schema))) as Record<string, unknown>;
  annotatePatchStrategy(info.kind, s);
  s['x-kubernetes-group-version-kind'] = [{ group: info.group, version: info.version, kind: info.kind }];
  return s;
}

export function listSchemaFor(info: ResourceInfo, itemRef: string, refPrefix: RefPrefix = '#/components/schemas/') {
  return {
    type: 'object',
    description: `${info.kind}List is a list of ${info.kind} objects.`,
    required: ['items'],
    properties: {
      apiVersion: { type: 'string', description: 'The versioned schema of the list, as of its items.' },
      kind: { type: 'string', description: `Always ${info.listKind}.` },
      metadata: { type: 'object', description: 'The version the list was read at (resourceVersion) and the token of its next page (continue).' },
      items: { type: 'array', description: `The ${info.kind} objects.`, items: { $ref: `${refPrefix}${itemRef}` } },
    },
    'x-kubernetes-group-version-kind': [{ group: info.group, version: info.version, kind: info.listKind }],
  };
}

/** Status and DeleteOptions, which every group-version uses. */
export function metaSchemas(): Record<string, Record<string, unknown>> {
  return {
    [statusName]: {
      ...(toOpenApi(JSON.parse(JSON.stringify(StatusSchema))) as object),
      'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Status' }],
    },
    [deleteOptionsName]: {
      ...(toOpenApi(JSON.parse(JSON.stringify(DeleteOptions))) as object),
      'x-kubernetes-group-version-kind': groupVersions().map((gv) => ({ group: gv.group, version: gv.version, kind: 'DeleteOptions' })),
    },
  };
}

/** Subresource kinds served beside a resource but defined elsewhere (autoscaling/v1 Scale). */
export function subresourceKindSchemas(resources: readonly ResourceInfo[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const r of resources) {
    for (const s of r.subresources.filter((x) => x.kind === 'Scale')) {
      out[definitionName(s.group, s.version, s.kind)] ??= kindSchema({ group: s.group, version: s.version, kind: s.kind, schema: Scale });
    }
  }
  return out;
}

export function pathOf(gv: { group: string; version: string }): string {
  return gv.group === '' ? `api/${gv.version}` : `apis/${gv.group}/${gv.version}`;
}

/** The query parameters each verb takes, and their types. */
export const writeParams = ['dryRun', 'fieldManager', 'fieldValidation'];
export const listParams = ['labelSelector', 'fieldSelector', 'limit', 'continue', 'resourceVersion', 'resourceVersionMatch', 'watch', 'allowWatchBookmarks', 'timeoutSeconds'];
export const deleteParams = ['dryRun', 'gracePeriodSeconds', 'propagationPolicy'];
export const deleteCollectionParams = ['gracePeriodSeconds', 'propagationPolicy', ...listParams.slice(0, 5)];
export function queryParamType(name: string): 'integer' | 'boolean' | 'string' {
  if (name === 'limit' || name === 'timeoutSeconds' || name === 'gracePeriodSeconds') return 'integer';
  if (name === 'watch' || name === 'allowWatchBookmarks' || name === 'force') return 'boolean';
  return 'string';
}

const statusRef = { $ref: `#/components/schemas/${statusName}` };

function documentFor(group: string, version: string) {
  const schemas: Record<string, unknown> = {};
  const paths: Record<string, unknown> = {};
  for (const r of allResources().filter((x) => x.group === group && x.version === version)) {
    const name = definitionName(r.group, r.version, r.kind);
    schemas[name] = kindSchema(r);
    schemas[definitionName(r.group, r.version, r.listKind)] = listSchemaFor(r, name);
    const base = `/${pathOf(r)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.resource}`;
    const ref = { $ref: `#/components/schemas/${name}` };
    const listRef = { $ref: `#/components/schemas/${definitionName(r.group, r.version, r.listKind)}` };
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const op = (action: string, description: string, params: string[], schema: unknown, body?: unknown) => ({
      description,
      operationId: `${action}${r.kind}`,
      parameters: params.map((p) => ({ name: p, in: 'query', schema: { type: queryParamType(p), uniqueItems: true } })),
      ...(body !== undefined ? { requestBody: { content: { 'application/json': { schema: body } }, required: true } } : {}),
      responses: { '200': { description: 'OK', content: { 'application/json': { schema } } } },
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
    });
    const collection: Record<string, unknown> = {};
    if (r.verbs.includes('list')) collection.get = op('list', `list or watch objects of kind ${r.kind}`, listParams, listRef);
    if (r.verbs.includes('create')) collection.post = op('post', `create a ${r.kind}`, writeParams, ref, ref);
    if (r.verbs.includes('deletecollection')) collection.delete = op('deletecollection', `delete collection of ${r.kind}`, deleteCollectionParams, statusRef);
    paths[base] = collection;
    const item: Record<string, unknown> = {};
    if (r.verbs.includes('get')) item.get = op('get', `read the specified ${r.kind}`, [], ref);
    if (r.verbs.includes('update')) item.put = op('put', `replace the specified ${r.kind}`, writeParams, ref, ref);
    if (r.verbs.includes('patch')) item.patch = op('patch', `partially update the specified ${r.kind}`, [...writeParams, 'force'], ref, { type: 'object' });
    if (r.verbs.includes('delete')) item.delete = op('delete', `delete a ${r.kind}`, deleteParams, ref);
    if (Object.keys(item).length > 0) paths[`${base}/{name}`] = item;
  }
  Object.assign(schemas, subresourceKindSchemas(allResources().filter((x) => x.group === group && x.version === version)), metaSchemas());
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0-kubets' },
    paths,
    components: { schemas },
  };
}

export interface OpenApiDocuments {
  root: { paths: Record<string, { serverRelativeURL: string }> };
  /** Keyed by `api/v1`, `apis/apps/v1` ...: the serialised document and its hash. */
  documents: Map<string, { body: string; hash: string }>;
}

/** Built once at start-up: the schemas never change while the server runs. */
export function buildOpenApi(): OpenApiDocuments {
  const documents = new Map<string, { body: string; hash: string }>();
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of groupVersions()) {
    const body = JSON.stringify(documentFor(gv.group, gv.version));
    const hash = createHash('sha512').update(body).digest('hex').slice(0, 128).toUpperCase();
    const p = pathOf(gv);
    documents.set(p, { body, hash });
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hash}` };
  }
  return { root: { paths }, documents };
}
