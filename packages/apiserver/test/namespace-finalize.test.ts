// Namespace deletion as upstream's namespace registry finishes it: DELETE turns the namespace
// Terminating (a repeated DELETE is a 409 while spec.finalizers remain), creates in it are refused
// with the NamespaceTerminating cause, only `PUT .../finalize` changes spec.finalizers, and the
// namespace goes once spec.finalizers and metadata.finalizers are both empty. The namespace
// controller is played by the test: it deletes the content and finalizes.

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startOneApiServer } from './support/one-api-server.js';
import { call, collectWatch, eventually } from './support/http.js';
import { kubectlDirectory, kubectlFor } from './support/kubectl.js';

const api = await startOneApiServer({ impl: 'etcd' });
const A = api.url;
const MERGE = { 'content-type': 'application/merge-patch+json' };
const nsPath = (name: string) => `/api/v1/namespaces/${name}`;

async function createNamespace(name: string, metadata: Record<string, unknown> = {}, spec?: unknown): Promise<any> {
  const r = await call(A, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...metadata }, ...(spec !== undefined ? { spec } : {}) });
  if (r.status !== 201) throw new Error(`creating namespace ${name}: ${r.status} ${r.text}`);
  return r.body;
}

/** What the namespace controller sends once the namespace is empty: the namespace it read, without its finalizer. */
async function finalize(name: string, finalizers: string[] = []) {
  const ns = (await call(A, 'GET', nsPath(name))).body;
  return call(A, 'PUT', `${nsPath(name)}/finalize`, { ...ns, spec: { ...ns.spec, finalizers } });
}

t.test('a new namespace holds the kubernetes finalizer in spec.finalizers, also beside others and when sent empty', async (t) => {
  t.same((await createNamespace('fin-default')).spec, { finalizers: ['kubernetes'] });
  t.same((await createNamespace('fin-empty', {}, { finalizers: [] })).spec, { finalizers: ['kubernetes'] });
  t.same((await createNamespace('fin-other', {}, { finalizers: ['example.com/keep'] })).spec, { finalizers: ['example.com/keep', 'kubernetes'] });
});

t.test('PUT and PATCH of a namespace keep the stored spec.finalizers and status', async (t) => {
  const ns = await createNamespace('fin-keep');
  const put = await call(A, 'PUT', nsPath('fin-keep'), { ...ns, spec: { finalizers: [] }, status: { phase: 'Terminating' } });
  t.equal(put.status, 200, put.text);
  t.same(put.body.spec, { finalizers: ['kubernetes'] });
  t.same(put.body.status, { phase: 'Active' });
  const patched = await call(A, 'PATCH', nsPath('fin-keep'), { metadata: { labels: { team: 'a' } }, spec: { finalizers: ['example.com/x'] } }, MERGE);
  t.equal(patched.status, 200, patched.text);
  t.same(patched.body.spec, { finalizers: ['kubernetes'] });
  t.equal(patched.body.metadata.labels.team, 'a', 'the rest of the patch applies');
});

t.test('finalize takes spec.finalizers, keeps the status, answers 409 to a stale resourceVersion and 405 to PATCH', async (t) => {
  const ns = await createNamespace('fin-sub', {}, { finalizers: ['example.com/keep'] });
  const r = await call(A, 'PUT', `${nsPath('fin-sub')}/finalize`, { ...ns, spec: { finalizers: ['example.com/keep'] }, status: { phase: 'Terminating' } });
  t.equal(r.status, 200, r.text);
  t.same(r.body.spec, { finalizers: ['example.com/keep'] });
  t.same(r.body.status, { phase: 'Active' }, 'status is not finalize\'s');
  t.equal(r.body.metadata.managedFields.at(-1).subresource, 'finalize');
  const stale = await call(A, 'PUT', `${nsPath('fin-sub')}/finalize`, { ...ns, spec: { finalizers: [] } });
  t.equal(stale.status, 409, stale.text);
  t.equal(stale.body.reason, 'Conflict');
  const patch = await call(A, 'PATCH', `${nsPath('fin-sub')}/finalize`, { spec: { finalizers: [] } }, MERGE);
  t.equal(patch.status, 405, patch.text);
  t.same((await call(A, 'GET', nsPath('fin-sub'))).body.spec, { finalizers: ['example.com/keep'] });
});

