// ObjectMeta rules kube-apiserver enforces and sets, over HTTP against a real API server on
// etcd: every Namespace carries `kubernetes.io/metadata.name: <name>`, which no client can remove
// or change; no finalizer may be added once deletion has started (422 Forbidden); and an
// ownerReference without uid is invalid (422), not undecodable (400).

import t from 'tap';
import { startOneApiServer } from './support/one-api-server.js';
import { call } from './support/http.js';

const api = await startOneApiServer({ impl: 'etcd', members: 1 });
const A = api.url;
const MERGE = { 'content-type': 'application/merge-patch+json' };
const label = 'kubernetes.io/metadata.name';

t.test('namespaces are labelled kubernetes.io/metadata.name=<name> on create and on every update', async (t) => {
  const created = await call(A, 'POST', '/api/v1/namespaces', { metadata: { name: 'team-a', labels: { team: 'a', [label]: 'spoofed' } } });
  t.equal(created.status, 201, created.text);
  t.same(created.body.metadata.labels, { team: 'a', [label]: 'team-a' }, 'the name wins over what the client sent');

  const generated = await call(A, 'POST', '/api/v1/namespaces', { metadata: { generateName: 'gen-' } });
  t.equal(generated.status, 201, generated.text);
  t.equal(generated.body.metadata.labels[label], generated.body.metadata.name, 'set after the name is generated');

  const changed = await call(A, 'PATCH', '/api/v1/namespaces/team-a', { metadata: { labels: { [label]: 'other' } } }, MERGE);
  t.equal(changed.status, 200, changed.text);
  t.equal(changed.body.metadata.labels[label], 'team-a', 'a patch cannot change it');

  const read = (await call(A, 'GET', '/api/v1/namespaces/team-a')).body;
  delete read.metadata.labels;
  const replaced = await call(A, 'PUT', '/api/v1/namespaces/team-a', read);
  t.equal(replaced.status, 200, replaced.text);
  t.same(replaced.body.metadata.labels, { [label]: 'team-a' }, 'a PUT without labels keeps it');

  const selected = await call(A, 'GET', `/api/v1/namespaces?labelSelector=${encodeURIComponent(`${label}=team-a`)}`);
  t.same(selected.body.items.map((n: any) => n.metadata.name), ['team-a'], 'kubectl get ns -l finds it');
  const initial = await call(A, 'GET', '/api/v1/namespaces/default');
  t.equal(initial.body.metadata.labels?.[label], 'default', 'the namespaces the server creates carry it too');
});

t.test('no new finalizer once deletion has started: 422 Forbidden; removing one is allowed', async (t) => {
  const path = '/api/v1/namespaces/default/configmaps/held';
  const created = await call(A, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'held', finalizers: ['example.com/keep'] } });
  t.equal(created.status, 201, created.text);
  const added = await call(A, 'PATCH', path, { metadata: { finalizers: ['example.com/keep', 'example.com/more'] } }, MERGE);
  t.equal(added.status, 200, 'before deletion, finalizers may be added');

  const deleting = await call(A, 'DELETE', path);
  t.equal(deleting.status, 200, deleting.text);
  t.ok(deleting.body.metadata.deletionTimestamp, 'deletion waits on the finalizers');

  const refused = await call(A, 'PATCH', path, { metadata: { finalizers: ['example.com/keep', 'example.com/more', 'example.com/z', 'example.com/a'] } }, MERGE);
  t.equal(refused.status, 422, refused.text);
  t.same([refused.body.reason, refused.body.code], ['Invalid', 422]);
  t.equal(refused.body.message, 'ConfigMap "held" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/a", "example.com/z"}');
  t.same(refused.body.details.causes, [{
    reason: 'FieldValueForbidden',
    message: 'Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"example.com/a", "example.com/z"}',
    field: 'metadata.finalizers',
  }]);

  const removed = await call(A, 'PATCH', path, { metadata: { finalizers: ['example.com/keep'] } }, MERGE);
  t.equal(removed.status, 200, removed.text);
  const gone = await call(A, 'PATCH', path, { metadata: { finalizers: null } }, MERGE);
  t.equal(gone.status, 200, gone.text);
  t.equal((await call(A, 'GET', path)).status, 404, 'the last finalizer removed, the object goes');
});

t.test('an ownerReference without uid is 422 Invalid (upstream decodes it as "")', async (t) => {
  const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web' };
  const r = await call(A, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'owned', ownerReferences: [owner] } });
  t.equal(r.status, 422, r.text);
  t.equal(r.body.message, 'ConfigMap "owned" is invalid: metadata.ownerReferences.uid: Invalid value: "": uid must not be empty');
  t.same(r.body.details.causes, [{ reason: 'FieldValueInvalid', message: 'Invalid value: "": uid must not be empty', field: 'metadata.ownerReferences.uid' }]);

  const noKind = await call(A, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'owned', ownerReferences: [{ apiVersion: 'apps/', name: 'web', uid: 'u' }] } });
  t.equal(noKind.status, 422, noKind.text);
  t.same(noKind.body.details.causes.map((c: any) => c.field), ['metadata.ownerReferences.apiVersion', 'metadata.ownerReferences.kind']);
  t.equal((await call(A, 'GET', '/api/v1/namespaces/default/configmaps/owned')).status, 404, 'nothing written');
});
