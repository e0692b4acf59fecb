// Aggregated discovery, as kube-apiserver serves it: `/api` and `/apis` answer an
// APIGroupDiscoveryList (apidiscovery.k8s.io v2, or v2beta1 for kubectl 1.27-1.29) when the
// Accept header asks for one, with an ETag, Vary: Accept and 304 for a matching If-None-Match;
// the plain APIVersions / APIGroupList otherwise. kubectl 1.27 and 1.32 then discover with two
// requests, and api-resources, get and explain work from it.

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startOneApiServer } from './support/one-api-server.js';
import { call } from './support/http.js';
import { kubectlDirectory, kubectlFor } from './support/kubectl.js';

const api = await startOneApiServer({ impl: 'etcd' });
const dir = await mkdtemp(join(tmpdir(), 'kubets-aggregated-discovery-'));
t.teardown(async () => {
  await rm(dir, { recursive: true, force: true });
});
const A = api.url;

/** What kubectl 1.30+ sends; 1.27-1.29 leave out the v2 alternative. */
const kubectlAccept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
const v2beta1Accept = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

/** The media type's parameters, as Go's mime.ParseMediaType (client-go) reads them. */
function mediaParams(contentType: unknown): Record<string, string> {
  const [, ...params] = String(contentType).split(';');
  return Object.fromEntries(params.map((p) => p.trim().split('=')).map(([k, v]) => [k!, v!.replace(/^"|"$/g, '')]));
}