t.test('delete, empty, finalize: the namespace is Terminating, refuses new content with the NamespaceTerminating cause, then goes with a DELETED event', async (t) => {
  await createNamespace('doomed');
  t.equal((await call(A, 'POST', `${nsPath('doomed')}/configmaps`, { metadata: { name: 'cm' } })).status, 201);
  const deleted = await call(A, 'DELETE', nsPath('doomed'));
  t.equal(deleted.status, 200, deleted.text);
  t.equal(deleted.body.status.phase, 'Terminating');
  t.ok(deleted.body.metadata.deletionTimestamp);
  t.equal((await call(A, 'GET', nsPath('doomed'))).body.status.phase, 'Terminating', 'a GET shows it Terminating');

  const refused = await call(A, 'POST', `${nsPath('doomed')}/configmaps`, { metadata: { name: 'late' } });
  t.equal(refused.status, 403, refused.text);
  t.equal(refused.body.message, 'configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated');
  t.same(refused.body.details, {
    name: 'late', kind: 'configmaps',
    causes: [{ reason: 'NamespaceTerminating', message: 'namespace doomed is being terminated', field: 'metadata.namespace' }],
  });

  const again = await call(A, 'DELETE', nsPath('doomed'));
  t.equal(again.status, 409, 'a repeated DELETE while the content is removed');
  t.equal(again.body.message, 'Operation cannot be fulfilled on namespaces "doomed": The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.');

  t.equal((await call(A, 'DELETE', `${nsPath('doomed')}/configmaps/cm`)).status, 200);
  const rv = (await call(A, 'GET', nsPath('doomed'))).body.metadata.resourceVersion;
  const events = collectWatch(`${A}/api/v1/namespaces?watch=true&resourceVersion=${rv}&fieldSelector=metadata.name=doomed`, (evs) => evs.some((e) => e.type === 'DELETED'));
  const finalized = await finalize('doomed');
  t.equal(finalized.status, 200, finalized.text);
  t.equal((await call(A, 'GET', nsPath('doomed'))).status, 404, 'gone for good');
  const deletedEvent = (await events).find((e) => e.type === 'DELETED');
  t.equal(deletedEvent?.object.metadata.name, 'doomed', 'a watch sees it go');
});

t.test('a finalized namespace still held by a metadata finalizer goes when the update removes the last one', async (t) => {
  await createNamespace('held', { finalizers: ['example.com/hold'] });
  t.equal((await call(A, 'DELETE', nsPath('held'))).status, 200);
  t.equal((await finalize('held')).status, 200);
  const still = await call(A, 'GET', nsPath('held'));
  t.equal(still.status, 200, 'metadata.finalizers hold it');
  t.same(still.body.spec, {});
  const released = await call(A, 'PATCH', nsPath('held'), { metadata: { finalizers: null } }, MERGE);
  t.equal(released.status, 200, released.text);
  t.equal((await call(A, 'GET', nsPath('held'))).status, 404);
});

t.test('a namespace that is not being deleted stays when finalized to nothing', async (t) => {
  await createNamespace('kept');
  t.equal((await finalize('kept')).status, 200);
  t.equal((await call(A, 'GET', nsPath('kept'))).status, 200);
});

t.test('kubectl delete ns completes once the namespace controller has finalized it; -o yaml shows Terminating meanwhile', async (t) => {
  const bin = join(kubectlDirectory(), 'kubectl');
  if (!existsSync(bin)) return t.fail('no kubectl found; set KUBECTL_DIR');
  const dir = await mkdtemp(join(tmpdir(), 'kubets-ns-finalize-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const run = await kubectlFor(dir, A);
  t.equal((await run(bin, ['create', 'namespace', 'by-kubectl'])).code, 0);
  const deleting = run(bin, ['delete', 'namespace', 'by-kubectl', '--timeout=50s']);
  const yaml = await eventually('the namespace to be Terminating', async () => {
    const r = await run(bin, ['get', 'namespace', 'by-kubectl', '-o', 'yaml']);
    return r.stdout.includes('phase: Terminating') ? r.stdout : undefined;
  });
  t.match(yaml, /deletionTimestamp: /);
  t.equal((await finalize('by-kubectl')).status, 200);
  const done = await deleting;
  t.equal(done.code, 0, done.stderr);
  t.equal(done.stdout.trim(), 'namespace "by-kubectl" deleted');
});
