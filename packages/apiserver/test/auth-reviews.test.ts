// The review endpoints, as kube-apiserver serves them with no authentication (every request is
// system:anonymous in system:unauthenticated) and no authorization (AlwaysAllow): over HTTP
// (JSON and the protobuf kubectl sends), with their validation errors, and never stored; then
// `kubectl auth can-i`, `can-i --list` and `auth whoami`, with and without --as.

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { request } from 'undici';
import { startEtcdCluster } from './support/etcd-cluster.js';
import { startApiServerProcess } from './support/apiserver-process.js';
import { call } from './support/http.js';
import { kubectlDirectory, kubectlFor } from './support/kubectl.js';
import { protoRoot, unknownType } from '../src/protobuf/schema.js';

const etcd = await startEtcdCluster({ impl: 'etcd' });
const api = await startApiServerProcess(etcd.endpoints);
const dir = await mkdtemp(join(tmpdir(), 'kubets-auth-reviews-'));
t.teardown(async () => {
  await api.stop();
  await etcd.stop();
  await rm(dir, { recursive: true, force: true });
});
const A = api.url;

const authz = '/apis/authorization.k8s.io/v1';
const ssar = (spec: unknown, extra: Record<string, unknown> = {}) => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: { creationTimestamp: null }, spec, ...extra });

t.test('SelfSubjectAccessReview: 201 with the question and status.allowed (AlwaysAllow gives no reason)', async (t) => {
  const res = await call(A, 'POST', `${authz}/selfsubjectaccessreviews`, ssar({ resourceAttributes: { namespace: 'default', verb: 'create', resource: 'pods' } }, { status: { allowed: false } }));
  t.equal(res.status, 201, res.text);
  t.strictSame(res.body, {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    metadata: { creationTimestamp: null },
    spec: { resourceAttributes: { namespace: 'default', verb: 'create', resource: 'pods' } },
    status: { allowed: true },
  });
  const path = await call(A, 'POST', `${authz}/selfsubjectaccessreviews`, ssar({ nonResourceAttributes: { path: '/healthz', verb: 'get' } }));
  t.equal(path.status, 201, path.text);
  t.strictSame(path.body.status, { allowed: true });
});

t.test('access reviews ask exactly one question, and SubjectAccessReview names a user or a group: 422 as upstream words it', async (t) => {
  const neither = await call(A, 'POST', `${authz}/selfsubjectaccessreviews`, ssar({}));
  t.equal(neither.status, 422, neither.text);
  t.equal(neither.body.reason, 'Invalid');
  t.match(neither.body.message, /spec\.resourceAttributes: Invalid value: .*exactly one of nonResourceAttributes or resourceAttributes must be specified/);
  t.match(neither.body.details, { name: '', group: 'authorization.k8s.io', kind: 'SelfSubjectAccessReview' });

  const both = await call(A, 'POST', `${authz}/selfsubjectaccessreviews`, ssar({ resourceAttributes: { verb: 'get', resource: 'pods' }, nonResourceAttributes: { path: '/', verb: 'get' } }));
  t.equal(both.status, 422, both.text);
  t.match(both.body.message, /spec\.nonResourceAttributes: Invalid value: .*cannot be specified in combination with resourceAttributes/);

  const named = await call(A, 'POST', `${authz}/selfsubjectaccessreviews`, ssar({ resourceAttributes: { verb: 'get', resource: 'pods' } }, { metadata: { name: 'x' } }));
  t.equal(named.status, 422, named.text);
  t.match(named.body.message, /metadata: Invalid value: .*must be empty/);

  const nobody = await call(A, 'POST', `${authz}/subjectaccessreviews`, { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { resourceAttributes: { verb: 'get', resource: 'pods' } } });
  t.equal(nobody.status, 422, nobody.text);
  t.match(nobody.body.message, /spec\.user: Invalid value: "": at least one of user or group must be specified/);

  const wrongKind = await call(A, 'POST', `${authz}/selfsubjectaccessreviews`, { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: {} });
  t.equal(wrongKind.status, 400, wrongKind.text);
  const notJson = await call(A, 'POST', `${authz}/selfsubjectaccessreviews`, '{"spec":');
  t.equal(notJson.status, 400, notJson.text);
  const unknown = ssar({ resourceAttributes: { verb: 'get', resource: 'pods', bogus: 1 } });
  const strict = await call(A, 'POST', `${authz}/selfsubjectaccessreviews?fieldValidation=Strict`, unknown);
  t.equal(strict.status, 400, strict.text);
  t.match(strict.body.message, /strict decoding error: unknown field "spec\.resourceAttributes\.bogus"/);
  const warn = await call(A, 'POST', `${authz}/selfsubjectaccessreviews?fieldValidation=Warn`, unknown);
  t.equal(warn.status, 201, warn.text);
  t.match(String(warn.headers.warning), /unknown field/);
});

