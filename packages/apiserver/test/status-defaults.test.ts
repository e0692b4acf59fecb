// Every served kind with a status, created without one, as `kubectl apply` creates it: the
// server stores upstream's zero status (fields without omitempty written: ReplicaSet's
// `replicas: 0`, Node's daemonEndpoints and nodeInfo), and every later write of the main
// resource (label, merge, strategic and JSON patch, a PUT of the object as read, server-side
// apply twice) succeeds and keeps the stored status; only /status changes it.

import t from 'tap';
import { startOneApiServer } from './support/one-api-server.js';
import { call } from './support/http.js';

const api = await startOneApiServer({ impl: 'etcd', members: 1 });
const A = api.url;

const template = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'nginx:1' }] },
};
const emptyNodeInfo = {
  machineID: '', systemUUID: '', bootID: '', kernelVersion: '', osImage: '', containerRuntimeVersion: '',
  kubeletVersion: '', kubeProxyVersion: '', operatingSystem: '', architecture: '',
};

interface Case {
  kind: string;
  apiVersion: string;
  collection: string;
  body: Record<string, unknown>;
  /** What kube-apiserver stores as the status of such an object. */
  status: Record<string, unknown>;
  /** A status the /status subresource may write, and what is stored after it. */
  newStatus: Record<string, unknown>;
  storedNewStatus?: Record<string, unknown>;
}

