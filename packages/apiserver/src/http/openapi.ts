// OpenAPI v3, generated from the TypeBox schemas: `/openapi/v3` lists one document per
// group-version; each document carries the kinds' schemas with x-kubernetes-group-version-kind,
// which is what kubectl's validation and `kubectl explain` look up.

import { createHash } from 'node:crypto';
import { allResources, DeleteOptions, groupVersions, Scale, StatusSchema, type ResourceInfo } from '@kubets/api';
import type { TSchema } from '@sinclair/typebox';

/** `io.k8s.api.core.v1.Pod`, `io.k8s.api.apps.v1.Deployment`, as upstream names its definitions. */
function definitionName(group: string, version: string, kind: string): string {
  const g = group === '' ? 'core' : group.endsWith('.k8s.io') ? group.slice(0, -'.k8s.io'.length) : group;
  return `io.k8s.api.${g}.${version}.${kind}`;
}

/** JSON Schema -> OpenAPI 3.0: maps have `additionalProperties`, not `patternProperties`. */
function toOpenApi(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toOpenApi);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema as Record<string, unknown>)) {
    if (k === 'patternProperties') out.additionalProperties = toOpenApi(Object.values(v as object)[0]);
    else if (k === '$id' || k === 'title') continue;
    else out[k] = toOpenApi(v);
  }
  // int-or-string values have no single type in Kubernetes' documents.
  if (out['x-kubernetes-int-or-string'] === true) delete out.anyOf;
  return out;
}

function kindSchema(info: { group: string; version: string; kind: string; schema: TSchema }) {
  const s = toOpenApi(JSON.parse(JSON.stringify(info.schema))) as Record<string, unknown>;
  s['x-kubernetes-group-version-kind'] = [{ group: info.group, version: info.version, kind: info.kind }];
  return s;
}

function listSchemaFor(info: ResourceInfo, itemRef: string) {
  return {
    type: 'object',
    description: `${info.kind}List is a list of ${info.kind} objects.`,
    required: ['items'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      items: { type: 'array', items: { $ref: `#/components/schemas/${itemRef}` } },
    },
    'x-kubernetes-group-version-kind': [{ group: info.group, version: info.version, kind: info.listKind }],
  };
}

function pathOf(gv: { group: string; version: string }): string {
  return gv.group === '' ? `api/${gv.version}` : `apis/${gv.group}/${gv.version}`;
}

const statusRef = { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Status' };

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
      parameters: params.map((p) => ({ name: p, in: 'query', schema: { type: p === 'limit' || p === 'timeoutSeconds' || p === 'gracePeriodSeconds' ? 'integer' : p === 'watch' || p === 'allowWatchBookmarks' ? 'boolean' : 'string', uniqueItems: true } })),
      ...(body !== undefined ? { requestBody: { content: { 'application/json': { schema: body } }, required: true } } : {}),
      responses: { '200': { description: 'OK', content: { 'application/json': { schema } } } },
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
    });
    const writeParams = ['dryRun', 'fieldManager', 'fieldValidation'];
    const listParams = ['labelSelector', 'fieldSelector', 'limit', 'continue', 'resourceVersion', 'resourceVersionMatch', 'watch', 'allowWatchBookmarks', 'timeoutSeconds'];
    const collection: Record<string, unknown> = {};
    if (r.verbs.includes('list')) collection.get = op('list', `list or watch objects of kind ${r.kind}`, listParams, listRef);
    if (r.verbs.includes('create')) collection.post = op('post', `create a ${r.kind}`, writeParams, ref, ref);
    if (r.verbs.includes('deletecollection')) collection.delete = op('deletecollection', `delete collection of ${r.kind}`, ['gracePeriodSeconds', 'propagationPolicy', ...listParams.slice(0, 5)], statusRef);
    paths[base] = collection;
    const item: Record<string, unknown> = {};
    if (r.verbs.includes('get')) item.get = op('get', `read the specified ${r.kind}`, [], ref);
    if (r.verbs.includes('update')) item.put = op('put', `replace the specified ${r.kind}`, writeParams, ref, ref);
    if (r.verbs.includes('patch')) item.patch = op('patch', `partially update the specified ${r.kind}`, [...writeParams, 'force'], ref, { type: 'object' });
    if (r.verbs.includes('delete')) item.delete = op('delete', `delete a ${r.kind}`, ['dryRun', 'gracePeriodSeconds', 'propagationPolicy'], ref);
    if (Object.keys(item).length > 0) paths[`${base}/{name}`] = item;
  }
  // Subresource kinds served from this group-version but defined elsewhere (autoscaling/v1 Scale).
  for (const r of allResources().filter((x) => x.group === group && x.version === version)) {
    for (const s of r.subresources.filter((x) => x.kind === 'Scale')) {
      schemas[definitionName(s.group, s.version, s.kind)] ??= kindSchema({ group: s.group, version: s.version, kind: s.kind, schema: Scale });
    }
  }
  schemas['io.k8s.apimachinery.pkg.apis.meta.v1.Status'] = {
    ...(toOpenApi(JSON.parse(JSON.stringify(StatusSchema))) as object),
    'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'Status' }],
  };
  schemas['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions'] = {
    ...(toOpenApi(JSON.parse(JSON.stringify(DeleteOptions))) as object),
    'x-kubernetes-group-version-kind': groupVersions().map((gv) => ({ group: gv.group, version: gv.version, kind: 'DeleteOptions' })),
  };
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
