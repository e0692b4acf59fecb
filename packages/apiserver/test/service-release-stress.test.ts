// The ports and addresses a Service update frees are free as soon as the update is answered:
// the NodePort -> ClusterIP -> take-the-port cycle, and ClusterIP -> ExternalName -> take-the-address,
// repeated, on one API server and across two on one etcd (the update on one, the taker on the other).
// STRESS_ROUNDS sets the rounds per case (10).

import t, { type Test } from 'tap';
import { startEtcdCluster } from './support/etcd-cluster.js';
import { startApiServerProcess } from './support/apiserver-process.js';
import { call } from './support/http.js';

const etcd = await startEtcdCluster({ impl: 'etcd' });
const [a, b] = await Promise.all([startApiServerProcess(etcd.endpoints), startApiServerProcess(etcd.endpoints)]);
t.teardown(async () => {
  await Promise.all([a!.stop(), b!.stop()]);
  await etcd.stop();
});
const base = '/api/v1/namespaces/default/services';
const STRATEGIC = { 'content-type': 'application/strategic-merge-patch+json' };
const ROUNDS = Number(process.env.STRESS_ROUNDS ?? 10);

const service = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec } });

async function expectStatus(t: Test, url: string, method: string, path: string, body: unknown, status: number, headers?: Record<string, string>) {
  const r = await call(url, method, path, body, headers);
  if (r.status !== status) t.fail(`${method} ${path}: ${r.status}, wanted ${status}: ${r.text}`);
  return r;
}

async function nodePortCycle(t: Test, updater: string, taker: string, round: number) {
  const np = await expectStatus(t, updater, 'POST', base, service(`np-${round}`, { type: 'NodePort', ports: [{ name: 'http', port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }] }), 201);
  const ports: number[] = np.body.spec.ports.map((p: { nodePort: number }) => p.nodePort);
  t.not(ports[0], ports[1], `round ${round}: two ports, two node ports`);
  await expectStatus(t, updater, 'PATCH', `${base}/np-${round}`, { spec: { type: 'ClusterIP' } }, 200, STRATEGIC);
  const takers = await Promise.all(ports.map((nodePort, i) => call(taker, 'POST', base, service(`take-${round}-${i}`, { type: 'NodePort', ports: [{ port: 80, nodePort }] }))));
  for (const [i, r] of takers.entries()) t.equal(r.status, 201, `round ${round}: node port ${ports[i]} is free`, { answer: r.text });
  await Promise.all([`np-${round}`, ...ports.map((_, i) => `take-${round}-${i}`)].map((n) => call(updater, 'DELETE', `${base}/${n}`)));
}

async function addressCycle(t: Test, updater: string, taker: string, round: number) {
  const ip = await expectStatus(t, updater, 'POST', base, service(`ip-${round}`, {}), 201);
  await expectStatus(t, updater, 'PATCH', `${base}/ip-${round}`, { spec: { type: 'ExternalName', externalName: 'db.example.com' } }, 200, { 'content-type': 'application/merge-patch+json' });
  const reuse = await call(taker, 'POST', base, service(`ip-reuse-${round}`, { clusterIP: ip.body.spec.clusterIP }));
  t.equal(reuse.status, 201, `round ${round}: the address ${ip.body.spec.clusterIP} is free`, { answer: reuse.text });
  await Promise.all([`ip-${round}`, `ip-reuse-${round}`].map((n) => call(updater, 'DELETE', `${base}/${n}`)));
}

t.test('one API server', async (t) => {
  for (let i = 0; i < ROUNDS; i++) {
    await nodePortCycle(t, a!.url, a!.url, i);
    await addressCycle(t, a!.url, a!.url, i);
  }
});

t.test('two API servers: the update on one, the taker on the other', async (t) => {
  for (let i = 0; i < ROUNDS; i++) {
    await nodePortCycle(t, a!.url, b!.url, 1000 + i);
    await addressCycle(t, b!.url, a!.url, 1000 + i);
  }
});
