// @kubernetes/client-node 1.x (2.x needs Node 22; kubets runs on Node 20), the official JavaScript client, used exactly as a user would: a
// kubeconfig file naming two kubets-apiserver processes (plain HTTP), CoreV1Api for CRUD, paging
// and patches, the Watch class and an informer. Writes go through one API server and are watched
// through the other. The same suite runs on real etcd (test/client-node.test.ts) and on
// kubets-etcd (test/client-node-on-kubets-etcd.test.ts).

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { ApiException, CoreV1Api, KubeConfig, makeInformer, PatchStrategy, setHeaderOptions, Watch, type V1Pod } from '@kubernetes/client-node';
import { startEtcdCluster, type EtcdImpl } from './etcd-cluster.js';
import { startApiServerProcess, type ApiServerProcess } from './apiserver-process.js';

/** Resolves once `check` holds, polling; fails with `what` at the deadline. */
async function until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The ApiException a call fails with (client-node keeps the body as the response text). */
async function apiError(p: Promise<unknown>): Promise<{ code: number; status: any }> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof ApiException)) throw e;
    const err = e as ApiException<string>;
    return { code: err.code, status: typeof err.body === 'string' ? JSON.parse(err.body) : err.body };
  }
  throw new Error('the call succeeded; an ApiException was expected');
}

