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

function documentFor(group: string, version: string) {
  const schemas: Record<string, unknown> = {};
  const paths: Record<string, unknown> = {};
  for (const r of allResources().filter((x) => x.group === group && x.version === version)) {
    const name = definitionName(r.group, r.version, r.kind);
    schemas[name] = kindSchema(r);
    schemas[definitionName(r.group, r.version, r.listKind)] = listSchemaFor(r, name);
    const base = `/${pathOf(r)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.resource}`;
    const ref = { $ref: `#/components/schemas/${name}` };
    paths[base] = {
      get: { description: `list or watch objects of kind ${r.kind}`, responses: { '200': { content: { 'application/json': { schema: { $ref: `#/components/schemas/${definitionName(r.group, r.version, r.listKind)}` } } } } } },
      post: { description: `create a ${r.kind}`, requestBody: { content: { 'application/json': { schema: ref } } }, responses: { '201': { content: { 'application/json': { schema: ref } } } } },
    };
    paths[`${base}/{name}`] = {
      get: { description: `read the specified ${r.kind}`, responses: { '200': { content: { 'application/json': { schema: ref } } } } },
      put: { description: `replace the specified ${r.kind}`, requestBody: { content: { 'application/json': { schema: ref } } }, responses: { '200': { content: { 'application/json': { schema: ref } } } } },
    };
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
