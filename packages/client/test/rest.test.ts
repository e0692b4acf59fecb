import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError, type Deployment, type Pod, type Status } from '@kubets/api';
import {
  FakeClock,
  isAlreadyExists,
  isConflict,
  isNotFound,
  KubeClient,
  type KubeObject,
  RequestTimeoutError,
  resourcePath,
  resolveRef,
  TransportError,
  writeKubeconfig,
  clientFromKubeconfig,
} from '../src/index.js';
import { closedPortUrl, FakeApiServer, sendStatus } from '@kubets/testing';
import { serviceUnavailable, tooManyRequests } from '@kubets/api';

const pod = (name: string, labels: Record<string, string> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: { containers: [{ name: 'app', image: 'node:20' }] },
});

async function fake(t: { teardown(fn: () => Promise<void> | void): void }): Promise<FakeApiServer> {
  const f = await FakeApiServer.start();
  t.teardown(() => f.close());
  return f;
}

function client(t: { teardown(fn: () => Promise<void> | void): void }, servers: string[], opts: ConstructorParameters<typeof KubeClient>[1] = {}, extra: object = {}): KubeClient {
  const c = new KubeClient({ servers, ...extra }, { component: 'test', ...opts });
  t.teardown(() => c.close());
  return c;
}

t.test('paths as kube-apiserver serves them', async (t) => {
  t.equal(resourcePath(resolveRef('pods'), 'default', 'web'), '/api/v1/namespaces/default/pods/web');
  t.equal(resourcePath(resolveRef('po'), undefined), '/api/v1/pods', 'all namespaces');
  t.equal(resourcePath(resolveRef('deploy'), 'a', 'b', 'scale'), '/apis/apps/v1/namespaces/a/deployments/b/scale');
  t.equal(resourcePath(resolveRef('nodes'), 'ignored', 'n1'), '/api/v1/nodes/n1', 'cluster-scoped: no namespace');
  t.equal(resourcePath(resolveRef('namespaces'), undefined, 'kube-system'), '/api/v1/namespaces/kube-system');
  t.equal(resourcePath(resolveRef('leases.coordination.k8s.io'), 'kube-system', 'x'), '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/x');
  t.equal(resourcePath({ group: 'example.com', version: 'v1alpha1', resource: 'widgets', namespaced: true }, 'ns', 'a b'), '/apis/example.com/v1alpha1/namespaces/ns/widgets/a%20b');
  t.throws(() => resourcePath(resolveRef('pods'), undefined, 'web'), /namespace is required/);
  t.throws(() => resolveRef('frobs'), /unknown resource "frobs"/);
});