t.test('SubjectAccessReview answers for the user its spec names', async (t) => {
  const res = await call(A, 'POST', `${authz}/subjectaccessreviews`, {
    apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview',
    spec: { user: 'alice', groups: ['devs'], resourceAttributes: { namespace: 'prod', verb: 'delete', group: 'apps', resource: 'deployments', name: 'web' } },
  });
  t.equal(res.status, 201, res.text);
  t.strictSame(res.body.status, { allowed: true });
  t.equal(res.body.spec.user, 'alice');
});

t.test('SelfSubjectRulesReview: every verb on everything (AlwaysAllow\'s rules); a namespace is required', async (t) => {
  const res = await call(A, 'POST', `${authz}/selfsubjectrulesreviews`, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'default' } });
  t.equal(res.status, 201, res.text);
  t.strictSame(res.body.status, {
    resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
    nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
    incomplete: false,
  });
  const none = await call(A, 'POST', `${authz}/selfsubjectrulesreviews`, { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: {} });
  t.equal(none.status, 400, none.text);
  t.equal(none.body.message, 'no namespace on request');
});

t.test('SelfSubjectReview: system:anonymous in system:unauthenticated, or whom the request impersonates', async (t) => {
  const path = '/apis/authentication.k8s.io/v1/selfsubjectreviews';
  const body = { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: { creationTimestamp: null }, status: { userInfo: {} } };
  const anon = await call(A, 'POST', path, body);
  t.equal(anon.status, 201, anon.text);
  t.strictSame(anon.body.status, { userInfo: { username: 'system:anonymous', groups: ['system:unauthenticated'] } });
  t.match(anon.body.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'stamped with the time it was answered');

  // Upstream adds system:authenticated to an impersonated user's groups, and a service account's own groups when none are asked for.
  const bob = await call(A, 'POST', path, body, { 'impersonate-user': 'bob', 'impersonate-uid': 'u-1', 'impersonate-extra-scopes': 'read' });
  t.strictSame(bob.body.status.userInfo, { username: 'bob', uid: 'u-1', groups: ['system:authenticated'], extra: { scopes: ['read'] } });
  const sa = await call(A, 'POST', path, body, { 'impersonate-user': 'system:serviceaccount:ns1:robot' });
  t.strictSame(sa.body.status.userInfo.groups, ['system:serviceaccounts', 'system:serviceaccounts:ns1', 'system:authenticated']);
  const groupsOnly = await call(A, 'POST', path, body, { 'impersonate-group': 'devs' });
  t.equal(groupsOnly.status, 500, 'groups without a user: an internal error, as upstream answers it');
  t.equal(groupsOnly.body.kind, 'Status');
});

t.test('the reviews are create-only and never stored', async (t) => {
  const list = await call(A, 'GET', `${authz}/selfsubjectaccessreviews`);
  t.equal(list.status, 405, list.text);
  t.equal(list.body.reason, 'MethodNotAllowed');
  const range = await request(`${etcd.endpoints[0]}/v3/kv/range`, {
    method: 'POST',
    body: JSON.stringify({ key: Buffer.from('/registry/').toString('base64'), range_end: Buffer.from('/registry0').toString('base64'), keys_only: true }),
  });
  const keys = (((await range.body.json()) as { kvs?: { key: string }[] }).kvs ?? []).map((kv) => Buffer.from(kv.key, 'base64').toString());
  t.ok(keys.length > 0, 'the namespaces are there');
  t.strictSame(keys.filter((k) => /review/.test(k)), [], 'no review under /registry');
});

