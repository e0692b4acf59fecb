// What a DELETE answers, as kube-apiserver's registry does (genericregistry.Store.Delete and
// finalizeDelete): kinds without ReturnDeletedObject (ConfigMap, Secret, Deployment, ...) answer
// a Success Status naming the object, with the resource in details.kind, once the object is gone;
// the object itself while its deletion is pending (finalizers, grace period) and for the kinds
// that return it (Pod, Service, Namespace). A collection DELETE answers the list it deleted.

import t from 'tap';
import { startOneApiServer } from './support/one-api-server.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectlBinary } from '@kubets/testing';
import { call } from './support/http.js';
import { kubectlFor } from './support/kubectl.js';

const api = await startOneApiServer({ impl: 'etcd' });
const dir = await mkdtemp(join(tmpdir(), 'kubets-delete-answer-'));
t.teardown(async () => {
  await rm(dir, { recursive: true, force: true });
});
const A = api.url;
const ns = '/api/v1/namespaces/default';

const configMap = (name: string, metadata: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...metadata }, data: { a: 'b' } });
const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });

async function created(path: string, body: unknown) {
  const r = await call(A, 'POST', path, body);
  if (r.status !== 201) throw new Error(`${path}: ${r.status} ${r.text}`);
  return r.body;
}

t.test('a ConfigMap deleted at once answers upstream\'s Success Status, byte for byte in shape', async (t) => {
  const cm = await created(`${ns}/configmaps`, configMap('gone'));
  const r = await call(A, 'DELETE', `${ns}/configmaps/gone`);
  t.equal(r.status, 200, r.text);
  t.strictSame(r.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'gone', kind: 'configmaps', uid: cm.metadata.uid } });
  t.equal((await call(A, 'GET', `${ns}/configmaps/gone`)).status, 404);
});

t.test('a Secret and a Deployment: Status too, with the group for a named group', async (t) => {
  const secret = await created(`${ns}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { k: 'v' } });
  const s = await call(A, 'DELETE', `${ns}/secrets/s`);
  t.strictSame(s.body.details, { name: 's', kind: 'secrets', uid: secret.metadata.uid });
  const deploy = await created('/apis/apps/v1/namespaces/default/deployments', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' },
    spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
  });
  const d = await call(A, 'DELETE', '/apis/apps/v1/namespaces/default/deployments/d', { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
  t.equal(d.status, 200, d.text);
  t.strictSame(d.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'd', group: 'apps', kind: 'deployments', uid: deploy.metadata.uid } });
});

t.test('pending deletions answer the object: a finalizer, or Orphan/Foreground propagation', async (t) => {
  await created(`${ns}/configmaps`, configMap('held', { finalizers: ['example.com/hold'] }));
  const held = await call(A, 'DELETE', `${ns}/configmaps/held`);
  t.equal(held.status, 200);
  t.equal(held.body.kind, 'ConfigMap');
  t.ok(held.body.metadata.deletionTimestamp, 'marked for deletion, still there');
  const again = await call(A, 'DELETE', `${ns}/configmaps/held`);
  t.equal(again.body.kind, 'ConfigMap', 'a second DELETE while still pending: the object again');
  await call(A, 'PATCH', `${ns}/configmaps/held`, { metadata: { finalizers: null } }, { 'content-type': 'application/merge-patch+json' });

  for (const policy of ['Orphan', 'Foreground']) {
    await created(`${ns}/configmaps`, configMap(`p-${policy.toLowerCase()}`));
    const r = await call(A, 'DELETE', `${ns}/configmaps/p-${policy.toLowerCase()}`, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: policy });
    t.equal(r.body.kind, 'ConfigMap', `${policy}: the garbage collector's finalizer holds it`);
  }
});

t.test('Pods, Services and Namespaces return the object (ReturnDeletedObject)', async (t) => {
  await created(`${ns}/pods`, pod('p'));
  const p = await call(A, 'DELETE', `${ns}/pods/p`);
  t.equal(p.body.kind, 'Pod', 'an unscheduled pod goes at once and is answered');
  t.equal((await call(A, 'GET', `${ns}/pods/p`)).status, 404);
  await created(`${ns}/services`, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' }, spec: { ports: [{ port: 80 }] } });
  const s = await call(A, 'DELETE', `${ns}/services/svc`);
  t.equal(s.body.kind, 'Service');
  await created('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
  const n = await call(A, 'DELETE', '/api/v1/namespaces/doomed');
  t.equal(n.body.kind, 'Namespace');
  t.equal(n.body.status.phase, 'Terminating');
});

t.test('orphanDependents=false on a deletion left pending answers 202, as upstream', async (t) => {
  await created(`${ns}/pods`, pod('graceful'));
  const bound = await call(A, 'POST', `${ns}/pods/graceful/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'graceful' }, target: { kind: 'Node', name: 'node-a' } });
  t.equal(bound.status, 201, bound.text);
  const r = await call(A, 'DELETE', `${ns}/pods/graceful`, { kind: 'DeleteOptions', apiVersion: 'v1', orphanDependents: false });
  t.equal(r.status, 202, r.text);
  t.ok(r.body.metadata.deletionTimestamp);
  const now = await call(A, 'DELETE', `${ns}/pods/graceful?gracePeriodSeconds=0`);
  t.equal(now.status, 200);
  await created(`${ns}/configmaps`, configMap('orphan-false'));
  const cm = await call(A, 'DELETE', `${ns}/configmaps/orphan-false`, { kind: 'DeleteOptions', apiVersion: 'v1', orphanDependents: false });
  t.equal(cm.status, 200, 'deleted at once: 200 with the Status');
  t.equal(cm.body.kind, 'Status');
});

t.test('dry-run DELETE answers the same Status and deletes nothing', async (t) => {
  const cm = await created(`${ns}/configmaps`, configMap('dry'));
  const r = await call(A, 'DELETE', `${ns}/configmaps/dry?dryRun=All`);
  t.equal(r.status, 200, r.text);
  t.strictSame(r.body.details, { name: 'dry', kind: 'configmaps', uid: cm.metadata.uid });
  t.equal((await call(A, 'GET', `${ns}/configmaps/dry`)).status, 200, 'still there');
});

t.test('DELETE on a collection answers the list it deleted from', async (t) => {
  await created(`${ns}/configmaps`, configMap('batch-1', { labels: { batch: 'x' } }));
  await created(`${ns}/configmaps`, configMap('batch-2', { labels: { batch: 'x' } }));
  const r = await call(A, 'DELETE', `${ns}/configmaps?labelSelector=batch%3Dx`);
  t.equal(r.status, 200, r.text);
  t.equal(r.body.kind, 'ConfigMapList');
  t.same(r.body.items.map((i: any) => i.metadata.name).sort(), ['batch-1', 'batch-2']);
  t.same((await call(A, 'GET', `${ns}/configmaps?labelSelector=batch%3Dx`)).body.items, []);
});

t.test('kubectl delete cm prints what it deleted, for real and as a server dry run', async (t) => {
  const kubectl = await kubectlFor(dir, A);
  await created(`${ns}/configmaps`, configMap('by-kubectl'));
  const dry = await kubectl(kubectlBinary(), ['delete', 'cm', 'by-kubectl', '--dry-run=server']);
  t.equal(dry.code, 0, dry.stderr);
  t.match(dry.stdout, 'configmap "by-kubectl" deleted (server dry run)');
  const r = await kubectl(kubectlBinary(), ['delete', 'cm', 'by-kubectl']);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, 'configmap "by-kubectl" deleted');
  t.equal((await call(A, 'GET', `${ns}/configmaps/by-kubectl`)).status, 404);
});
