// The Kubernetes API as clients see it: two kubets-apiserver processes on one three-member etcd
// cluster, either real etcd (ETCD_BIN selects the binary) or kubets-etcd. The same suite runs on
// both: test/api.test.ts and test/api-on-kubets-etcd.test.ts.

import t from 'tap';
import { startEtcdCluster, type EtcdImpl } from './etcd-cluster.js';
import { startApiServerProcess, type ApiServerProcess } from './apiserver-process.js';
import { call, collectWatch } from './http.js';
import { supportsRequestWatchProgress } from '../../src/etcd3/feature-support.js';

export async function runApiSuite(impl: EtcdImpl): Promise<void> {
  const etcd = await startEtcdCluster({ impl });
  const servers: ApiServerProcess[] = [];
  t.teardown(async () => {
    for (const s of servers) await s.stop();
    await etcd.stop();
  });
  servers.push(await startApiServerProcess(etcd.endpoints), await startApiServerProcess(etcd.endpoints));
  const [A, B] = servers.map((s) => s.url) as [string, string];

  const podBody = (name: string, extra: Record<string, unknown> = {}) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'web', tier: name.endsWith('2') ? 'back' : 'front' } },
    spec: { containers: [{ name: 'app', image: 'node:20', command: ['node', '-e', 'setInterval(()=>{},1e9)'] }] },
    ...extra,
  });

  t.test('discovery, version and OpenAPI', async (t) => {
    const v = await call(A, 'GET', '/version');
    t.equal(v.status, 200);
    t.equal(v.body.major, '1');
    const api = await call(A, 'GET', '/api');
    t.same(api.body.versions, ['v1']);
    const groups = await call(A, 'GET', '/apis');
    t.same(groups.body.groups.map((g: any) => g.name), ['apps', 'batch', 'coordination.k8s.io', 'discovery.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io']);
    const core = await call(A, 'GET', '/api/v1');
    const pods = core.body.resources.find((r: any) => r.name === 'pods');
    t.same(pods.shortNames, ['po']);
    t.ok(core.body.resources.some((r: any) => r.name === 'pods/status'));
    const apps = await call(A, 'GET', '/apis/apps/v1');
    const scale = apps.body.resources.find((r: any) => r.name === 'deployments/scale');
    t.same([scale.group, scale.version, scale.kind], ['autoscaling', 'v1', 'Scale']);
    const root = await call(A, 'GET', '/openapi/v3');
    t.ok(root.body.paths['api/v1'].serverRelativeURL.startsWith('/openapi/v3/api/v1?hash='));
    const doc = await call(A, 'GET', root.body.paths['apis/apps/v1'].serverRelativeURL);
    t.same(doc.body.components.schemas['io.k8s.api.apps.v1.Deployment']['x-kubernetes-group-version-kind'], [{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
    t.equal((await call(A, 'GET', '/api/v2')).status, 404);
  });

  t.test('the initial namespaces and the kubernetes Service exist', async (t) => {
    const list = await call(B, 'GET', '/api/v1/namespaces');
    t.same(list.body.items.map((n: any) => n.metadata.name).sort(), ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    const svc = await call(A, 'GET', '/api/v1/namespaces/default/services/kubernetes');
    t.equal(svc.body.spec.clusterIP, '10.96.0.1');
    const ready = await call(A, 'GET', '/readyz');
    t.equal(ready.status, 200);
  });

  t.test('create, get through the other server, conflicts and generateName', async (t) => {
    const created = await call(A, 'POST', '/api/v1/namespaces/default/pods', podBody('crud-1'));
    t.equal(created.status, 201, created.text);
    const m = created.body.metadata;
    t.match(m.uid, /^[0-9a-f-]{36}$/);
    t.match(m.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    t.match(m.resourceVersion, /^\d+$/);
    t.equal(created.body.status.phase, 'Pending');
    t.equal(created.body.spec.restartPolicy, 'Always', 'defaults applied');
    const got = await call(B, 'GET', '/api/v1/namespaces/default/pods/crud-1');
    t.equal(got.status, 200);
    t.equal(got.body.metadata.resourceVersion, m.resourceVersion, 'resourceVersion is the etcd mod_revision, the same everywhere');
    const again = await call(B, 'POST', '/api/v1/namespaces/default/pods', podBody('crud-1'));
    t.equal(again.status, 409);
    t.equal(again.body.reason, 'AlreadyExists');
    const gen = await call(A, 'POST', '/api/v1/namespaces/default/pods', { ...podBody(''), metadata: { generateName: 'gen-' } });
    t.equal(gen.status, 201);
    t.match(gen.body.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const missing = await call(A, 'GET', '/api/v1/namespaces/default/pods/nope');
    t.equal(missing.status, 404);
    t.same([missing.body.kind, missing.body.reason, missing.body.details.name, missing.body.details.kind], ['Status', 'NotFound', 'nope', 'pods']);
  });

  t.test('updates: stale resourceVersion is a 409 Conflict; generation moves with spec only', async (t) => {
    const deploy = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'gen-test' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'g' } }, template: { metadata: { labels: { app: 'g' } }, spec: { containers: [{ name: 'a', image: 'x:1' }] } } },
    };
    const c = await call(A, 'POST', '/apis/apps/v1/namespaces/default/deployments', deploy);
    t.equal(c.status, 201, c.text);
    t.equal(c.body.metadata.generation, 1);
    const labelled = structuredClone(c.body);
    labelled.metadata.labels = { a: 'b' };
    const u1 = await call(B, 'PUT', '/apis/apps/v1/namespaces/default/deployments/gen-test', labelled);
    t.equal(u1.status, 200, u1.text);
    t.equal(u1.body.metadata.generation, 1, 'metadata change keeps generation');
    // The user's original manifest, without the fields the server defaulted: the same spec.
    const resent = await call(B, 'PUT', '/apis/apps/v1/namespaces/default/deployments/gen-test', { ...deploy, metadata: { ...deploy.metadata, labels: { a: 'b' }, resourceVersion: u1.body.metadata.resourceVersion } });
    t.equal(resent.status, 200, resent.text);
    t.equal(resent.body.metadata.generation, 1, 'a PUT that leaves defaulted fields out does not change the spec');
    t.equal(resent.body.metadata.resourceVersion, u1.body.metadata.resourceVersion, 'nothing changed, nothing written');
    u1.body = resent.body;
    const stale = await call(A, 'PUT', '/apis/apps/v1/namespaces/default/deployments/gen-test', labelled);
    t.equal(stale.status, 409);
    t.equal(stale.body.reason, 'Conflict');
    const scaled = structuredClone(u1.body);
    scaled.spec.replicas = 3;
    scaled.status = { replicas: 99 };
    const u2 = await call(A, 'PUT', '/apis/apps/v1/namespaces/default/deployments/gen-test', scaled);
    t.equal(u2.body.metadata.generation, 2, 'spec change bumps generation');
    t.same(u2.body.status, {}, 'status is ignored on the main resource (it stays the zero status create gave it)');
    const st = await call(A, 'PUT', '/apis/apps/v1/namespaces/default/deployments/gen-test/status', { ...u2.body, spec: { ...u2.body.spec, replicas: 7 }, status: { replicas: 3, observedGeneration: 2 } });
    t.equal(st.status, 200, st.text);
    t.equal(st.body.status.replicas, 3);
    t.equal(st.body.spec.replicas, 3, 'spec is ignored on the status subresource');
    const sc = await call(B, 'GET', '/apis/apps/v1/namespaces/default/deployments/gen-test/scale');
    t.same([sc.body.kind, sc.body.apiVersion, sc.body.spec.replicas, sc.body.status.selector], ['Scale', 'autoscaling/v1', 3, 'app=g']);
    const patched = await call(A, 'PATCH', '/apis/apps/v1/namespaces/default/deployments/gen-test/scale', { spec: { replicas: 5 } }, { 'content-type': 'application/merge-patch+json' });
    t.equal(patched.status, 200, patched.text);
    t.equal(patched.body.spec.replicas, 5);
    const strategic = await call(A, 'PATCH', '/apis/apps/v1/namespaces/default/deployments/gen-test', { spec: { template: { spec: { containers: [{ name: 'a', image: 'x:2' }] } } } }, { 'content-type': 'application/strategic-merge-patch+json' });
    t.equal(strategic.status, 200, strategic.text);
    t.equal(strategic.body.spec.template.spec.containers[0].image, 'x:2');
    t.equal(strategic.body.spec.replicas, 5);
    const immutable = await call(A, 'PATCH', '/apis/apps/v1/namespaces/default/deployments/gen-test', [{ op: 'replace', path: '/spec/selector/matchLabels/app', value: 'other' }], { 'content-type': 'application/json-patch+json' });
    t.equal(immutable.status, 422);
    t.match(immutable.body.message, /spec.selector: Invalid value.*field is immutable/);
  });

  t.test('lists: selectors, paging at one resourceVersion, bad selectors', async (t) => {
    await call(A, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'paging' } });
    for (let i = 0; i < 25; i++) {
      const r = await call(i % 2 ? A : B, 'POST', '/api/v1/namespaces/paging/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${String(i).padStart(2, '0')}`, labels: { parity: i % 2 ? 'odd' : 'even' } }, data: { i: String(i) } });
      t.equal(r.status, 201);
    }
    const p1 = await call(A, 'GET', '/api/v1/namespaces/paging/configmaps?limit=10');
    t.equal(p1.body.items.length, 10);
    t.ok(p1.body.metadata.continue);
    t.equal(p1.body.metadata.remainingItemCount, 15);
    // A write between pages must not show in later pages: they are read at the first page's revision.
    await call(A, 'POST', '/api/v1/namespaces/paging/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm-99' } });
    const names: string[] = p1.body.items.map((i: any) => i.metadata.name);
    let cont = p1.body.metadata.continue;
    while (cont) {
      const p = await call(B, 'GET', `/api/v1/namespaces/paging/configmaps?limit=10&continue=${encodeURIComponent(cont)}`);
      t.equal(p.status, 200, p.text);
      t.equal(p.body.metadata.resourceVersion, p1.body.metadata.resourceVersion, 'one resourceVersion across pages');
      names.push(...p.body.items.map((i: any) => i.metadata.name));
      cont = p.body.metadata.continue;
    }
    t.equal(names.length, 25);
    t.notOk(names.includes('cm-99'));
    const odd = await call(A, 'GET', '/api/v1/namespaces/paging/configmaps?labelSelector=parity%3Dodd&limit=5');
    t.equal(odd.body.items.length, 5);
    t.ok(odd.body.items.every((i: any) => i.metadata.labels.parity === 'odd'));
    const byName = await call(A, 'GET', '/api/v1/namespaces/paging/configmaps?fieldSelector=metadata.name%3Dcm-03');
    t.same(byName.body.items.map((i: any) => i.metadata.name), ['cm-03']);
    const bad = await call(A, 'GET', '/api/v1/namespaces/paging/configmaps?labelSelector=a%20in%20(b');
    t.equal(bad.status, 400);
    const badField = await call(A, 'GET', '/api/v1/pods?fieldSelector=spec.bogus%3Dx');
    t.equal(badField.status, 400);
    t.match(badField.body.message, /field label not supported: spec.bogus/);
    const all = await call(B, 'GET', '/api/v1/configmaps');
    t.ok(all.body.items.length >= 26, 'all-namespace list');
    const table = await call(A, 'GET', '/api/v1/namespaces/paging/configmaps?limit=2', undefined, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
    t.equal(table.body.kind, 'Table');
    t.same(table.body.columnDefinitions.map((c: any) => c.name), ['Name', 'Data', 'Age']);
    t.same(table.body.rows[0].cells.slice(0, 2), ['cm-00', 1]);
  });

  t.test('watch: written through one server, seen in order through the other', async (t) => {
    const start = await call(B, 'GET', '/api/v1/namespaces/default/configmaps');
    const rv = start.body.metadata.resourceVersion;
    const events = await collectWatch(`${B}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`, (ev) => ev.length >= 21, 15_000, async () => {
      await call(A, 'POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'w' }, data: { n: '0' } });
      for (let i = 1; i < 20; i++) {
        await call(A, 'PATCH', '/api/v1/namespaces/default/configmaps/w', { data: { n: String(i) } }, { 'content-type': 'application/merge-patch+json' });
      }
      await call(A, 'DELETE', '/api/v1/namespaces/default/configmaps/w');
    });
    t.same(events.map((e) => e.type), ['ADDED', ...Array(19).fill('MODIFIED'), 'DELETED']);
    t.same(events.slice(0, 20).map((e) => e.object.data.n), Array.from({ length: 20 }, (_, i) => String(i)), 'no gaps, no reordering');
    const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
    t.ok(rvs.every((r, i) => i === 0 || r > rvs[i - 1]!), 'resourceVersions increase');
    const initial = await collectWatch(`${A}/api/v1/namespaces?watch=true`, (ev) => ev.length >= 4);
    t.ok(initial.every((e) => e.type === 'ADDED'), 'unset resourceVersion starts with synthetic ADDED events');
  });

  t.test('bad input gets a 4xx Status and writes nothing', async (t) => {
    const before = await call(A, 'GET', '/api/v1/namespaces/default/pods');
    const cases: [string, string, unknown, Record<string, string>, number, RegExp][] = [
      ['POST', '/api/v1/namespaces/default/pods', '{"kind": "Pod",', {}, 400, /could not be decoded as JSON/],
      ['POST', '/api/v1/namespaces/default/pods', { apiVersion: 'apps/v1', kind: 'Pod', metadata: { name: 'x' } }, {}, 400, /does not match the expected API version/],
      ['POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' } }, {}, 400, /kind in the data/],
      ['POST', '/api/v1/namespaces/default/pods', podBody('Bad_Name'), {}, 422, /Pod "Bad_Name" is invalid/],
      ['POST', '/api/v1/namespaces/default/pods', { ...podBody('x'), spec: { containers: 'nope' } }, {}, 400, /cannot be handled as a Pod/],
      ['POST', '/api/v1/namespaces/default/pods?fieldValidation=Strict', { ...podBody('x'), spec: { containers: [{ name: 'a', image: 'b', bogus: 1 }] } }, {}, 400, /strict decoding error: unknown field "spec.containers\[0\].bogus"/],
      ['POST', '/api/v1/namespaces/default/pods?fieldValidation=Strict', { ...podBody('x'), metadata: { name: 'x', namespace: 'other' } }, {}, 400, /namespace of the provided object does not match/],
      ['PUT', '/api/v1/namespaces/default/pods/crud-1', podBody('other-name'), {}, 400, /does not match the name on the URL/],
      ['POST', '/api/v1/namespaces/nowhere/pods', podBody('x'), {}, 404, /namespaces "nowhere" not found/],
      ['POST', '/api/v1/namespaces/default/widgets', podBody('x'), {}, 404, /^the server could not find the requested resource$/],
      ['POST', '/apis/batch/v2/namespaces/default/jobs', podBody('x'), {}, 404, /^the server could not find the requested resource$/],
      ['POST', '/api/v1/namespaces/default/pods', 'x'.repeat(3 * 1024 * 1024 + 10), {}, 413, /too large/],
      ['POST', '/api/v1/namespaces/default/pods', '<xml/>', { 'content-type': 'application/xml' }, 415, /unknown format/],
      ['PATCH', '/api/v1/namespaces/default/pods/crud-1', '{}', { 'content-type': 'text/plain' }, 415, /unknown format/],
      ['DELETE', '/api/v1/namespaces', undefined, {}, 405, /deletecollection is not supported/],
      ['GET', '/api/v1/namespaces/default/pods?limit=-1', undefined, {}, 400, /limit/],
    ];
    for (const [method, path, body, headers, code, re] of cases) {
      const r = await call(A, method, path, body, headers);
      t.equal(r.status, code, `${method} ${path} ${r.text.slice(0, 200)}`);
      if (code === 200) continue;
      t.equal(r.body?.kind, 'Status', 'a Status body');
      t.match(r.body?.message ?? '', re);
    }
    const warned = await call(A, 'POST', '/api/v1/namespaces/default/pods?dryRun=All', { ...podBody('warned'), spec: { containers: [{ name: 'a', image: 'b', bogus: 1 }] } });
    t.equal(warned.status, 201, 'unknown fields are a warning by default');
    t.match(String(warned.headers.warning), /299 - "unknown field \\"spec.containers\[0\].bogus\\""/);
    const after = await call(A, 'GET', '/api/v1/namespaces/default/pods');
    t.same(after.body.items.map((p: any) => p.metadata.name), before.body.items.map((p: any) => p.metadata.name), 'nothing written');
  });

  t.test('empty optional maps and lists are not stored, as upstream omitempty drops them', async (t) => {
    const created = await call(A, 'POST', '/api/v1/namespaces/default/configmaps', {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'omit-1', labels: {}, annotations: {}, finalizers: [] }, data: {}, binaryData: {},
    });
    t.equal(created.status, 201, created.text);
    t.notOk('labels' in created.body.metadata || 'annotations' in created.body.metadata || 'finalizers' in created.body.metadata, 'no empty metadata maps or lists');
    t.notOk('data' in created.body || 'binaryData' in created.body, 'no empty data maps');
    t.notOk('managedFields' in created.body.metadata, 'a manager that set nothing owns nothing');
    const pod = await call(B, 'POST', '/api/v1/namespaces/default/pods', {
      ...podBody('omit-pod'),
      spec: { containers: [{ name: 'a', image: 'b', ports: [], securityContext: {} }], volumes: [{ name: 'v', emptyDir: {} }], tolerations: [], nodeSelector: {} },
    });
    t.equal(pod.status, 201, pod.text);
    t.notOk('ports' in pod.body.spec.containers[0], 'ports: [] is dropped');
    t.same(pod.body.spec.containers[0].securityContext, {}, 'an empty struct stays, as in Go');
    t.same(pod.body.spec.volumes[0].emptyDir, {}, 'emptyDir: {} stays');
    t.notOk('nodeSelector' in pod.body.spec);
    t.same(pod.body.spec.tolerations.map((x: any) => x.key), ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'], 'only DefaultTolerationSeconds\' tolerations');
    const fields = JSON.stringify(pod.body.metadata.managedFields);
    t.notMatch(fields, /f:ports|f:tolerations|f:nodeSelector/, 'dropped fields are nobody\'s, nor what admission added');
    // A merge patch that empties a map leaves no map behind (kubectl diff would show `annotations: {}`).
    const patched = await call(A, 'PATCH', '/api/v1/namespaces/default/configmaps/omit-1', { metadata: { annotations: {} }, data: { a: 'b' } }, { 'content-type': 'application/merge-patch+json' });
    t.equal(patched.status, 200, patched.text);
    t.notOk('annotations' in patched.body.metadata);
    t.same(patched.body.data, { a: 'b' });
    // managedFields: [] still asks for managedFields to be cleared.
    const cleared = await call(A, 'PATCH', '/api/v1/namespaces/default/configmaps/omit-1', { metadata: { managedFields: [] } }, { 'content-type': 'application/merge-patch+json' });
    t.equal(cleared.status, 200, cleared.text);
    t.notOk(cleared.body.metadata.managedFields?.length, 'cleared');
  });

  t.test('binding, graceful pod deletion and finalizers', async (t) => {
    await call(A, 'POST', '/api/v1/namespaces/default/pods', podBody('bind-1'));
    const bound = await call(B, 'POST', '/api/v1/namespaces/default/pods/bind-1/binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bind-1' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-a' } });
    t.equal(bound.status, 201, bound.text);
    const pod = await call(A, 'GET', '/api/v1/namespaces/default/pods/bind-1');
    t.equal(pod.body.spec.nodeName, 'node-a');
    t.equal(pod.body.status.conditions.find((c: any) => c.type === 'PodScheduled').status, 'True');
    const twice = await call(A, 'POST', '/api/v1/namespaces/default/pods/bind-1/binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bind-1' }, target: { kind: 'Node', name: 'node-b' } });
    t.equal(twice.status, 409);
    const del = await call(A, 'DELETE', '/api/v1/namespaces/default/pods/bind-1');
    t.equal(del.status, 200);
    t.ok(del.body.metadata.deletionTimestamp, 'a scheduled pod is deleted gracefully');
    t.equal(del.body.metadata.deletionGracePeriodSeconds, 30);
    const still = await call(B, 'GET', '/api/v1/namespaces/default/pods/bind-1');
    t.equal(still.status, 200, 'it stays until its kubelet finishes');
    const force = await call(A, 'DELETE', '/api/v1/namespaces/default/pods/bind-1', { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 });
    t.equal(force.status, 200);
    t.equal((await call(B, 'GET', '/api/v1/namespaces/default/pods/bind-1')).status, 404);
    await call(A, 'POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fin', finalizers: ['example.com/hold'] } });
    const d1 = await call(A, 'DELETE', '/api/v1/namespaces/default/configmaps/fin');
    t.ok(d1.body.metadata.deletionTimestamp);
    t.equal((await call(A, 'GET', '/api/v1/namespaces/default/configmaps/fin')).status, 200, 'held by its finalizer');
    const release = await call(B, 'PATCH', '/api/v1/namespaces/default/configmaps/fin', { metadata: { finalizers: null } }, { 'content-type': 'application/merge-patch+json' });
    t.equal(release.status, 200, release.text);
    t.equal((await call(A, 'GET', '/api/v1/namespaces/default/configmaps/fin')).status, 404, 'gone once the last finalizer is removed');
    const fg = await call(A, 'POST', '/apis/apps/v1/namespaces/default/replicasets', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'fg' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } });
    t.equal(fg.status, 201, fg.text);
    const fgDel = await call(A, 'DELETE', '/apis/apps/v1/namespaces/default/replicasets/fg', { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground' });
    t.same(fgDel.body.metadata.finalizers, ['foregroundDeletion'], 'Foreground is recorded for the garbage collector');
    const immortal = await call(A, 'DELETE', '/api/v1/namespaces/default');
    t.equal(immortal.status, 403);
  });

  t.test('services get unique cluster IPs and node ports across API servers', async (t) => {
    const svc = (i: number, type = 'ClusterIP') => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: `s${i}` }, spec: { type, selector: { app: 'x' }, ports: [{ port: 80 }] } });
    const created = await Promise.all(Array.from({ length: 20 }, (_, i) => call(i % 2 ? A : B, 'POST', '/api/v1/namespaces/default/services', svc(i, i < 10 ? 'NodePort' : 'ClusterIP'))));
    t.ok(created.every((c) => c.status === 201), created.map((c) => c.status).join(','));
    const ips = created.map((c) => c.body.spec.clusterIP);
    t.equal(new Set(ips).size, 20, 'no duplicate cluster IPs');
    t.ok(ips.every((ip) => /^10\.(9[6-9]|10[0-9]|11[01])\./.test(ip) && ip !== '10.96.0.1'), 'inside 10.96.0.0/12, not the reserved first address');
    const ports = created.slice(0, 10).map((c) => c.body.spec.ports[0].nodePort);
    t.equal(new Set(ports).size, 10);
    t.ok(ports.every((p) => p >= 30000 && p <= 32767));
    const taken = await call(A, 'POST', '/api/v1/namespaces/default/services', { ...svc(99), spec: { clusterIP: ips[0], ports: [{ port: 80 }] } });
    t.equal(taken.status, 422);
    t.match(taken.body.message, /provided IP is already allocated/);
    await call(A, 'DELETE', '/api/v1/namespaces/default/services/s0');
    const reuse = await call(B, 'POST', '/api/v1/namespaces/default/services', { ...svc(100), spec: { clusterIP: ips[0], ports: [{ port: 80 }] } });
    t.equal(reuse.status, 201, 'a deleted Service gives its IP back');
  });

  t.test('a Service update gives back the IP and node ports it stops using, and a failed one claims nothing', async (t) => {
    const base = '/api/v1/namespaces/default/services';
    const svc = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec });
    const np = await call(A, 'POST', base, svc('np', { type: 'NodePort', clusterIP: '10.96.7.7', ports: [{ port: 80, nodePort: 30100 }] }));
    t.equal(np.status, 201, np.text);
    // NodePort -> ClusterIP: the node port goes back to the pool.
    const toClusterIP = await call(B, 'PATCH', `${base}/np`, { spec: { type: 'ClusterIP', ports: [{ port: 80, nodePort: null }] } }, { 'content-type': 'application/merge-patch+json' });
    t.equal(toClusterIP.status, 200, toClusterIP.text);
    t.notOk(toClusterIP.body.spec.ports[0].nodePort);
    const portReused = await call(A, 'POST', base, svc('np-2', { type: 'NodePort', ports: [{ port: 80, nodePort: 30100 }] }));
    t.equal(portReused.status, 201, 'the node port is free again: ' + portReused.text);
    // ClusterIP -> ExternalName: the cluster IP goes back.
    const toExternal = await call(A, 'PATCH', `${base}/np`, { spec: { type: 'ExternalName', externalName: 'db.example.com', clusterIP: '', clusterIPs: null, ports: null } }, { 'content-type': 'application/merge-patch+json' });
    t.equal(toExternal.status, 200, toExternal.text);
    const ipReused = await call(B, 'POST', base, svc('ip-2', { clusterIP: '10.96.7.7', ports: [{ port: 80 }] }));
    t.equal(ipReused.status, 201, 'the cluster IP is free again: ' + ipReused.text);
    // An update refused for a stale resourceVersion keeps nothing it claimed.
    const stale = { ...portReused.body, metadata: { ...portReused.body.metadata, resourceVersion: '1' } };
    stale.spec = { ...stale.spec, ports: [{ port: 80, nodePort: 30101 }] };
    const refused = await call(B, 'PUT', `${base}/np-2`, stale);
    t.equal(refused.status, 409);
    const unclaimed = await call(A, 'POST', base, svc('np-3', { type: 'NodePort', ports: [{ port: 80, nodePort: 30101 }] }));
    t.equal(unclaimed.status, 201, 'the refused update left the port free: ' + unclaimed.text);
    // A dry-run update claims nothing either.
    const dry = await call(A, 'PATCH', `${base}/ip-2?dryRun=All`, { spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 30102 }] } }, { 'content-type': 'application/merge-patch+json' });
    t.equal(dry.status, 200, dry.text);
    t.equal(dry.body.spec.ports[0].nodePort, 30102);
    const afterDry = await call(B, 'POST', base, svc('np-4', { type: 'NodePort', ports: [{ port: 80, nodePort: 30102 }] }));
    t.equal(afterDry.status, 201, 'the dry run left the port free: ' + afterDry.text);
    for (const name of ['np', 'np-2', 'ip-2', 'np-3', 'np-4']) await call(A, 'DELETE', `${base}/${name}`);
  });

  t.test('consistent lists: the latest write is in a list without resourceVersion through the other server', async (t) => {
    const ns = '/api/v1/namespaces/default';
    // The watch cache serves them only when every etcd member orders progress notifications
    // after events (etcd 3.4.31+, kubets-etcd); older etcd is read directly.
    const versions = await Promise.all(etcd.endpoints.map(async (e) => ((await (await fetch(`${e}/version`)).json()) as { etcdserver: string }).etcdserver));
    const fromCache = versions.every(supportsRequestWatchProgress);
    t.comment(`etcd ${versions.join(', ')}: ${fromCache ? 'from the watch cache' : 'from etcd'}`);
    const readsOf = async (fallback: boolean) => {
      const text = (await call(B, 'GET', '/metrics')).text;
      const m = new RegExp(`apiserver_watch_cache_consistent_read_total\\{resource="pods",success="true",fallback="${fallback}"\\} (\\d+)`).exec(text);
      return m ? Number(m[1]) : 0;
    };
    const before = await readsOf(false);
    for (let i = 0; i < 10; i++) {
      const pod = await call(A, 'POST', `${ns}/pods`, podBody(`consistent-${i}`));
      t.equal(pod.status, 201, pod.text);
      const list = await call(B, 'GET', `${ns}/pods`);
      t.ok(list.body.items.some((p: any) => p.metadata.name === `consistent-${i}`), `write ${i} is in the list at once`);
      t.ok(Number(list.body.metadata.resourceVersion) >= Number(pod.body.metadata.resourceVersion), 'the list is at least as new as the write');
      // A write to another resource moves etcd's revision past every pod event: the pod cache
      // learns it from a progress notification, not from an event.
      const cm = await call(A, 'POST', `${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `consistent-${i}` } });
      const after = await call(B, 'GET', `${ns}/pods`);
      t.ok(Number(after.body.metadata.resourceVersion) >= Number(cm.body.metadata.resourceVersion), 'a list after a write elsewhere is at least as new as that write');
    }
    t.equal(await readsOf(false) - before, fromCache ? 20 : 0, 'lists served by the watch cache');
    t.equal(await readsOf(true), 0, 'none had to fall back to etcd');
    for (let i = 0; i < 10; i++) {
      await call(A, 'DELETE', `${ns}/pods/consistent-${i}?gracePeriodSeconds=0`);
      await call(A, 'DELETE', `${ns}/configmaps/consistent-${i}`);
    }
  });

  t.test('SIGTERM ends open watches and exits promptly', async (t) => {
    const extra = await startApiServerProcess(etcd.endpoints);
    servers.push(extra);
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const watch = collectWatch(`${extra.url}/api/v1/namespaces/default/pods?watch=true`, () => false, 20_000, async () => opened()).then(
      () => 'ended by the server',
      (e: Error) => e.message,
    );
    await open;
    const exited = new Promise<number | null>((resolve) => extra.child.once('exit', (code) => resolve(code)));
    const started = Date.now();
    process.kill(extra.pid, 'SIGTERM');
    const code = await exited;
    t.equal(code, 0, 'a clean exit, not the launcher\'s SIGKILL');
    // Promptly: an open watch would hold it for its timeout, an idle connection for the
    // keep-alive (72 s). Not to the second: a loaded machine takes its time to close etcd's client.
    t.ok(Date.now() - started < 15_000, `exited ${Date.now() - started} ms after SIGTERM`);
    t.equal(await watch, 'ended by the server');
  });

  t.test('request metrics carry upstream\'s labels: verb, dry_run, group, version, resource, subresource, scope, component', async (t) => {
    const ns = '/api/v1/namespaces/default/configmaps';
    await call(A, 'POST', ns, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'metrics-1' } });
    await call(A, 'POST', `${ns}?dryRun=All`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'metrics-2' } });
    await call(A, 'GET', ns);
    await call(A, 'GET', '/api/v1/configmaps');
    await call(A, 'PATCH', `${ns}/metrics-1?fieldManager=m`, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: metrics-1}\ndata: {a: b}\n', { 'content-type': 'application/apply-patch+yaml' });
    await call(A, 'GET', '/apis/apps/v1/namespaces/default/deployments/gen-test/scale');
    const text = (await call(A, 'GET', '/metrics')).text;
    const has = (labels: Record<string, string>) => text.split('\n').some((line) => line.startsWith('apiserver_request_total{') && Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)));
    const base = { group: '', version: 'v1', resource: 'configmaps', subresource: '', component: 'apiserver' };
    t.ok(has({ ...base, verb: 'POST', dry_run: '', scope: 'resource', code: '201' }), 'a create');
    t.ok(has({ ...base, verb: 'POST', dry_run: 'All', scope: 'resource', code: '201' }), 'a dry-run create');
    t.ok(has({ ...base, verb: 'LIST', scope: 'namespace', code: '200' }), 'a list in a namespace');
    t.ok(has({ ...base, verb: 'LIST', scope: 'cluster', code: '200' }), 'a list across namespaces');
    t.ok(has({ ...base, verb: 'APPLY', scope: 'resource', code: '200' }), 'server-side apply is APPLY');
    t.ok(has({ verb: 'GET', group: 'apps', version: 'v1', resource: 'deployments', subresource: 'scale', scope: 'resource', code: '200' }), 'a subresource');
    t.ok(text.split('\n').some((l) => l.startsWith('apiserver_request_duration_seconds_bucket{') && l.includes('le="1.25"') && l.includes('verb="LIST"')), 'upstream\'s buckets');
    // The storage's metrics: etcd request latency by operation and type, and object counts.
    const value = (name: string, labels: string) => Number(new RegExp(`^${name}\\{${labels}\\} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
    t.ok(value('etcd_request_duration_seconds_count', 'operation="create",type="configmaps"') >= 1, 'etcd creates are timed');
    t.ok(value('etcd_request_duration_seconds_count', 'operation="get",type="deployments.apps"') >= 1, 'etcd gets are timed, with the group in the type');
    // This is A's first scrape, so the counts are fresh (later ones are at most a minute old).
    const listed = await call(A, 'GET', '/api/v1/configmaps');
    t.equal(value('apiserver_storage_objects', 'resource="configmaps"'), listed.body.items.length, 'stored objects are counted');
    t.ok(value('apiserver_storage_objects', 'resource="namespaces"') >= 4);
  });

  // Last: it takes etcd's quorum away.
  t.test('healthz, livez and readyz: named checks, verbose, exclude, one check alone, and failure while etcd has no quorum', async (t) => {
    const plain = (r: { headers: Record<string, unknown> }) => String(r.headers['content-type']).startsWith('text/plain');
    const ready = await call(A, 'GET', '/readyz');
    t.equal(ready.status, 200);
    t.equal(ready.text, 'ok');
    t.ok(plain(ready));
    const verbose = await call(A, 'GET', '/readyz?verbose');
    t.equal(verbose.text, '[+]ping ok\n[+]etcd ok\n[+]poststarthook/bootstrap-controller ok\n[+]poststarthook/storage-readiness ok\n[+]shutdown ok\nreadyz check passed\n');
    const excluded = await call(B, 'GET', '/livez?verbose&exclude=etcd&exclude=nope');
    t.equal(excluded.status, 200);
    t.match(excluded.text, /^\[\+\]etcd excluded: ok$/m);
    t.match(excluded.text, /^warn: some health checks cannot be excluded: no matches for "nope"$/m);
    t.match(excluded.text, /livez check passed\n$/);
    t.equal((await call(A, 'GET', '/healthz/etcd')).text, 'ok');
    t.equal((await call(A, 'GET', '/readyz/poststarthook/bootstrap-controller')).text, 'ok');
    t.equal((await call(A, 'GET', '/healthz/nope')).status, 404);

    await etcd.kill(1);
    await etcd.kill(2);
    t.teardown(async () => {
      await etcd.restart(1);
      await etcd.restart(2);
    });
    const failed = await call(A, 'GET', '/readyz');
    t.equal(failed.status, 500, failed.text);
    t.equal(failed.text, '[+]ping ok\n[-]etcd failed: reason withheld\n[+]poststarthook/bootstrap-controller ok\n[+]poststarthook/storage-readiness ok\n[+]shutdown ok\nreadyz check failed\n', 'every check listed, the reason withheld');
    const alone = await call(A, 'GET', '/readyz/etcd');
    t.equal(alone.status, 500);
    t.match(alone.text, /^internal server error: /, 'one check alone gives its reason');
    t.equal((await call(A, 'GET', '/readyz?exclude=etcd')).status, 200, 'excluding the failing check passes');
    t.equal((await call(A, 'GET', '/livez/ping')).text, 'ok');
  });
}