t.test('a protobuf SelfSubjectAccessReview (what kubectl 1.28+ sends) is read as JSON would be', async (t) => {
  const type = protoRoot.lookupType('k8s.io.api.authorization.v1.SelfSubjectAccessReview');
  const raw = type.encode(type.fromObject({ spec: { resourceAttributes: { namespace: 'default', verb: 'list', group: 'apps', resource: 'deployments' } } })).finish();
  const envelope = unknownType.encode(unknownType.fromObject({ typeMeta: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview' }, raw })).finish();
  const res = await request(`${A}${authz}/selfsubjectaccessreviews`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.kubernetes.protobuf', accept: 'application/vnd.kubernetes.protobuf,application/json' },
    body: Buffer.concat([Buffer.from('k8s\0', 'latin1'), envelope]),
  });
  t.equal(res.statusCode, 201);
  const body = (await res.body.json()) as any;
  t.strictSame(body.spec, { resourceAttributes: { namespace: 'default', verb: 'list', group: 'apps', resource: 'deployments' } });
  t.strictSame(body.status, { allowed: true });

  // A SubjectAccessReview's extras are ExtraValue messages on the wire and plain lists in JSON.
  const sarType = protoRoot.lookupType('k8s.io.api.authorization.v1.SubjectAccessReview');
  const sarRaw = sarType.encode(sarType.fromObject({ spec: { user: 'alice', extra: { scopes: { items: ['a', 'b'] } }, nonResourceAttributes: { path: '/metrics', verb: 'get' } } })).finish();
  const sarEnvelope = unknownType.encode(unknownType.fromObject({ typeMeta: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview' }, raw: sarRaw })).finish();
  const sar = await request(`${A}${authz}/subjectaccessreviews`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.kubernetes.protobuf', accept: 'application/json' },
    body: Buffer.concat([Buffer.from('k8s\0', 'latin1'), sarEnvelope]),
  });
  t.equal(sar.statusCode, 201);
  const sarBody = (await sar.body.json()) as any;
  t.strictSame(sarBody.spec, { user: 'alice', extra: { scopes: ['a', 'b'] }, nonResourceAttributes: { path: '/metrics', verb: 'get' } });
});

const kubectlDir = kubectlDirectory();
const builds = [['1.28', join(kubectlDir, 'kubectl.1.28')], ['1.32', join(kubectlDir, 'kubectl')]].filter(([, p]) => existsSync(p!));
const kubectl = await kubectlFor(dir, A);
for (const [version, bin] of builds) {
  t.test(`kubectl ${version!} auth can-i and whoami`, async (t) => {
    const canI = await kubectl(bin!, ['auth', 'can-i', 'create', 'pods']);
    t.equal(canI.code, 0, canI.stderr);
    t.equal(canI.stdout, 'yes\n');
    const canIDeploy = await kubectl(bin!, ['auth', 'can-i', 'delete', 'deployments.apps', '--all-namespaces']);
    t.equal(canIDeploy.stdout, 'yes\n', canIDeploy.stderr);

    const list = await kubectl(bin!, ['auth', 'can-i', '--list']);
    t.equal(list.code, 0, list.stderr);
    t.match(list.stdout, /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/m);
    t.match(list.stdout, /^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/m);
    t.match(list.stdout, /^\s+\[\*\]\s+\[\]\s+\[\*\]$/m);

    const whoami = await kubectl(bin!, ['auth', 'whoami']);
    t.equal(whoami.code, 0, whoami.stderr);
    t.match(whoami.stdout, /^Username\s+system:anonymous$/m);
    t.match(whoami.stdout, /^Groups\s+\[system:unauthenticated\]$/m);

    const as = await kubectl(bin!, ['auth', 'whoami', '--as=jane', '--as-group=devs', '-o', 'json']);
    t.equal(as.code, 0, as.stderr);
    t.strictSame(JSON.parse(as.stdout).status.userInfo, { username: 'jane', groups: ['devs', 'system:authenticated'] });
  });
}
