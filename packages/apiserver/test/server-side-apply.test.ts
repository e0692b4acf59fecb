// Server-side apply over HTTP, as `kubectl apply --server-side` uses it: one kubets-apiserver
// on a three-member etcd cluster. Create by apply, a second apply that drops a field, a
// conflict between two managers (409 with the fields), force, the status subresource, and the
// Update entries that ordinary writes record.

import t from 'tap';
import { startOneApiServer } from './support/one-api-server.js';
import { call } from './support/http.js';

const api = await startOneApiServer({ impl: 'etcd' });
const A = api.url;

const APPLY = { 'content-type': 'application/apply-patch+yaml' };
const deployPath = '/apis/apps/v1/namespaces/default/deployments';
const apply = (path: string, manager: string | undefined, body: string, extra = '') =>
  call(A, 'PATCH', `${path}?${manager === undefined ? '' : `fieldManager=${manager}`}${extra}`, body, APPLY);
const owners = (obj: any) => Object.fromEntries((obj.metadata.managedFields ?? []).map((e: any) => [`${e.manager}/${e.operation}${e.subresource ? '/' + e.subresource : ''}`, e]));

const webYaml = (replicas: number, labels: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
${labels}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: nginx:1
        ports:
        - containerPort: 80
`;

t.test('apply creates, merges, removes what it no longer applies, and records Apply', async (t) => {
  const created = await apply(`${deployPath}/web`, 'alice', webYaml(2, '    app: web\n    team: a'));
  t.equal(created.status, 201, created.text);
  t.equal(created.body.spec.replicas, 2);
  t.equal(created.body.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent', 'defaults applied, as on create');
  const e = owners(created.body)['alice/Apply'];
  t.ok(e, 'an Apply entry for alice');
  t.same([e.apiVersion, e.fieldsType], ['apps/v1', 'FieldsV1']);
  t.match(e.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  t.same(e.fieldsV1['f:metadata'], { 'f:labels': { 'f:app': {}, 'f:team': {} } });
  t.ok(e.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"app"}']['f:ports']['k:{"containerPort":80,"protocol":"TCP"}'], 'list-map keys');
  t.notOk(e.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"app"}']['f:imagePullPolicy'], 'defaults are not owned by the applier');

  const second = await apply(`${deployPath}/web`, 'alice', webYaml(2, '    app: web'));
  t.equal(second.status, 200, second.text);
  t.same(second.body.metadata.labels, { app: 'web' }, 'the label alice stopped applying is gone');
  t.not(second.body.metadata.resourceVersion, created.body.metadata.resourceVersion);

  const same = await apply(`${deployPath}/web`, 'alice', webYaml(2, '    app: web'));
  t.equal(same.status, 200);
  t.equal(same.body.metadata.resourceVersion, second.body.metadata.resourceVersion, 'an apply that changes nothing writes nothing');
});

t.test('conflicts between managers: 409 listing the fields; force takes them over', async (t) => {
  const bob = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 5
`;
  const conflict = await apply(`${deployPath}/web`, 'bob', bob);
  t.equal(conflict.status, 409, conflict.text);
  t.same([conflict.body.kind, conflict.body.reason, conflict.body.code], ['Status', 'Conflict', 409]);
  t.equal(conflict.body.message, 'Apply failed with 1 conflict: conflict with "alice": .spec.replicas');
  t.same(conflict.body.details.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "alice"', field: '.spec.replicas' }]);
  t.equal((await call(A, 'GET', `${deployPath}/web`)).body.spec.replicas, 2, 'nothing written');

  const shared = await apply(`${deployPath}/web`, 'bob', bob.replace('5', '2'));
  t.equal(shared.status, 200, 'the same value is no conflict');
  t.ok(owners(shared.body)['bob/Apply'].fieldsV1['f:spec']['f:replicas'], 'bob shares replicas');
  t.ok(owners(shared.body)['alice/Apply'].fieldsV1['f:spec']['f:replicas'], 'alice still has them');

  const forced = await apply(`${deployPath}/web`, 'bob', bob, '&force=true');
  t.equal(forced.status, 200, forced.text);
  t.equal(forced.body.spec.replicas, 5);
  t.notOk(owners(forced.body)['alice/Apply'].fieldsV1['f:spec']['f:replicas'], 'alice lost replicas');

  const stale = await apply(`${deployPath}/web`, 'bob', bob.replace('{name: web}', '{name: web, resourceVersion: "1"}'));
  t.same([stale.status, stale.body.reason], [409, 'Conflict'], 'a resourceVersion in the configuration is a precondition');
});