t.test('create, get, list, update, patch, delete: the verbs and their wire format', async (t) => {
  const f = await fake(t);
  const c = client(t, [f.url], { component: 'scheduler', version: '1.2.3' });

  const created = await c.create<Pod>('pods', 'default', pod('web', { app: 'web' }));
  t.equal(created.metadata?.namespace, 'default');
  t.ok(created.metadata?.resourceVersion, 'the server sets resourceVersion');
  const post = f.requests.at(-1)!;
  t.equal(post.method, 'POST');
  t.equal(post.path, '/api/v1/namespaces/default/pods');
  t.equal(post.headers['content-type'], 'application/json');
  t.equal(post.headers['user-agent'], 'kubets-scheduler/1.2.3');
  t.equal(post.headers.accept, 'application/json');

  await c.create<Pod>('pods', undefined, { ...pod('db', { app: 'db' }), metadata: { name: 'db', namespace: 'default', labels: { app: 'db' } } });
  t.equal(f.requests.at(-1)!.path, '/api/v1/namespaces/default/pods', "namespace taken from the object's metadata");

  const got = await c.get<Pod>('pods', 'default', 'web');
  t.equal(got.metadata?.uid, created.metadata?.uid);

  const list = await c.list<Pod>('pods', 'default', { labelSelector: { app: 'web' } });
  t.same(list.items.map((p) => p.metadata?.name), ['web']);
  t.equal(f.requests.at(-1)!.query.get('labelSelector'), 'app=web');
  const byField = await c.list<Pod>('pods', undefined, { fieldSelector: 'metadata.name=db' });
  t.same(byField.items.map((p) => p.metadata?.name), ['db']);
  t.equal(f.requests.at(-1)!.path, '/api/v1/pods');

  const updated = await c.update<Pod>('pods', 'default', { ...got, metadata: { ...got.metadata, labels: { app: 'web', v: '2' } } });
  t.equal(updated.metadata?.labels?.v, '2');
  t.equal(f.requests.at(-1)!.method, 'PUT');

  const merged = await c.patch<Pod>('pods', 'default', 'web', { metadata: { labels: { v: '3' } } });
  t.equal(merged.metadata?.labels?.v, '3');
  t.equal(f.requests.at(-1)!.headers['content-type'], 'application/merge-patch+json');
  await c.patch<Pod>('pods', 'default', 'web', [{ op: 'replace', path: '/metadata/labels/v', value: '4' }], { type: 'json' });
  t.equal(f.requests.at(-1)!.headers['content-type'], 'application/json-patch+json');
  await c.patch<Pod>('pods', 'default', 'web', { metadata: { labels: { v: '5' } } }, { type: 'strategic', fieldManager: 'kubets-test', dryRun: true, fieldValidation: 'Strict' });
  const sp = f.requests.at(-1)!;
  t.equal(sp.headers['content-type'], 'application/strategic-merge-patch+json');
  t.equal(sp.query.get('dryRun'), 'All');
  t.equal(sp.query.get('fieldManager'), 'kubets-test');
  t.equal(sp.query.get('fieldValidation'), 'Strict');
  t.equal(f.stored('pods', 'default', 'web')!.metadata.labels!.v, '4', 'dry run wrote nothing');
  await t.rejects(c.patch('pods', 'default', 'web', {}, { type: 'apply' }), /fieldManager/);

  const latest = await c.get<Pod>('pods', 'default', 'web');
  const withStatus = await c.updateStatus<Pod>('pods', 'default', { ...latest, status: { phase: 'Running' } });
  t.equal(withStatus.status?.phase, 'Running');
  t.equal(f.requests.at(-1)!.path, '/api/v1/namespaces/default/pods/web/status');
  const patchedStatus = await c.patchStatus<Pod>('pods', 'default', 'web', { status: { podIP: '10.0.0.9' } });
  t.equal(patchedStatus.status?.podIP, '10.0.0.9');

  const bound = await c.bind('default', 'db', 'node-1');
  t.equal(bound.status, 'Success');
  const bindReq = f.requests.at(-1)!;
  t.equal(bindReq.path, '/api/v1/namespaces/default/pods/db/binding');
  t.same(JSON.parse(bindReq.body), { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'db', namespace: 'default' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } });
  t.equal((f.stored('pods', 'default', 'db')!.spec as { nodeName?: string }).nodeName, 'node-1');

  const deleted = await c.delete<Pod>('pods', 'default', 'web', { propagationPolicy: 'Background', gracePeriodSeconds: 0 });
  t.equal((deleted as Pod).metadata?.name, 'web', 'DELETE answers the object');
  t.same(JSON.parse(f.requests.at(-1)!.body), { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background', gracePeriodSeconds: 0 });
  t.equal(f.stored('pods', 'default', 'web'), undefined);

  await c.create('pods', 'default', pod('x1', { batch: 'x' }));
  await c.create('pods', 'default', pod('x2', { batch: 'x' }));
  const gone = (await c.deleteCollection<Pod>('pods', 'default', { labelSelector: 'batch=x' })) as { items: Pod[] };
  t.same(gone.items.map((p) => p.metadata?.name).sort(), ['x1', 'x2']);
  t.equal(f.requests.at(-1)!.path, '/api/v1/namespaces/default/pods');

  await c.create<Deployment>('deployments.apps', 'default', { metadata: { name: 'd' }, spec: { replicas: 1 } });
  const scaled = await c.scale('deployments', 'default', 'd', 5);
  t.equal(scaled.kind, 'Scale');
  t.equal(scaled.spec?.replicas, 5);
  t.equal(f.requests.at(-1)!.path, '/apis/apps/v1/namespaces/default/deployments/d/scale');
  t.same(JSON.parse(f.requests.at(-1)!.body), { spec: { replicas: 5 } });
  t.equal((await c.getScale('deployments', 'default', 'd')).spec?.replicas, 5);

  const node = await c.create<KubeObject>('nodes', undefined, { metadata: { name: 'n1' } });
  t.equal(node.metadata?.namespace, undefined);
  t.equal(f.requests.at(-1)!.path, '/api/v1/nodes');
});

t.test('errors are ApiErrors carrying the server Status', async (t) => {
  const f = await fake(t);
  const c = client(t, [f.url]);
  await c.create('pods', 'default', pod('web'));

  const dup = await c.create('pods', 'default', pod('web')).catch((e: unknown) => e);
  t.ok(dup instanceof ApiError);
  t.ok(isAlreadyExists(dup));
  t.equal((dup as ApiError).code, 409);
  t.equal((dup as ApiError).reason, 'AlreadyExists');
  t.equal((dup as ApiError).message, 'pods "web" already exists');
  t.same((dup as ApiError).status.details, { name: 'web', kind: 'pods' });

  const stale = await c.get<Pod>('pods', 'default', 'web');
  await c.patch('pods', 'default', 'web', { metadata: { labels: { a: 'b' } } });
  const conflict = await c.update('pods', 'default', stale).catch((e: unknown) => e);
  t.ok(isConflict(conflict), 'a stale resourceVersion is a 409 Conflict');
  t.match((conflict as ApiError).message, /the object has been modified/);

  const missing = await c.get('pods', 'default', 'nope').catch((e: unknown) => e);
  t.ok(isNotFound(missing));
  t.equal((missing as ApiError).status.details?.name, 'nope');

  // A server (or proxy) that answers without a Status: the error is made from the code.
  f.intercept = (_req, res) => {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('upstream exploded');
    return true;
  };
  const plain = await c.get('pods', 'default', 'web').catch((e: unknown) => e);
  t.ok(plain instanceof ApiError);
  t.equal((plain as ApiError).code, 500);
  t.equal((plain as ApiError).reason, 'InternalError');
  t.match((plain as ApiError).message, /upstream exploded/);

  f.intercept = (_req, res) => {
    res.writeHead(404);
    res.end();
    return true;
  };
  const bare = await c.get('pods', 'default', 'web').catch((e: unknown) => e);
  t.equal((bare as ApiError).reason, 'NotFound');
  t.equal((bare as ApiError).message, 'the server could not find the requested resource');
});

t.test('credentials: bearer token, token file, basic auth', async (t) => {
  const f = await fake(t);
  await client(t, [f.url], {}, { auth: { token: 'abc' } }).list('pods', 'default');
  t.equal(f.requests.at(-1)!.headers.authorization, 'Bearer abc');
  await client(t, [f.url], {}, { auth: { username: 'u', password: 'p' } }).list('pods', 'default');
  t.equal(f.requests.at(-1)!.headers.authorization, `Basic ${Buffer.from('u:p').toString('base64')}`);
  const dir = mkdtempSync(join(tmpdir(), 'kubets-client-tok-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'token'), 'from-file\n');
  await client(t, [f.url], {}, { auth: { tokenFile: join(dir, 'token') } }).list('pods', 'default');
  t.equal(f.requests.at(-1)!.headers.authorization, 'Bearer from-file');
});

t.test('listAll follows continue tokens; every page at one resourceVersion', async (t) => {
  const f = await fake(t);
  const c = client(t, [f.url]);
  for (let i = 0; i < 7; i++) f.put('pods', { metadata: { name: `p${i}`, namespace: 'default' } });
  let pages = 0;
  f.intercept = (req) => {
    if (req.method === 'GET' && req.query.get('continue')) {
      pages++;
      // A write between pages must not show in the list: it is read at the first page's revision.
      if (pages === 1) f.put('pods', { metadata: { name: 'late', namespace: 'default' } });
    }
    return false;
  };
  const all = await c.listAll<Pod>('pods', 'default', { pageSize: 3 });
  t.equal(all.items.length, 7);
  t.notOk(all.items.some((p) => p.metadata?.name === 'late'));
  t.equal(pages, 2);
  t.same(f.requests.filter((r) => r.method === 'GET').map((r) => r.query.get('limit')), ['3', '3', '3']);
  t.equal(all.metadata.continue, undefined);
  t.ok(all.metadata.resourceVersion);
});

t.test('failover: 503 and refused connections move on to the next server', async (t) => {
  const a = await fake(t);
  const b = await fake(t);
  const dead = await closedPortUrl();
  b.put('pods', { metadata: { name: 'web', namespace: 'default' } });
  a.intercept = (_req, res) => {
    sendStatus(res, serviceUnavailable('etcd is unavailable'));
    return true;
  };
  const c = client(t, [dead, a.url, b.url]);
  const got = await c.get<Pod>('pods', 'default', 'web');
  t.equal(got.metadata?.name, 'web');
  t.equal(a.requests.length, 1, 'the 503 server was tried once');
  t.equal(c.transport.currentServer, b.url, 'the client sticks to the server that answered');
  await c.get('pods', 'default', 'web');
  t.equal(a.requests.length, 1, 'the next call goes straight to it');
  t.equal(b.requests.length, 2);

  // A POST after a refused connection is safe to send elsewhere: nothing was sent.
  const c2 = client(t, [dead, b.url]);
  const created = await c2.create<Pod>('pods', 'default', pod('new'));
  t.equal(created.metadata?.name, 'new');

  // A POST answered 503 may have been acted on: it is not sent again.
  const c3 = client(t, [a.url, b.url]);
  const before = b.requests.length;
  const err = await c3.create('pods', 'default', pod('other')).catch((e: unknown) => e);
  t.ok(err instanceof ApiError);
  t.equal((err as ApiError).code, 503);
  t.equal((err as ApiError).message, 'etcd is unavailable');
  t.equal(b.requests.length, before, 'the other server never saw the POST');
});

t.test('a connection dropped mid-request: GET goes elsewhere, POST does not', async (t) => {
  const a = await fake(t);
  const b = await fake(t);
  a.intercept = (_req, res) => {
    res.socket?.destroy();
    return true;
  };
  b.put('pods', { metadata: { name: 'web', namespace: 'default' } });
  const c = client(t, [a.url, b.url]);
  t.equal((await c.get<Pod>('pods', 'default', 'web')).metadata?.name, 'web');
  const c2 = client(t, [a.url, b.url]);
  const err = await c2.create('pods', 'default', pod('x')).catch((e: unknown) => e);
  t.ok(err instanceof TransportError, 'the POST fails with a TransportError');
  t.equal(b.requests.filter((r) => r.method === 'POST').length, 0, 'and is not sent to the other server');
  t.equal((err as TransportError).attempts.length, 1);
});

t.test('no server reachable: a TransportError listing the attempts', async (t) => {
  const d1 = await closedPortUrl();
  const d2 = await closedPortUrl();
  const clock = new FakeClock();
  const c = client(t, [d1, d2], { clock, maxAttempts: 4 });
  const p = c.get('pods', 'default', 'x').catch((e: unknown) => e);
  // After a full round of refusals the client waits (100 ms) before the second round.
  await clock.whenPending(1);
  clock.advance(100);
  const err = await p;
  t.ok(err instanceof TransportError);
  t.equal((err as TransportError).code, 'ECONNREFUSED');
  t.same((err as TransportError).attempts.map((a) => a.server), [d1, d2, d1, d2]);
});

t.test('429 with Retry-After: the next server at once; with one server, wait as asked', async (t) => {
  const a = await fake(t);
  const b = await fake(t);
  b.put('pods', { metadata: { name: 'web', namespace: 'default' } });
  let refusals = 0;
  a.intercept = (_req, res) => {
    if (refusals >= 1) return false;
    refusals++;
    sendStatus(res, tooManyRequests('too many requests, please try again later', 3), { 'retry-after': '3' });
    return true;
  };
  const two = client(t, [a.url, b.url]);
  t.equal((await two.get<Pod>('pods', 'default', 'web')).metadata?.name, 'web', 'answered by the other server without waiting');

  refusals = 0;
  a.put('pods', { metadata: { name: 'solo', namespace: 'default' } });
  const clock = new FakeClock();
  const one = client(t, [a.url], { clock });
  const before = a.requests.length;
  // 429 means the server turned the request away unread: even a POST is retried.
  const p = one.create<Pod>('pods', 'default', pod('after-429'));
  await clock.whenPending(1);
  t.equal(a.requests.length, before + 1, 'one attempt so far');
  clock.advance(2999);
  t.equal(a.requests.length, before + 1, 'nothing before Retry-After has passed');
  clock.advance(1);
  t.equal((await p).metadata?.name, 'after-429');
  t.equal(a.requests.length, before + 2);

  // Every attempt refused: the last refusal is what the caller sees, with its Retry-After.
  a.intercept = (_req, res) => {
    sendStatus(res, tooManyRequests('slow down', 1), { 'retry-after': '1' });
    return true;
  };
  const limited = client(t, [a.url], { clock, maxAttempts: 2 });
  const q = limited.get('pods', 'default', 'solo').catch((e: unknown) => e);
  await clock.whenPending(1);
  clock.advance(1000);
  const err = (await q) as ApiError;
  t.equal(err.code, 429);
  t.equal(err.status.details?.retryAfterSeconds, 1);
});

t.test('request timeout: a hung server is given up on, and a GET fails over', async (t) => {
  const a = await fake(t);
  const b = await fake(t);
  a.intercept = () => true; // never answers
  b.put('pods', { metadata: { name: 'web', namespace: 'default' } });
  const c = client(t, [a.url], { timeoutMs: 50, maxAttempts: 1 });
  const err = await c.get('pods', 'default', 'web').catch((e: unknown) => e);
  t.ok(err instanceof TransportError);
  t.ok((err as TransportError).attempts[0]!.error instanceof RequestTimeoutError);
  t.equal((err as TransportError).code, 'ETIMEDOUT');
  const c2 = client(t, [a.url, b.url], { timeoutMs: 50 });
  t.equal((await c2.get<Pod>('pods', 'default', 'web')).metadata?.name, 'web');
});

t.test('a caller abort stops the call without failover', async (t) => {
  const a = await fake(t);
  const b = await fake(t);
  a.intercept = () => true;
  const c = client(t, [a.url, b.url]);
  const ac = new AbortController();
  const p = c.get('pods', 'default', 'x', { signal: ac.signal }).catch((e: unknown) => e);
  await new Promise((r) => setImmediate(r));
  ac.abort();
  const err = (await p) as Error;
  t.equal(err.name, 'AbortError');
  t.equal(b.requests.length, 0);
});

t.test('raw requests and a client made from a kubeconfig', async (t) => {
  const f = await fake(t);
  const dead = await closedPortUrl();
  f.put('pods', { metadata: { name: 'web', namespace: 'team' } });
  const dir = mkdtempSync(join(tmpdir(), 'kubets-client-kc-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'kubeconfig');
  writeKubeconfig(path, { clusterName: 'kubets', servers: [dead, f.url], namespace: 'team', user: { token: 'tkn' } });
  const c = clientFromKubeconfig({ path, component: 'controller-manager' });
  t.teardown(() => c.close());
  t.same(c.transport.serverUrls, [dead, f.url]);
  t.equal(c.namespace, 'team');
  const p = await c.get<Pod>('pods', c.namespace, 'web');
  t.equal(p.metadata?.name, 'web', 'reached through the second server');
  const req = f.requests.at(-1)!;
  t.equal(req.headers.authorization, 'Bearer tkn');
  t.match(req.headers['user-agent'], /^kubets-controller-manager\//);
  const status = await c.request<Status>({ method: 'POST', path: '/api/v1/namespaces/team/pods/web/binding', body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web' }, target: { name: 'n' } } });
  t.equal(status.status, 'Success');
});
