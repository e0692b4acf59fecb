// /openapi/v2 without a cluster: the Swagger 2.0 document obeys the rules kubectl's model parser
// enforces (one bad schema and kubectl 1.27/1.28 reject the whole document), the protobuf
// encoding decodes back with our gnostic message definitions, and the route negotiates JSON or
// protobuf and answers If-None-Match with 304. kubectl itself reads it in the kubectl suite.

import Fastify from 'fastify';
import t from 'tap';
import YAML from 'yaml';
import { buildSwaggerDocument, type JsonObject } from '../src/http/openapi-v2.js';
import { decodeSwaggerDocument, documentMessage, DocumentMessage } from '../src/http/openapi-v2-proto.js';
import { buildOpenApiV2, openApiV2ProtobufAccept, openApiV2ProtobufType, registerOpenApiV2 } from '../src/http/openapi-v2-route.js';

const doc = buildSwaggerDocument();
const v2 = buildOpenApiV2();

/** The checks of kube-openapi's proto.NewOpenAPIData, which kubectl runs on the document. */
function problems(s: JsonObject, at: string, out: string[]): string[] {
  if (s.$ref !== undefined) {
    const target = String(s.$ref).replace('#/definitions/', '');
    if (!String(s.$ref).startsWith('#/definitions/') || doc.definitions[target] === undefined) out.push(`${at}: dangling $ref ${String(s.$ref)}`);
    if (s.type !== undefined || s.properties !== undefined) out.push(`${at}: $ref with a type or properties`);
    return out;
  }
  for (const k of ['anyOf', 'oneOf', 'const', 'nullable', 'patternProperties']) if (k in s) out.push(`${at}: ${k} is not Swagger 2.0`);
  if (Array.isArray(s.type)) out.push(`${at}: several types`);
  const type = s.type as string | undefined;
  if (type !== undefined && !['object', 'array', 'string', 'integer', 'number', 'boolean'].includes(type)) out.push(`${at}: type ${type}`);
  if (type === 'array') {
    if (s.items === undefined || Array.isArray(s.items)) out.push(`${at}: an array needs exactly one items schema`);
    else problems(s.items as JsonObject, `${at}[]`, out);
  }
  for (const [name, p] of Object.entries((s.properties ?? {}) as Record<string, JsonObject>)) problems(p, `${at}.${name}`, out);
  if (s.additionalProperties !== undefined && typeof s.additionalProperties === 'object') problems(s.additionalProperties as JsonObject, `${at}{}`, out);
  return out;
}