t.test('ordinary writes record Update entries for their manager', async (t) => {
  const got = (await call(A, 'GET', `${deployPath}/web`)).body;
  got.spec.replicas = 7;
  const put = await call(A, 'PUT', `${deployPath}/web`, got, { 'user-agent': 'kubectl/v1.32.0 (linux/amd64) kubernetes/abc' });
  t.equal(put.status, 200, put.text);
  const u = owners(put.body)['kubectl/Update'];
  t.ok(u, 'the manager is the User-Agent product');
  t.same(u.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
  t.notOk(owners(put.body)['bob/Apply'], 'bob owned only replicas, which the PUT took over');
  t.ok(owners(put.body)['alice/Apply'], 'alice keeps the rest');

  const scaled = await call(A, 'PATCH', `${deployPath}/web/scale?fieldManager=scaler`, { spec: { replicas: 9 } }, { 'content-type': 'application/merge-patch+json' });
  t.equal(scaled.status, 200, scaled.text);
  const afterScale = (await call(A, 'GET', `${deployPath}/web`)).body;
  t.same(owners(afterScale)['scaler/Update/scale'].fieldsV1, { 'f:spec': { 'f:replicas': {} } }, 'scale writes are recorded with subresource scale');
  t.notOk(owners(afterScale)['kubectl/Update'], 'the PUT\'s manager owned only replicas');
  const contested = await apply(`${deployPath}/web`, 'alice', webYaml(2, '    app: web'));
  t.equal(contested.body.message, 'Apply failed with 1 conflict: conflict with "scaler" with subresource "scale" using apps/v1: .spec.replicas');

  const patched = await call(A, 'PATCH', `${deployPath}/web?fieldManager=labeller`, { metadata: { labels: { extra: 'x' } } }, { 'content-type': 'application/merge-patch+json' });
  t.equal(patched.status, 200, patched.text);
  t.same(owners(patched.body)['labeller/Update'].fieldsV1, { 'f:metadata': { 'f:labels': { 'f:extra': {} } } });

  const cm = await call(A, 'POST', '/api/v1/namespaces/default/configmaps?fieldManager=maker', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa-cm', managedFields: [{ manager: 'bogus' }] }, data: { a: '1' } });
  t.equal(cm.status, 201, cm.text);
  t.same(cm.body.metadata.managedFields.map((e: any) => [e.manager, e.operation]), [['maker', 'Update']]);
  t.same(cm.body.metadata.managedFields[0].fieldsV1, { 'f:data': { 'f:a': {} } }, 'managedFields sent on create give way to the creator');

  const cleared = await call(A, 'PATCH', '/api/v1/namespaces/default/configmaps/ssa-cm', { metadata: { managedFields: [{}] } }, { 'content-type': 'application/merge-patch+json' });
  t.equal(cleared.status, 200, cleared.text);
  t.equal(cleared.body.metadata.managedFields, undefined, '[{}] clears managedFields');
  const kept = await call(A, 'PATCH', '/api/v1/namespaces/default/configmaps/ssa-cm?fieldManager=second', { data: { b: '2' } }, { 'content-type': 'application/merge-patch+json' });
  t.same(kept.body.metadata.managedFields.map((e: any) => e.manager), ['second']);
});

t.test('more than ten updating managers are capped: the oldest fold into ancient-changes', async (t) => {
  const path = '/api/v1/namespaces/default/configmaps';
  t.equal((await call(A, 'POST', `${path}?fieldManager=creator`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'many' }, data: { base: '0' } })).status, 201);
  let last: any;
  for (let i = 0; i < 12; i++) {
    last = await call(A, 'PATCH', `${path}/many?fieldManager=writer-${String(i).padStart(2, '0')}`, { data: { [`k${i}`]: String(i) } }, { 'content-type': 'application/merge-patch+json' });
    t.equal(last.status, 200, last.text);
  }
  const entries = last.body.metadata.managedFields;
  t.equal(entries.filter((e: any) => e.operation === 'Update').length, 10, 'ten Update entries remain');
  const bucket = entries.find((e: any) => e.manager === 'ancient-changes');
  t.ok(bucket, 'an ancient-changes entry holds the oldest');
  t.same([bucket.operation, bucket.apiVersion], ['Update', 'v1']);
  // Every field is still owned by someone: nothing was dropped by folding.
  const owned = new Set(entries.flatMap((e: any) => Object.keys(e.fieldsV1['f:data'] ?? {})));
  t.same([...owned].sort(), ['f:base', ...Array.from({ length: 12 }, (_, i) => `f:k${i}`)].sort());
  const got = (await call(A, 'GET', `${path}/many`)).body;
  t.same(got.metadata.managedFields, entries, 'stored as answered');
  await call(A, 'DELETE', `${path}/many`);
});

