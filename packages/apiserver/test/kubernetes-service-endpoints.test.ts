// The `kubernetes` Service's endpoints across API server processes, as upstream's lease endpoint
// reconciler keeps them: every live server is in the Endpoints and the EndpointSlice (servers on
// one host, as here, differ by port: one subset and one slice per port); a server stopped cleanly
// (SIGTERM) takes itself out before it exits, and a SIGKILLed one drops out once its master lease
// (TTL 15 s) has run out and a survivor reconciles (every 10 s).

import t from 'tap';
import { startTestCluster } from '@kubets/testing';
import { call } from './support/http.js';

const cluster = await startTestCluster({ apiservers: 3 });
t.teardown(() => cluster.stop());
const servers = cluster.cluster.processes.filter((p) => p.role === 'apiserver');
const portOf = (url: string) => Number(new URL(url).port);
const ports = servers.map((s) => portOf(s.url));
const survivor = servers[0]!.url;

/** The (address, port) pairs the Endpoints and the slices name, sorted, as one string each. */
async function listed(): Promise<{ endpoints: string[]; slices: string[] }> {
  const ep = (await call(survivor, 'GET', '/api/v1/namespaces/default/endpoints/kubernetes')).body;
  const endpoints = (ep?.subsets ?? []).flatMap((s: any) => s.addresses.map((a: any) => `${a.ip}:${s.ports[0].port}`)).sort();
  const list = (await call(survivor, 'GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io/service-name=kubernetes')).body;
  const slices = (list?.items ?? []).flatMap((s: any) => s.endpoints.map((e: any) => `${e.addresses[0]}:${s.ports[0].port}`)).sort();
  return { endpoints, slices };
}

/** Polls until the Endpoints and the slices both list exactly these ports on 127.0.0.1. */
async function waitForListed(wanted: number[], timeoutMs: number): Promise<number> {
  const expected = wanted.map((p) => `127.0.0.1:${p}`).sort();
  const started = Date.now();
  let last: unknown;
  while (Date.now() - started < timeoutMs) {
    last = await listed();
    const { endpoints, slices } = last as { endpoints: string[]; slices: string[] };
    if (JSON.stringify(endpoints) === JSON.stringify(expected) && JSON.stringify(slices) === JSON.stringify(expected)) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${expected.join(', ')}; listed ${JSON.stringify(last)}`);
}

t.test('every live API server is in the kubernetes Endpoints and EndpointSlices, on the port named https', async (t) => {
  await waitForListed(ports, 15_000);
  const ep = (await call(survivor, 'GET', '/api/v1/namespaces/default/endpoints/kubernetes')).body;
  t.equal(ep.metadata.labels['endpointslice.kubernetes.io/skip-mirror'], 'true');
  t.same(ep.subsets[0].ports, [{ name: 'https', port: Math.min(...ports), protocol: 'TCP' }]);
  const slice = (await call(survivor, 'GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes')).body;
  t.same(slice.metadata.labels, { 'kubernetes.io/service-name': 'kubernetes' });
  t.equal(slice.addressType, 'IPv4');
  t.same(slice.endpoints, [{ addresses: ['127.0.0.1'], conditions: { ready: true } }]);
  t.ok(slice.metadata.generation >= 1, 'generation tracked');
  t.equal(ep.metadata.managedFields[0].manager, 'kube-apiserver');
});

t.test('a server stopped with SIGTERM takes itself out before it exits', async (t) => {
  await servers[2]!.proc.stop();
  // At once, not after its lease's 15 s: the read right after its exit already leaves it out.
  const { endpoints } = await listed();
  t.notOk(endpoints.includes(`127.0.0.1:${ports[2]}`), `gone on exit: ${endpoints.join(', ')}`);
  await waitForListed(ports.slice(0, 2), 5_000);
});

t.test('a SIGKILLed server drops out once its lease has run out', async (t) => {
  await servers[1]!.proc.kill('SIGKILL');
  // The lease lasts up to 15 s after its last refresh, and the survivor reconciles every 10 s.
  const took = await waitForListed(ports.slice(0, 1), 40_000);
  t.pass(`dropped out after ${took} ms`);
});