t.test('/apis with kubectl\'s Accept: an APIGroupDiscoveryList of every named group, resources and subresources included', async (t) => {
  const res = await call(A, 'GET', '/apis', undefined, { accept: kubectlAccept });
  t.equal(res.status, 200, res.text);
  t.equal(String(res.headers['content-type']).split(';')[0], 'application/json');
  t.match(mediaParams(res.headers['content-type']), { g: 'apidiscovery.k8s.io', v: 'v2', as: 'APIGroupDiscoveryList' });
  t.equal(res.headers.vary, 'Accept');
  t.match(res.headers.etag, /^"[0-9A-F]{128}"$/);
  t.equal(res.body.kind, 'APIGroupDiscoveryList');
  t.equal(res.body.apiVersion, 'apidiscovery.k8s.io/v2');
  const plain = await call(A, 'GET', '/apis');
  t.strictSame(res.body.items.map((g: any) => g.metadata.name), plain.body.groups.map((g: any) => g.name), 'the same groups as the APIGroupList, in its order');

  const apps = res.body.items.find((g: any) => g.metadata.name === 'apps');
  t.strictSame(apps.metadata, { name: 'apps', creationTimestamp: null });
  t.equal(apps.versions.length, 1);
  t.equal(apps.versions[0].version, 'v1');
  t.equal(apps.versions[0].freshness, 'Current');
  const deployments = apps.versions[0].resources.find((r: any) => r.resource === 'deployments');
  t.strictSame(deployments, {
    resource: 'deployments',
    responseKind: { group: '', version: '', kind: 'Deployment' },
    scope: 'Namespaced',
    singularResource: 'deployment',
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: [
      { subresource: 'status', responseKind: { group: '', version: '', kind: 'Deployment' }, verbs: ['get', 'patch', 'update'] },
      { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
    ],
  });
  const authz = res.body.items.find((g: any) => g.metadata.name === 'authorization.k8s.io');
  const ssar = authz.versions[0].resources.find((r: any) => r.resource === 'selfsubjectaccessreviews');
  t.strictSame([ssar.scope, ssar.verbs], ['Cluster', ['create']], 'a review is cluster-scoped and create-only');
});

t.test('/api aggregated: the core group, unnamed; v2beta1 when that is what is asked for', async (t) => {
  const res = await call(A, 'GET', '/api', undefined, { accept: v2beta1Accept });
  t.equal(res.status, 200, res.text);
  t.match(mediaParams(res.headers['content-type']), { g: 'apidiscovery.k8s.io', v: 'v2beta1', as: 'APIGroupDiscoveryList' });
  t.equal(res.body.apiVersion, 'apidiscovery.k8s.io/v2beta1');
  t.equal(res.body.items.length, 1);
  t.strictSame(res.body.items[0].metadata, { creationTimestamp: null });
  const pods = res.body.items[0].versions[0].resources.find((r: any) => r.resource === 'pods');
  t.strictSame(pods.subresources.map((s: any) => s.subresource), ['status', 'binding', 'log']);
  t.strictSame(pods.subresources[1].responseKind, { group: '', version: '', kind: 'Binding' });
  const namespaces = res.body.items[0].versions[0].resources.find((r: any) => r.resource === 'namespaces');
  t.equal(namespaces.scope, 'Cluster');
});

t.test('ETag: the same for both versions (Vary: Accept tells them apart); If-None-Match with it is a 304', async (t) => {
  const v2 = await call(A, 'GET', '/apis', undefined, { accept: kubectlAccept });
  const beta = await call(A, 'GET', '/apis', undefined, { accept: v2beta1Accept });
  t.equal(v2.headers.etag, beta.headers.etag);
  const again = await call(A, 'GET', '/apis', undefined, { accept: kubectlAccept, 'if-none-match': String(v2.headers.etag) });
  t.equal(again.status, 304);
  t.equal(again.text, '');
  const stale = await call(A, 'GET', '/apis', undefined, { accept: kubectlAccept, 'if-none-match': '"0"' });
  t.equal(stale.status, 200);
  const core = await call(A, 'GET', '/api', undefined, { accept: kubectlAccept });
  t.not(core.headers.etag, v2.headers.etag, '/api and /apis are different documents');
});

t.test('without the aggregated alternative first, the plain lists', async (t) => {
  for (const accept of [undefined, 'application/json', '*/*', 'application/json,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList']) {
    const res = await call(A, 'GET', '/apis', undefined, accept === undefined ? {} : { accept });
    t.equal(res.body.kind, 'APIGroupList', `Accept: ${accept}`);
  }
  const protobufOnly = await call(A, 'GET', '/apis', undefined, { accept: 'application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' });
  t.equal(protobufOnly.body.kind, 'APIGroupList', 'an aggregated protobuf alternative we cannot serve is passed over');
  const core = await call(A, 'GET', '/api', undefined, { accept: 'application/json' });
  t.equal(core.body.kind, 'APIVersions');
});

const kubectlDir = kubectlDirectory();
const builds = [['1.27', join(kubectlDir, 'kubectl.1.27')], ['1.32', join(kubectlDir, 'kubectl')]].filter(([, p]) => existsSync(p!));
const kubectl = await kubectlFor(dir, A);
for (const [version, bin] of builds) {
  t.test(`kubectl ${version!} discovers from the aggregated documents alone`, async (t) => {
    const resources = await kubectl(bin!, ['api-resources', '-v=6']);
    t.equal(resources.code, 0, resources.stderr);
    t.match(resources.stdout, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    t.match(resources.stdout, /^pods\s+po\s+v1\s+true\s+Pod$/m);
    t.match(resources.stdout, /^selfsubjectaccessreviews\s+authorization\.k8s\.io\/v1\s+false\s+SelfSubjectAccessReview$/m);
    t.match(resources.stderr, /GET http:\/\/[^ ]+\/apis\?timeout=32s 200/);
    t.notMatch(resources.stderr, /GET http:\/\/[^ ]+\/(api\/v1|apis\/apps\/v1)\b/, 'no request per group-version');

    const ns = `disco-${version!.replace('.', '-')}`;
    const created = await kubectl(bin!, ['create', 'namespace', ns]);
    t.equal(created.code, 0, created.stderr);
    const get = await kubectl(bin!, ['get', 'ns', ns]);
    t.equal(get.code, 0, get.stderr);
    t.match(get.stdout, new RegExp(`^${ns}\\s+Active\\s+`, 'm'));
    const explain = await kubectl(bin!, ['explain', 'deployments.spec.replicas']);
    t.equal(explain.code, 0, explain.stderr);
    t.match(explain.stdout, /replicas\s+<integer>/);
  });
}