t.test('status subresource apply is owned separately', async (t) => {
  const st = await apply(`${deployPath}/web/status`, 'ctrl', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nstatus:\n  replicas: 7\n  observedGeneration: 1\n');
  t.equal(st.status, 200, st.text);
  t.equal(st.body.status.replicas, 7);
  const e = owners(st.body)['ctrl/Apply/status'];
  t.same(e.fieldsV1, { 'f:status': { 'f:observedGeneration': {}, 'f:replicas': {} } });
  const got = (await call(A, 'GET', `${deployPath}/web`)).body;
  got.status.availableReplicas = 1;
  const put = await call(A, 'PUT', `${deployPath}/web/status?fieldManager=controller`, got);
  t.equal(put.status, 200, put.text);
  t.same(owners(put.body)['controller/Update/status'].fieldsV1, { 'f:status': { 'f:availableReplicas': {} } });
  t.ok(owners(put.body)['ctrl/Apply/status'], 'the status applier keeps what it owns');
  const missing = await apply(`${deployPath}/nope/status`, 'ctrl', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: nope}\nstatus: {replicas: 1}\n');
  t.equal(missing.status, 404, 'status apply does not create');
});

t.test('malformed applies are refused and write nothing', async (t) => {
  const before = (await call(A, 'GET', `${deployPath}/web`)).body.metadata.resourceVersion;
  const cases: [string, string | undefined, string, number][] = [
    ['no fieldManager', undefined, webYaml(1, '    app: web'), 422],
    ['no kind', 'x', 'apiVersion: apps/v1\nmetadata: {name: web}\n', 400],
    ['no apiVersion', 'x', 'kind: Deployment\nmetadata: {name: web}\n', 400],
    ['wrong kind', 'x', 'apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: web}\n', 400],
    ['wrong name', 'x', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: other}\n', 400],
    ['managedFields set', 'x', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, managedFields: [{manager: a}]}\n', 400],
    ['replicas is a string', 'x', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: three}\n', 400],
    ['unknown field under Strict', 'x', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {bogus: 1}\n', 400],
    ['invalid result', 'x', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: -1}\n', 422],
    ['two documents', 'x', 'a: 1\n---\nb: 2\n', 400],
  ];
  for (const [what, manager, body, code] of cases) {
    const r = await apply(`${deployPath}/web`, manager, body, manager === 'x' ? '&fieldValidation=Strict&force=true' : '');
    t.equal(r.status, code, `${what}: ${r.text.slice(0, 200)}`);
    t.equal(r.body?.kind, 'Status', what);
  }
  const force = await call(A, 'PATCH', `${deployPath}/web?force=true`, { metadata: { labels: { a: 'b' } } }, { 'content-type': 'application/merge-patch+json' });
  t.equal(force.status, 422, 'force is only for apply');
  t.equal((await call(A, 'GET', `${deployPath}/web`)).body.metadata.resourceVersion, before);
  const noNs = await apply('/api/v1/namespaces/nowhere/configmaps/c', 'x', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n');
  t.equal(noNs.status, 404, 'create by apply goes through namespace admission');
});

t.test('dry-run apply creates nothing', async (t) => {
  const r = await apply('/api/v1/namespaces/default/configmaps/dry', 'x', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dry}\ndata: {a: b}\n', '&dryRun=All');
  t.equal(r.status, 201, r.text);
  t.equal(r.body.metadata.managedFields[0].manager, 'x');
  t.equal((await call(A, 'GET', '/api/v1/namespaces/default/configmaps/dry')).status, 404);
});