t.test('the Swagger 2.0 document is one kubectl can parse', async (t) => {
  t.equal(doc.swagger, '2.0');
  const found: string[] = [];
  for (const [name, s] of Object.entries(doc.definitions)) problems(s, name, found);
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (method === 'parameters') continue;
      for (const p of ((op as JsonObject).parameters ?? []) as JsonObject[]) if (p.in === 'body') problems(p.schema as JsonObject, `${method} ${path} body`, found);
      for (const [code, r] of Object.entries((op as JsonObject).responses as Record<string, JsonObject>)) if (r.schema !== undefined) problems(r.schema as JsonObject, `${method} ${path} ${code}`, found);
    }
  }
  t.same(found, [], 'no schema kubectl would reject');

  const pod = doc.definitions['io.k8s.api.core.v1.Pod']!;
  t.same(pod['x-kubernetes-group-version-kind'], [{ group: '', version: 'v1', kind: 'Pod' }]);
  const list = doc.definitions['io.k8s.api.apps.v1.DeploymentList']!;
  t.same((list.properties as JsonObject).items, { type: 'array', description: 'The Deployment objects.', items: { $ref: '#/definitions/io.k8s.api.apps.v1.Deployment' } });
  const created = ((pod.properties as JsonObject).metadata as { properties: JsonObject }).properties.creationTimestamp;
  t.match(created, { type: 'string', format: 'date-time' }, 'a nullable timestamp is a string');
  const podSpec = (pod.properties as JsonObject).spec as { properties: Record<string, JsonObject> };
  t.match(podSpec.properties.containers, { 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' });
  const scale = doc.definitions['io.k8s.api.autoscaling.v1.Scale']!;
  t.same(scale['x-kubernetes-group-version-kind'], [{ group: 'autoscaling', version: 'v1', kind: 'Scale' }]);

  const item = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']!;
  const patch = item.patch as JsonObject;
  t.equal(patch['x-kubernetes-action'], 'patch');
  t.same(patch['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
  t.ok((patch.consumes as string[]).includes('application/strategic-merge-patch+json'));
  t.ok((patch.parameters as JsonObject[]).some((p) => p.name === 'fieldValidation' && p.in === 'query'), 'kubectl learns that PATCH validates server-side');
  t.same((item.parameters as JsonObject[]).map((p) => `${String(p.in)}:${String(p.name)}`), ['path:name', 'path:namespace', 'query:pretty']);
  t.equal((doc.paths['/api/v1/namespaces']!.post as JsonObject).operationId, 'createCoreV1Namespace');
  t.equal((doc.paths['/apis/apps/v1/deployments']!.get as JsonObject).operationId, 'listAppsV1DeploymentForAllNamespaces');
  t.same((doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale']!.put as JsonObject)['x-kubernetes-group-version-kind'], { group: 'autoscaling', version: 'v1', kind: 'Scale' });
});

t.test('the protobuf encoding decodes back to the same document', async (t) => {
  t.equal(DocumentMessage.verify(documentMessage(doc)), null, 'the message matches the .proto declarations');
  const back = decodeSwaggerDocument(v2.protobuf.body as Buffer) as any;
  t.equal(back.swagger, '2.0');
  t.equal(back.info.title, 'Kubernetes');
  const defs = back.definitions.additional_properties as { name: string; value: any }[];
  t.same(defs.map((d) => d.name), Object.keys(doc.definitions), 'every definition, in order');
  const deployment = defs.find((d) => d.name === 'io.k8s.api.apps.v1.Deployment')!.value;
  t.same(deployment.type.value, ['object']);
  const gvk = deployment.vendor_extension.find((e: any) => e.name === 'x-kubernetes-group-version-kind');
  t.same(YAML.parse(gvk.value.yaml), [{ group: 'apps', version: 'v1', kind: 'Deployment' }], 'vendor extensions carry YAML');
  const props = (s: any) => Object.fromEntries(s.properties.additional_properties.map((p: any) => [p.name, p.value]));
  const spec = props(deployment).spec;
  t.same(props(spec).replicas.type.value, ['integer']);
  const labels = props(props(deployment).metadata).labels;
  t.same(labels.additional_properties.schema.type.value, ['string'], 'maps are additionalProperties');
  const list = defs.find((d) => d.name === 'io.k8s.api.apps.v1.DeploymentList')!.value;
  t.equal(props(list).items.items.schema[0]._ref, '#/definitions/io.k8s.api.apps.v1.Deployment');

  const paths = back.paths.path as { name: string; value: any }[];
  t.same(paths.map((p) => p.name), Object.keys(doc.paths));
  const item = paths.find((p) => p.name === '/apis/apps/v1/namespaces/{namespace}/deployments/{name}')!.value;
  const params = item.patch.parameters.map((p: any) => p.parameter.body_parameter ?? p.parameter.non_body_parameter.query_parameter_sub_schema);
  t.same(params.map((p: any) => p.name), ['body', 'dryRun', 'fieldManager', 'fieldValidation', 'force']);
  t.equal(params[0].schema._ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch');
  const opGvk = item.patch.vendor_extension.find((e: any) => e.name === 'x-kubernetes-group-version-kind');
  t.same(YAML.parse(opGvk.value.yaml), { group: 'apps', version: 'v1', kind: 'Deployment' });
  t.equal(item.parameters[0].parameter.non_body_parameter.path_parameter_sub_schema.name, 'name');
  const ok = item.get.responses.response_code.find((r: any) => r.name === '200').value.response;
  t.equal(ok.schema.schema._ref, '#/definitions/io.k8s.api.apps.v1.Deployment');
});

t.test('GET /openapi/v2 negotiates JSON or protobuf, with ETags', async (t) => {
  const app = Fastify();
  registerOpenApiV2(app, () => v2);
  t.teardown(() => app.close());

  const plain = await app.inject({ method: 'GET', url: '/openapi/v2' });
  t.equal(plain.statusCode, 200);
  t.match(plain.headers['content-type'], /^application\/json/);
  t.equal(JSON.parse(plain.body).swagger, '2.0');

  const pb = await app.inject({ method: 'GET', url: '/openapi/v2', headers: { accept: openApiV2ProtobufAccept } });
  t.equal(pb.statusCode, 200);
  t.equal(pb.headers['content-type'], openApiV2ProtobufType, 'labelled with the spelling Go can parse, as kube-apiserver does');
  t.equal(pb.headers.vary, 'Accept');
  t.same(Object.keys(decodeSwaggerDocument(pb.rawPayload)), Object.keys(decodeSwaggerDocument(v2.protobuf.body as Buffer)));
  t.not(pb.headers.etag, plain.headers.etag, 'each encoding has its own ETag');

  const again = await app.inject({ method: 'GET', url: '/openapi/v2', headers: { accept: openApiV2ProtobufType, 'if-none-match': String(pb.headers.etag) } });
  t.equal(again.statusCode, 304);
  t.equal(again.body, '');
  const stale = await app.inject({ method: 'GET', url: '/openapi/v2', headers: { accept: 'application/json', 'if-none-match': '"nope"' } });
  t.equal(stale.statusCode, 200);

  const preferred = await app.inject({ method: 'GET', url: '/openapi/v2', headers: { accept: `application/json;q=0.5, ${openApiV2ProtobufType}` } });
  t.equal(preferred.headers['content-type'], openApiV2ProtobufType, 'the higher q wins');
  const html = await app.inject({ method: 'GET', url: '/openapi/v2', headers: { accept: 'text/html' } });
  t.equal(html.statusCode, 406);
});
