// The Swagger 2.0 document of `/openapi/v2`, from the same TypeBox schemas as OpenAPI v3: one
// document for every group-version, with `definitions` named as upstream names them and `paths`
// whose operations carry x-kubernetes-action and x-kubernetes-group-version-kind. kubectl 1.27
// and 1.28 read it (as protobuf, see openapi-v2-proto.ts) for client-side apply's patch
// metadata, to learn whether a PATCH takes fieldValidation (server-side validation), and for
// `kubectl explain`; its model parser rejects the whole document if one schema is not Swagger
// 2.0 (anyOf, a `null` type, an array without items, a dangling $ref), hence toSwagger below.

import { allResources, type ResourceInfo, type SubresourceInfo } from '@kubets/api';
import {
  definitionName, deleteCollectionParams, deleteOptionsName, deleteParams, kindSchema, listParams, listSchemaFor, metaSchemas, pathOf,
  queryParamType, statusName, subresourceKindSchemas, writeParams,
} from './openapi.js';

export type JsonObject = Record<string, unknown>;

export interface SwaggerDocument {
  swagger: '2.0';
  info: { title: string; version: string };
  paths: Record<string, JsonObject>;
  definitions: Record<string, JsonObject>;
}

const v3Prefix = '#/components/schemas/';
const patchName = 'io.k8s.apimachinery.pkg.apis.meta.v1.Patch';
const patchTypes = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];

/**
 * An OpenAPI 3.0 schema (openapi.ts's toOpenApi) -> Swagger 2.0: `x | null` unions become `x`,
 * `const` (no 2.0 equivalent) goes, and $refs point into `#/definitions/`.
 */
export function toSwagger(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toSwagger);
  if (schema === null || typeof schema !== 'object') return schema;
  const src = schema as JsonObject;
  let out: JsonObject = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === 'anyOf' || k === 'oneOf' || k === 'const' || k === 'nullable') continue;
    if (k === 'properties') out.properties = Object.fromEntries(Object.entries(v as JsonObject).map(([n, s]) => [n, toSwagger(s)]));
    else if (k === '$ref') out.$ref = String(v).replace(v3Prefix, '#/definitions/');
    else if (k === 'type' && Array.isArray(v)) out.type = v.find((t) => t !== 'null');
    else out[k] = toSwagger(v);
  }
  const union = (src.anyOf ?? src.oneOf) as unknown[] | undefined;
  if (union !== undefined) {
    const branches = union.filter((b) => (b as JsonObject).type !== 'null');
    // One real branch: take it. Several (no such schema yet): leave the value untyped, which
    // kubectl treats as "anything".
    if (branches.length === 1) out = { ...(toSwagger(branches[0]) as JsonObject), ...out };
  }
  if (out.type === 'array' && out.items === undefined) out.items = {};
  return out;
}