const cases: Case[] = [
  {
    kind: 'ReplicaSet', apiVersion: 'apps/v1', collection: '/apis/apps/v1/namespaces/default/replicasets',
    body: { spec: { replicas: 0, selector: { matchLabels: { app: 'web' } }, template } },
    status: { replicas: 0 },
    newStatus: { readyReplicas: 0 },
    storedNewStatus: { replicas: 0, readyReplicas: 0 },
  },
  {
    kind: 'Deployment', apiVersion: 'apps/v1', collection: '/apis/apps/v1/namespaces/default/deployments',
    body: { spec: { replicas: 0, selector: { matchLabels: { app: 'web' } }, template } },
    status: {},
    newStatus: { replicas: 0, observedGeneration: 1 },
    storedNewStatus: { observedGeneration: 1, replicas: 0 },
  },
  {
    kind: 'Pod', apiVersion: 'v1', collection: '/api/v1/namespaces/default/pods',
    body: { spec: template.spec },
    status: { phase: 'Pending', qosClass: 'BestEffort' },
    newStatus: { phase: 'Pending', qosClass: 'BestEffort', message: 'waiting' },
  },
  {
    kind: 'Service', apiVersion: 'v1', collection: '/api/v1/namespaces/default/services',
    body: { spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
    status: { loadBalancer: {} },
    newStatus: { loadBalancer: { ingress: [{ ip: '192.0.2.1' }] } },
  },
  {
    kind: 'Namespace', apiVersion: 'v1', collection: '/api/v1/namespaces',
    body: {},
    status: { phase: 'Active' },
    newStatus: { phase: 'Active', conditions: [{ type: 'Example', status: 'False' }] },
  },
  {
    kind: 'Node', apiVersion: 'v1', collection: '/api/v1/nodes',
    body: {},
    status: { daemonEndpoints: { kubeletEndpoint: { Port: 0 } }, nodeInfo: emptyNodeInfo },
    newStatus: { daemonEndpoints: { kubeletEndpoint: { Port: 10250 } } },
    storedNewStatus: { daemonEndpoints: { kubeletEndpoint: { Port: 10250 } }, nodeInfo: emptyNodeInfo },
  },
];

const APPLY = { 'content-type': 'application/apply-patch+yaml' };
const MERGE = { 'content-type': 'application/merge-patch+json' };
const STRATEGIC = { 'content-type': 'application/strategic-merge-patch+json' };
const JSON_PATCH = { 'content-type': 'application/json-patch+json' };

for (const c of cases) {
  t.test(`${c.kind} created without status: upstream's zero status, and every write of it succeeds`, async (t) => {
    const name = `no-status-${c.kind.toLowerCase()}`;
    const path = `${c.collection}/${name}`;
    const created = await call(A, 'POST', c.collection, { apiVersion: c.apiVersion, kind: c.kind, metadata: { name }, ...c.body });
    t.equal(created.status, 201, created.text);
    t.same(created.body.status, c.status, 'the status kube-apiserver stores');
    t.strictSame((await call(A, 'GET', path)).body.status, c.status, 'read back the same');

    const writes: [string, string, unknown, Record<string, string>][] = [
      ['label (merge patch of metadata)', 'PATCH', { metadata: { labels: { tier: 'front' } } }, MERGE],
      ['merge patch', 'PATCH', { metadata: { annotations: { note: 'merge' } }, status: { bogus: 'ignored' } }, MERGE],
      ['strategic merge patch', 'PATCH', { metadata: { annotations: { note: 'strategic' } } }, STRATEGIC],
      ['JSON patch', 'PATCH', [{ op: 'add', path: '/metadata/annotations/json', value: 'yes' }], JSON_PATCH],
    ];
    for (const [what, method, body, headers] of writes) {
      const r = await call(A, method, path, body, headers);
      t.equal(r.status, 200, `${what}: ${r.text}`);
      t.same(r.body.status, c.status, `${what} keeps the stored status`);
    }
    const read = await call(A, 'GET', path);
    const put = await call(A, 'PUT', path, read.body);
    t.equal(put.status, 200, `PUT of the object as read: ${put.text}`);
    t.same(put.body.status, c.status);

    const changed = structuredClone(put.body);
    changed.status = c.newStatus;
    const ignored = await call(A, 'PUT', path, changed);
    t.equal(ignored.status, 200, ignored.text);
    t.same(ignored.body.status, c.status, 'a status in an update of the main resource is ignored');

    const manifest = JSON.stringify({ apiVersion: c.apiVersion, kind: c.kind, metadata: { name, labels: { applied: 'yes' } }, ...c.body });
    for (const round of ['first', 'second']) {
      const applied = await call(A, 'PATCH', `${path}?fieldManager=kubectl`, manifest, APPLY);
      t.equal(applied.status, 200, `${round} server-side apply: ${applied.text}`);
      t.same(applied.body.status, c.status);
    }

    const current = (await call(A, 'GET', path)).body;
    const statusWrite = await call(A, 'PUT', `${path}/status`, { ...current, status: c.newStatus });
    t.equal(statusWrite.status, 200, `status subresource: ${statusWrite.text}`);
    t.same(statusWrite.body.status, c.storedNewStatus ?? c.newStatus, 'only /status changes the status');
  });
}

t.test('a ReplicaSet status written without replicas is stored with replicas: 0 (no omitempty upstream)', async (t) => {
  const path = '/apis/apps/v1/namespaces/default/replicasets/no-status-replicaset';
  const r = await call(A, 'PATCH', `${path}/status`, { status: { replicas: null, readyReplicas: null } }, MERGE);
  t.equal(r.status, 200, r.text);
  t.strictSame(r.body.status, { replicas: 0 });
});

t.test('defaults stored as upstream stores them: zero minReadySeconds omitted, resources: {} in pods and templates', async (t) => {
  const deploy = await call(A, 'POST', '/apis/apps/v1/namespaces/default/deployments', {
    metadata: { name: 'zero-ready' },
    spec: { minReadySeconds: 0, selector: { matchLabels: { app: 'web' } }, template },
  });
  t.equal(deploy.status, 201, deploy.text);
  t.notOk('minReadySeconds' in deploy.body.spec, 'an int32 with omitempty: zero is not written');
  t.same(deploy.body.spec.template.spec.containers[0].resources, {}, 'resources is a struct: written even empty');
  const rs = await call(A, 'POST', '/apis/apps/v1/namespaces/default/replicasets', {
    metadata: { name: 'zero-ready' },
    spec: { selector: { matchLabels: { app: 'web' } }, template },
  });
  t.equal(rs.status, 201, rs.text);
  t.notOk('minReadySeconds' in rs.body.spec);
  t.same(rs.body.spec.template.spec.containers[0].resources, {});
  const pod = await call(A, 'POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'zero-ready' }, spec: template.spec });
  t.equal(pod.status, 201, pod.text);
  t.same(pod.body.spec.containers[0].resources, {});
  const slow = await call(A, 'PATCH', '/apis/apps/v1/namespaces/default/deployments/zero-ready', { spec: { minReadySeconds: 5 } }, MERGE);
  t.equal(slow.body.spec.minReadySeconds, 5, 'a non-zero value is kept');
});
