// Changing a Service's type, as kube-apiserver's Service strategy (dropTypeDependentFields)
// allows it: the fields the new type no longer uses are dropped when the update left them as
// they were, and the node ports and cluster IPs they held are released for other Services.
// Over HTTP against one API server on a real etcd, plus `kubectl patch` as users type it.

import t from 'tap';
import { startOneApiServer } from './support/one-api-server.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectlBinary } from '@kubets/testing';
import { call } from './support/http.js';
import { kubectlFor } from './support/kubectl.js';

const api = await startOneApiServer({ impl: 'etcd' });
const dir = await mkdtemp(join(tmpdir(), 'kubets-svc-type-'));
t.teardown(async () => {
  await rm(dir, { recursive: true, force: true });
});
const A = api.url;
const base = '/api/v1/namespaces/default/services';
const MERGE = { 'content-type': 'application/merge-patch+json' };
const STRATEGIC = { 'content-type': 'application/strategic-merge-patch+json' };

const service = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec } });

async function create(name: string, spec: Record<string, unknown>) {
  const r = await call(A, 'POST', base, service(name, spec));
  if (r.status !== 201) throw new Error(`creating ${name}: ${r.status} ${r.text}`);
  return r.body;
}

t.test('NodePort -> ClusterIP drops the node ports and releases them (upstream: 200, ports freed)', async (t) => {
  const np = await create('np', { type: 'NodePort', ports: [{ name: 'http', port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }] });
  const ports = np.spec.ports.map((p: any) => p.nodePort);
  t.ok(ports.every((p: number) => p >= 30000), 'node ports allocated');
  t.equal(np.spec.externalTrafficPolicy, 'Cluster');

  const patched = await call(A, 'PATCH', `${base}/np`, { spec: { type: 'ClusterIP' } }, STRATEGIC);
  t.equal(patched.status, 200, patched.text);
  t.equal(patched.body.spec.type, 'ClusterIP');
  t.same(patched.body.spec.ports.map((p: any) => p.nodePort), [undefined, undefined], 'no node ports left');
  t.equal(patched.body.spec.externalTrafficPolicy, undefined, 'externalTrafficPolicy goes with them');
  t.equal(patched.body.spec.clusterIP, np.spec.clusterIP, 'the cluster IP stays');

  for (const [i, nodePort] of ports.entries()) {
    const taker = await call(A, 'POST', base, service(`taker-${i}`, { type: 'NodePort', ports: [{ port: 80, nodePort }] }));
    t.equal(taker.status, 201, `node port ${nodePort} is free for another Service: ${taker.text}`);
  }
});

t.test('a type change that also sets new node ports keeps them, and validation refuses them (upstream: 422)', async (t) => {
  await create('np-new', { type: 'NodePort' });
  const r = await call(A, 'PATCH', `${base}/np-new`, { spec: { type: 'ClusterIP', ports: [{ port: 80, nodePort: 31999 }] } }, MERGE);
  t.equal(r.status, 422, r.text);
  t.match(r.body.message, /spec\.ports\[0\]\.nodePort: Forbidden: may not be used when `type` is 'ClusterIP'/);
});

t.test('ClusterIP -> ExternalName drops clusterIP, clusterIPs, ipFamilies and ipFamilyPolicy and releases the address', async (t) => {
  const ip = await create('ip', {});
  const ext = await call(A, 'PATCH', `${base}/ip`, { spec: { type: 'ExternalName', externalName: 'db.example.com' } }, MERGE);
  t.equal(ext.status, 200, ext.text);
  for (const f of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy']) t.equal(ext.body.spec[f], undefined, `${f} dropped`);
  t.equal(ext.body.spec.externalName, 'db.example.com');
  const reuse = await call(A, 'POST', base, service('ip-reuse', { clusterIP: ip.spec.clusterIP }));
  t.equal(reuse.status, 201, `the address ${ip.spec.clusterIP} is free again: ${reuse.text}`);

  const back = await call(A, 'PATCH', `${base}/ip`, { spec: { type: 'ClusterIP', externalName: null } }, MERGE);
  t.equal(back.status, 200, back.text);
  t.match(back.body.spec.clusterIP, /^10\./, 'back to ClusterIP: a new address');
  t.not(back.body.spec.clusterIP, ip.spec.clusterIP);
});

t.test('NodePort -> ExternalName drops the cluster IP and the node ports, and frees both', async (t) => {
  const np = await create('np-ext', { type: 'NodePort' });
  const r = await call(A, 'PATCH', `${base}/np-ext`, { spec: { type: 'ExternalName', externalName: 'x.example.com' } }, STRATEGIC);
  t.equal(r.status, 200, r.text);
  t.equal(r.body.spec.clusterIP, undefined);
  t.equal(r.body.spec.ports[0].nodePort, undefined);
  const taker = await call(A, 'POST', base, service('np-ext-taker', { type: 'NodePort', clusterIP: np.spec.clusterIP, ports: [{ port: 80, nodePort: np.spec.ports[0].nodePort }] }));
  t.equal(taker.status, 201, taker.text);
});

t.test('a headless Service becomes ExternalName: "None" is dropped too', async (t) => {
  await create('headless', { clusterIP: 'None' });
  const r = await call(A, 'PATCH', `${base}/headless`, { spec: { type: 'ExternalName', externalName: 'h.example.com' } }, MERGE);
  t.equal(r.status, 200, r.text);
  t.equal(r.body.spec.clusterIP, undefined);
  t.equal(r.body.spec.clusterIPs, undefined);
});

t.test('an ExternalName change that sets a clusterIP itself is refused (the client changed it: upstream 422)', async (t) => {
  await create('keep-ip', {});
  const r = await call(A, 'PATCH', `${base}/keep-ip`, { spec: { type: 'ExternalName', externalName: 'k.example.com', clusterIP: '10.96.0.99', clusterIPs: ['10.96.0.99'] } }, MERGE);
  t.equal(r.status, 422, r.text);
});

t.test('dry-run type change answers the new state and releases nothing', async (t) => {
  const np = await create('np-dry', { type: 'NodePort' });
  const dry = await call(A, 'PATCH', `${base}/np-dry?dryRun=All`, { spec: { type: 'ClusterIP' } }, STRATEGIC);
  t.equal(dry.status, 200, dry.text);
  t.equal(dry.body.spec.ports[0].nodePort, undefined);
  const taker = await call(A, 'POST', base, service('np-dry-taker', { type: 'NodePort', ports: [{ port: 80, nodePort: np.spec.ports[0].nodePort }] }));
  t.equal(taker.status, 422, 'the stored Service still holds its node port');
});

t.test('kubectl patch svc -p {"spec":{"type":"ClusterIP"}} on a NodePort Service', async (t) => {
  const kubectl = await kubectlFor(dir, A);
  const np = await create('np-kubectl', { type: 'NodePort' });
  const r = await kubectl(kubectlBinary(), ['patch', 'svc', 'np-kubectl', '-p', '{"spec":{"type":"ClusterIP"}}']);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, 'service/np-kubectl patched');
  const got = await call(A, 'GET', `${base}/np-kubectl`);
  t.equal(got.body.spec.type, 'ClusterIP');
  t.equal(got.body.spec.ports[0].nodePort, undefined);
  const taker = await call(A, 'POST', base, service('np-kubectl-taker', { type: 'NodePort', ports: [{ port: 80, nodePort: np.spec.ports[0].nodePort }] }));
  t.equal(taker.status, 201, taker.text);
});