export async function runClientNodeSuite(impl: EtcdImpl): Promise<void> {
  const etcd = await startEtcdCluster({ impl });
  const servers: ApiServerProcess[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'kubets-client-node-'));
  t.teardown(async () => {
    for (const s of servers) await s.stop();
    await etcd.stop();
    await rm(dir, { recursive: true, force: true });
  });
  servers.push(await startApiServerProcess(etcd.endpoints), await startApiServerProcess(etcd.endpoints));
  const [A, B] = servers.map((s) => s.url) as [string, string];

  // A kubeconfig as a user writes it for a plain-HTTP server: client-node 2.x refuses http://
  // unless insecure-skip-tls-verify is set.
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, `apiVersion: v1
kind: Config
clusters:
- name: kubets-a
  cluster:
    server: ${A}
    insecure-skip-tls-verify: true
- name: kubets-b
  cluster:
    server: ${B}
    insecure-skip-tls-verify: true
users:
- name: admin
  user: {}
contexts:
- name: a
  context: {cluster: kubets-a, user: admin, namespace: default}
- name: b
  context: {cluster: kubets-b, user: admin, namespace: default}
current-context: a
`);
  const kcA = new KubeConfig();
  kcA.loadFromFile(kubeconfig);
  const kcB = new KubeConfig();
  kcB.loadFromFile(kubeconfig);
  kcB.setCurrentContext('b');
  const coreA = kcA.makeApiClient(CoreV1Api);
  const coreB = kcB.makeApiClient(CoreV1Api);
  const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

  const pod = (name: string, labels: Record<string, string> = { app: 'web' }): V1Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { containers: [{ name: 'app', image: 'node:20', command: ['node', '-e', 'setInterval(()=>{},1e9)'] }] },
  });
  const namespace = async (t: Test, name: string) => {
    const ns = await coreA.createNamespace({ body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
    t.equal(ns.metadata?.name, name, `namespace ${name} created`);
  };

  t.test('the kubeconfig names both servers', async (t) => {
    t.equal(kcA.getCurrentCluster()?.server, A);
    t.equal(kcB.getCurrentCluster()?.server, B);
  });

  t.test('create, read through the other server, replace, merge-patch, delete', async (t) => {
    await namespace(t, 'cn-crud');
    const created = await coreA.createNamespacedPod({ namespace: 'cn-crud', body: pod('p1') });
    t.equal(created.metadata?.name, 'p1');
    t.equal(created.metadata?.namespace, 'cn-crud');
    t.match(created.metadata?.uid, /^[0-9a-f-]{36}$/);
    t.match(created.metadata?.resourceVersion, /^\d+$/);
    t.ok(created.metadata?.creationTimestamp instanceof Date, 'creationTimestamp deserialized as a Date');
    t.equal(created.spec?.restartPolicy, 'Always', 'defaults applied');
    t.equal(created.status?.phase, 'Pending');

    const read = await coreB.readNamespacedPod({ namespace: 'cn-crud', name: 'p1' });
    t.equal(read.metadata?.resourceVersion, created.metadata?.resourceVersion, 'the same resourceVersion through either server');
    t.equal(read.metadata?.uid, created.metadata?.uid);

    read.metadata!.labels = { ...read.metadata!.labels, replaced: 'yes' };
    const replaced = await coreB.replaceNamespacedPod({ namespace: 'cn-crud', name: 'p1', body: read });
    t.equal(replaced.metadata?.labels?.replaced, 'yes');
    t.ok(Number(replaced.metadata?.resourceVersion) > Number(read.metadata?.resourceVersion));
    const stale = await apiError(coreA.replaceNamespacedPod({ namespace: 'cn-crud', name: 'p1', body: read }));
    t.equal(stale.code, 409, 'a replace with a stale resourceVersion conflicts');
    t.equal(stale.status.reason, 'Conflict');

    const patched = await coreA.patchNamespacedPod({ namespace: 'cn-crud', name: 'p1', body: { metadata: { labels: { patched: 'merge', replaced: null } } } }, mergePatch);
    t.same(patched.metadata?.labels, { app: 'web', patched: 'merge' }, 'merge patch adds and removes labels');
    t.equal(patched.spec?.containers[0]?.image, 'node:20', 'the rest is kept');

    const deleted = await coreB.deleteNamespacedPod({ namespace: 'cn-crud', name: 'p1' });
    t.equal(deleted.metadata?.name, 'p1');
    const gone = await apiError(coreA.readNamespacedPod({ namespace: 'cn-crud', name: 'p1' }));
    t.equal(gone.code, 404);
    t.same([gone.status.kind, gone.status.reason, gone.status.details?.name], ['Status', 'NotFound', 'p1']);
  });

  t.test('creating an existing pod: 409 AlreadyExists as a Status in the ApiException', async (t) => {
    await namespace(t, 'cn-exists');
    await coreA.createNamespacedPod({ namespace: 'cn-exists', body: pod('dup') });
    const err = await apiError(coreB.createNamespacedPod({ namespace: 'cn-exists', body: pod('dup') }));
    t.equal(err.code, 409);
    t.equal(err.status.kind, 'Status');
    t.equal(err.status.apiVersion, 'v1');
    t.equal(err.status.status, 'Failure');
    t.equal(err.status.reason, 'AlreadyExists');
    t.equal(err.status.code, 409);
    t.same(err.status.details, { name: 'dup', kind: 'pods' });
    t.match(err.status.message, /pods "dup" already exists/);
  });

  t.test('list: labelSelector, and limit + continue across servers at one resourceVersion', async (t) => {
    await namespace(t, 'cn-list');
    for (let i = 0; i < 11; i++) {
      await (i % 2 ? coreA : coreB).createNamespacedPod({ namespace: 'cn-list', body: pod(`p-${String(i).padStart(2, '0')}`, { app: 'list', parity: i % 2 ? 'odd' : 'even' }) });
    }
    const odd = await coreB.listNamespacedPod({ namespace: 'cn-list', labelSelector: 'parity=odd' });
    t.same(odd.items.map((p) => p.metadata?.name), ['p-01', 'p-03', 'p-05', 'p-07', 'p-09']);
    t.equal(odd.kind, 'PodList');
    const notEven = await coreA.listNamespacedPod({ namespace: 'cn-list', labelSelector: 'app=list,parity!=even' });
    t.equal(notEven.items.length, 5);

    const first = await coreA.listNamespacedPod({ namespace: 'cn-list', limit: 4 });
    t.equal(first.items.length, 4);
    t.ok(first.metadata?._continue, 'a continue token');
    t.equal(first.metadata?.remainingItemCount, 7);
    // Written between pages: not in the later pages, which are read at the first page's revision.
    await coreB.createNamespacedPod({ namespace: 'cn-list', body: pod('p-99', { app: 'list' }) });
    const names = first.items.map((p) => p.metadata?.name);
    let cont = first.metadata?._continue;
    let pages = 1;
    while (cont) {
      const page = await (pages % 2 ? coreB : coreA).listNamespacedPod({ namespace: 'cn-list', limit: 4, _continue: cont });
      t.equal(page.metadata?.resourceVersion, first.metadata?.resourceVersion, 'one resourceVersion across pages');
      names.push(...page.items.map((p) => p.metadata?.name));
      cont = page.metadata?._continue;
      pages++;
    }
    t.equal(pages, 3);
    t.same(names, Array.from({ length: 11 }, (_, i) => `p-${String(i).padStart(2, '0')}`));
    const bad = await apiError(coreA.listNamespacedPod({ namespace: 'cn-list', labelSelector: 'a in (b' }));
    t.equal(bad.code, 400);
    t.equal(bad.status.reason, 'BadRequest');
  });

  t.test('Watch: from a list resourceVersion through the other server, ADDED/MODIFIED/DELETED in order', async (t) => {
    await namespace(t, 'cn-watch');
    // Listed through A, watched through B from A's resourceVersion (etcd's revision: the same on both).
    const list = await coreA.listNamespacedPod({ namespace: 'cn-watch' });
    const events: { type: string; obj: any }[] = [];
    let ended: unknown = 'not yet';
    let endedBeforeAbort: unknown;
    const watch = new Watch(kcB);
    const req = await watch.watch('/api/v1/namespaces/cn-watch/pods', { resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true }, (type, obj) => {
      if (type !== 'BOOKMARK') events.push({ type, obj });
    }, (err) => (ended = err));
    try {
      await coreA.createNamespacedPod({ namespace: 'cn-watch', body: pod('w') });
      for (let i = 1; i <= 10; i++) {
        await coreA.patchNamespacedPod({ namespace: 'cn-watch', name: 'w', body: { metadata: { annotations: { n: String(i) } } } }, mergePatch);
      }
      await coreA.deleteNamespacedPod({ namespace: 'cn-watch', name: 'w' });
      await until('12 watch events', () => events.length >= 12);
      endedBeforeAbort = ended;
    } finally {
      req.abort();
    }
    t.same(events.map((e) => e.type), ['ADDED', ...Array(10).fill('MODIFIED'), 'DELETED']);
    t.same(events.slice(1, 11).map((e) => e.obj.metadata.annotations.n), Array.from({ length: 10 }, (_, i) => String(i + 1)), 'no gaps, no reordering');
    const rvs = events.map((e) => Number(e.obj.metadata.resourceVersion));
    t.ok(rvs.every((r, i) => i === 0 || r > rvs[i - 1]!), 'resourceVersions increase');
    t.ok(rvs[0]! > Number(list.metadata?.resourceVersion), 'only changes after the list');
    t.equal(events[0]!.obj.kind, 'Pod');
    t.equal(endedBeforeAbort, 'not yet', 'the watch did not end on its own');
  });

  t.test('Watch from a resourceVersion older than the watch cache holds: an ERROR event with a 410 Expired Status, then the end', async (t) => {
    const events: { type: string; obj: any }[] = [];
    let ended: unknown = 'not yet';
    // Server B started after A had bootstrapped: its caches begin past revision 1.
    const req = await new Watch(kcB).watch('/api/v1/namespaces/default/pods', { resourceVersion: '1' }, (type, obj) => events.push({ type, obj }), (err) => (ended = err));
    try {
      await until('the watch to end', () => ended !== 'not yet');
    } finally {
      req.abort();
    }
    t.equal(ended, null, 'ended by the server, without a transport error');
    t.same(events.map((e) => e.type), ['ERROR']);
    t.match(events[0]?.obj, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410 });
    t.match(events[0]?.obj.message, /too old resource version/);
  });

  t.test('informer: adds, updates and deletes, on a label selector', async (t) => {
    await namespace(t, 'cn-informer');
    await coreA.createNamespacedPod({ namespace: 'cn-informer', body: pod('before', { app: 'inf' }) });
    await coreA.createNamespacedPod({ namespace: 'cn-informer', body: pod('other', { app: 'other' }) });
    const informer = makeInformer(kcB, '/api/v1/namespaces/cn-informer/pods', () => coreB.listNamespacedPod({ namespace: 'cn-informer', labelSelector: 'app=inf' }), 'app=inf');
    const seen: string[] = [];
    const errors: unknown[] = [];
    informer.on('add', (p) => seen.push(`add ${p.metadata?.name}`));
    informer.on('update', (p) => seen.push(`update ${p.metadata?.name} ${p.metadata?.annotations?.step ?? ''}`.trim()));
    informer.on('delete', (p) => seen.push(`delete ${p.metadata?.name}`));
    // Stopping aborts the informer's watch request, which client-node 1.x reports as an error.
    let stopping = false;
    informer.on('error', (e) => stopping || errors.push(e));
    await informer.start();
    try {
      await until('the initial list', () => seen.includes('add before'));
      t.same(informer.list('cn-informer').map((p) => p.metadata?.name), ['before'], 'the cache holds the selected pods');
      await coreA.createNamespacedPod({ namespace: 'cn-informer', body: pod('live', { app: 'inf' }) });
      await until('add live', () => seen.includes('add live'));
      await coreA.patchNamespacedPod({ namespace: 'cn-informer', name: 'live', body: { metadata: { annotations: { step: '1' } } } }, mergePatch);
      await until('update live', () => seen.includes('update live 1'));
      await coreA.patchNamespacedPod({ namespace: 'cn-informer', name: 'other', body: { metadata: { annotations: { step: '1' } } } }, mergePatch);
      // Leaving the selection is a delete for this informer.
      await coreA.patchNamespacedPod({ namespace: 'cn-informer', name: 'before', body: { metadata: { labels: { app: 'gone' } } } }, mergePatch);
      await until('delete before', () => seen.includes('delete before'));
      await coreA.deleteNamespacedPod({ namespace: 'cn-informer', name: 'live' });
      await until('delete live', () => seen.includes('delete live'));
    } finally {
      stopping = true;
      await informer.stop();
    }
    t.same(seen, ['add before', 'add live', 'update live 1', 'delete before', 'delete live']);
    t.same(informer.list('cn-informer'), [], 'the cache is empty again');
    t.same(errors, []);
  });
}