/** `Core`, `Apps`, `Coordination`: the group as upstream spells it in operation ids. */
function groupWord(group: string): string {
  const g = group === '' ? 'core' : group.replace(/\.k8s\.io$/, '');
  return g.split('.').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

/** `core_v1`, `apps_v1`: the tag upstream puts on a group-version's operations. */
function tagOf(group: string, version: string): string {
  return `${group === '' ? 'core' : group.replace(/\.k8s\.io$/, '').replace(/\./g, '_')}_${version}`;
}

const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
const query = (name: string) => ({ uniqueItems: true, type: queryParamType(name), description: queryDescriptions[name] ?? name, name, in: 'query' });
const pathParam = (name: string, description: string) => ({ uniqueItems: true, type: 'string', description, name, in: 'path', required: true });
const body = (schema: unknown) => ({ name: 'body', in: 'body', required: true, schema });
const responses = (codes: string[], schema: unknown) =>
  Object.fromEntries([...codes.map((c) => [c, { description: codeText[c]!, schema }]), ['401', { description: 'Unauthorized' }]]);
const codeText: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted' };

const queryDescriptions: Record<string, string> = {
  dryRun: 'When present (All), the change is validated but not persisted.',
  fieldManager: 'The name of the actor or entity making the change.',
  fieldValidation: 'How to treat unknown and duplicate fields in the body: Ignore, Warn or Strict.',
  force: 'Apply requests only: take ownership of fields owned by other managers.',
  labelSelector: 'Restrict the returned objects by their labels.',
  fieldSelector: 'Restrict the returned objects by their fields.',
  limit: 'The most objects to return in one page.',
  continue: 'The token of the next page, from the previous page\'s metadata.continue.',
  resourceVersion: 'Which resource version the request is served at.',
  resourceVersionMatch: 'How resourceVersion applies: Exact or NotOlderThan.',
  watch: 'Watch for changes and stream them as events.',
  allowWatchBookmarks: 'Ask for BOOKMARK events.',
  timeoutSeconds: 'How long the list or watch call may last.',
  gracePeriodSeconds: 'Seconds before the object is deleted.',
  propagationPolicy: 'Whether and how dependents are garbage collected: Orphan, Background or Foreground.',
  pretty: 'If true, the output is pretty printed.',
};

interface OpSpec {
  method: 'get' | 'put' | 'post' | 'patch' | 'delete';
  action: string;
  id: string;
  description: string;
  params: unknown[];
  consumes?: string[];
  produces?: string[];
  codes: string[];
  schema: unknown;
  gvk: { group: string; version: string; kind: string };
}

function operation(o: OpSpec, tag: string): JsonObject {
  return {
    description: o.description,
    consumes: o.consumes ?? ['*/*'],
    produces: o.produces ?? ['application/json', 'application/yaml'],
    schemes: ['https'],
    tags: [tag],
    operationId: o.id,
    ...(o.params.length > 0 ? { parameters: o.params } : {}),
    responses: responses(o.codes, o.schema),
    'x-kubernetes-action': o.action,
    'x-kubernetes-group-version-kind': o.gvk,
  };
}

/** The paths of one resource: collection, object, across namespaces, subresources. */
function resourcePaths(r: ResourceInfo): Record<string, JsonObject> {
  const out: Record<string, JsonObject> = {};
  const tag = tagOf(r.group, r.version);
  const prefix = `${groupWord(r.group)}${r.version.charAt(0).toUpperCase()}${r.version.slice(1)}`;
  const scope = r.namespaced ? 'Namespaced' : '';
  const gvk = { group: r.group, version: r.version, kind: r.kind };
  const base = `/${pathOf(r)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.resource}`;
  const nsParam = r.namespaced ? [pathParam('namespace', 'object name and auth scope, such as for teams and projects')] : [];
  const pretty = query('pretty');
  const item = ref(definitionName(r.group, r.version, r.kind));
  const list = ref(definitionName(r.group, r.version, r.listKind));
  const has = (v: string) => r.verbs.includes(v as never);
  const add = (path: string, pathParams: unknown[], ops: OpSpec[]) => {
    if (ops.length === 0) return;
    const entry: JsonObject = {};
    for (const o of ops) entry[o.method] = operation(o, tag);
    entry.parameters = [...pathParams, pretty];
    out[path] = entry;
  };

  const collection: OpSpec[] = [];
  if (has('list')) collection.push({ method: 'get', action: 'list', id: `list${prefix}${scope}${r.kind}`, description: `list or watch objects of kind ${r.kind}`, params: listParams.map(query), produces: ['application/json', 'application/yaml', 'application/json;stream=watch'], codes: ['200'], schema: list, gvk });
  if (has('create')) collection.push({ method: 'post', action: 'post', id: `create${prefix}${scope}${r.kind}`, description: `create a ${r.kind}`, params: [body(item), ...writeParams.map(query)], codes: ['200', '201', '202'], schema: item, gvk });
  if (has('deletecollection')) collection.push({ method: 'delete', action: 'deletecollection', id: `deleteCollection${prefix}${scope}${r.kind}`, description: `delete collection of ${r.kind}`, params: [body(ref(deleteOptionsName)), ...deleteCollectionParams.map(query)], codes: ['200'], schema: ref(statusName), gvk });
  add(base, nsParam, collection);

  const nameParam = pathParam('name', `name of the ${r.kind}`);
  const object: OpSpec[] = [];
  if (has('get')) object.push({ method: 'get', action: 'get', id: `read${prefix}${scope}${r.kind}`, description: `read the specified ${r.kind}`, params: [], codes: ['200'], schema: item, gvk });
  if (has('update')) object.push({ method: 'put', action: 'put', id: `replace${prefix}${scope}${r.kind}`, description: `replace the specified ${r.kind}`, params: [body(item), ...writeParams.map(query)], codes: ['200', '201'], schema: item, gvk });
  if (has('patch')) object.push({ method: 'patch', action: 'patch', id: `patch${prefix}${scope}${r.kind}`, description: `partially update the specified ${r.kind}`, params: [body(ref(patchName)), ...[...writeParams, 'force'].map(query)], consumes: patchTypes, codes: ['200', '201'], schema: item, gvk });
  if (has('delete')) object.push({ method: 'delete', action: 'delete', id: `delete${prefix}${scope}${r.kind}`, description: `delete a ${r.kind}`, params: [body(ref(deleteOptionsName)), ...deleteParams.map(query)], codes: ['200', '202'], schema: item, gvk });
  add(`${base}/{name}`, [nameParam, ...nsParam], object);

  if (r.namespaced && has('list')) {
    add(`/${pathOf(r)}/${r.resource}`, [], [{ method: 'get', action: 'list', id: `list${prefix}${r.kind}ForAllNamespaces`, description: `list or watch objects of kind ${r.kind}`, params: listParams.map(query), produces: ['application/json', 'application/yaml', 'application/json;stream=watch'], codes: ['200'], schema: list, gvk }]);
  }
  for (const s of r.subresources) add(`${base}/{name}/${s.name}`, [nameParam, ...nsParam], subresourceOps(r, s, `${prefix}${scope}${r.kind}`));
  return out;
}

function subresourceOps(r: ResourceInfo, s: SubresourceInfo, idBase: string): OpSpec[] {
  const gvk = { group: s.group, version: s.version, kind: s.kind };
  const word = s.name.charAt(0).toUpperCase() + s.name.slice(1);
  const description = `the ${s.name} of the specified ${r.kind}`;
  // A log is text; every other subresource is an object of the subresource's kind.
  const schema = s.name === 'log' ? { type: 'string' } : ref(definitionName(s.group, s.version, s.kind));
  const ops: OpSpec[] = [];
  if (s.verbs.includes('get')) ops.push({ method: 'get', action: 'get', id: `read${idBase}${word}`, description: `read ${description}`, params: [], produces: s.name === 'log' ? ['text/plain', 'application/json'] : undefined, codes: ['200'], schema, gvk });
  if (s.verbs.includes('update')) ops.push({ method: 'put', action: 'put', id: `replace${idBase}${word}`, description: `replace ${description}`, params: [body(schema), ...writeParams.map(query)], codes: ['200', '201'], schema, gvk });
  if (s.verbs.includes('patch')) ops.push({ method: 'patch', action: 'patch', id: `patch${idBase}${word}`, description: `partially update ${description}`, params: [body(ref(patchName)), ...[...writeParams, 'force'].map(query)], consumes: patchTypes, codes: ['200', '201'], schema, gvk });
  if (s.verbs.includes('create')) ops.push({ method: 'post', action: 'post', id: `create${idBase}${word}`, description: `create ${description}`, params: [body(schema), ...writeParams.map(query)], codes: ['200', '201', '202'], schema, gvk });
  return ops;
}

/** Built once at start-up, like the v3 documents. */
export function buildSwaggerDocument(): SwaggerDocument {
  const resources = allResources();
  const definitions: Record<string, JsonObject> = {};
  const paths: Record<string, JsonObject> = {};
  for (const r of resources) {
    const name = definitionName(r.group, r.version, r.kind);
    definitions[name] = toSwagger(kindSchema(r)) as JsonObject;
    definitions[definitionName(r.group, r.version, r.listKind)] = toSwagger(listSchemaFor(r, name, '#/definitions/')) as JsonObject;
    Object.assign(paths, resourcePaths(r));
  }
  for (const [name, s] of Object.entries({ ...subresourceKindSchemas(resources), ...metaSchemas() })) definitions[name] ??= toSwagger(s) as JsonObject;
  definitions[patchName] = { description: 'The body of a PATCH request, in the format its Content-Type names.', type: 'object' };
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: 'v1.32.0-kubets' },
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    definitions: Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b))),
  };
}
