// The Endpoints and EndpointSlice controllers against a real API server and etcd. The test plays
// the kubelet: it creates pods on a node and writes their status (podIP, Ready) itself.
import type { EndpointSlice, Endpoints, Pod, Service } from '@kubets/api';
import { isNotFound, type KubeClient } from '@kubets/client';
import { eventually, startTestCluster, type TestCluster } from '@kubets/testing';
import t from 'tap';
import { createControllerContext } from '../src/controller/context.js';
import type { Controller } from '../src/controller/controller.js';
import { EndpointsController } from '../src/controllers/endpoint/index.js';
import { EndpointSliceController, endpointSlicesResource } from '../src/controllers/endpointslice/index.js';

let c: TestCluster;
let client: KubeClient;

t.before(async () => {
  c = await startTestCluster({ members: 1 });
  client = c.client;
  await client.create('nodes', undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels: { 'topology.kubernetes.io/zone': 'zone-a' } } });
  const ctx = createControllerContext({ client });
  const controllers: Controller[] = [new EndpointsController(ctx), new EndpointSliceController(ctx)];
  ctx.informers.start();
  const running = controllers.map((ctl) => ctl.run());
  t.teardown(async () => {
    await Promise.all(controllers.map((ctl) => ctl.stop()));
    await Promise.all(running);
    await ctx.shutdown();
    await c.stop();
  });
});

async function createService(name: string, spec: Record<string, unknown> = {}): Promise<Service> {
  return client.create<Service>('services', 'default', {
    apiVersion: 'v1', kind: 'Service', metadata: { name },
    spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }], ...spec },
  });
}

async function createPod(name: string, app: string, ports: { name: string; containerPort: number }[] = []): Promise<Pod> {
  return client.create<Pod>('pods', 'default', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app } },
    spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'busybox', ports }] },
  });
}

/** What the kubelet would write: Running, an IP, Ready as told. */
async function setStatus(name: string, ip: string, ready: boolean): Promise<void> {
  const pod = await client.get<Pod>('pods', 'default', name);
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await client.updateStatus('pods', 'default', {
    ...pod,
    status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now }] },
  });
}

async function endpointsOf(name: string): Promise<Endpoints | undefined> {
  try {
    return await client.get<Endpoints>('endpoints', 'default', name);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

async function slicesOf(name: string): Promise<EndpointSlice[]> {
  return (await client.list<EndpointSlice>(endpointSlicesResource, 'default', { labelSelector: { 'kubernetes.io/service-name': name } })).items;
}

const ips = (ep: Endpoints | undefined, field: 'addresses' | 'notReadyAddresses') => (ep?.subsets ?? []).flatMap((s) => (s[field] ?? []).map((a) => a.ip)).sort();
const sliceEndpoints = (slices: EndpointSlice[]) => slices.flatMap((s) => s.endpoints ?? []);

t.test('Endpoints and EndpointSlices follow pods becoming ready, not ready and deleted', async (t) => {
  await createService('web');
  await eventually(async () => (await endpointsOf('web')) !== undefined && (await slicesOf('web')).length === 1, 'empty Endpoints and a placeholder slice');
  t.same((await slicesOf('web'))[0]!.endpoints ?? [], [], 'the placeholder has no endpoints');

  await createPod('web-a', 'web');
  await createPod('web-b', 'web');
  await setStatus('web-a', '127.10.0.1', true);
  await setStatus('web-b', '127.10.0.2', false);
  await eventually(async () => {
    const ep = await endpointsOf('web');
    return ips(ep, 'addresses').join() === '127.10.0.1' && ips(ep, 'notReadyAddresses').join() === '127.10.0.2';
  }, 'a ready, b not ready in the Endpoints');
  const ep = (await endpointsOf('web'))!;
  t.same(ep.subsets![0]!.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  t.same(ep.subsets![0]!.addresses![0]!.targetRef?.name, 'web-a');
  t.ok(ep.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'], 'trigger time annotation');
  await eventually(async () => sliceEndpoints(await slicesOf('web')).length === 2, 'two endpoints in the slices');
  const slices = await slicesOf('web');
  t.equal(slices.length, 1, 'the placeholder was filled, not joined by another slice');
  const byName = Object.fromEntries(sliceEndpoints(slices).map((e) => [e.targetRef?.name, e]));
  t.same(byName['web-a']!.conditions, { ready: true, serving: true, terminating: false });
  t.same(byName['web-b']!.conditions, { ready: false, serving: false, terminating: false });
  t.equal(byName['web-a']!.zone, 'zone-a');
  t.same(slices[0]!.metadata?.ownerReferences?.map((o) => [o.kind, o.name, o.controller, o.blockOwnerDeletion]), [['Service', 'web', true, true]]);

  await setStatus('web-b', '127.10.0.2', true);
  await setStatus('web-a', '127.10.0.1', false);
  await eventually(async () => ips(await endpointsOf('web'), 'addresses').join() === '127.10.0.2', 'b ready, a not');
  await eventually(async () => sliceEndpoints(await slicesOf('web')).find((e) => e.targetRef?.name === 'web-a')?.conditions?.ready === false, 'slice: a not ready');

  await client.delete('pods', 'default', 'web-b', { gracePeriodSeconds: 0 });
  await eventually(async () => ips(await endpointsOf('web'), 'addresses').length === 0, 'b gone from the Endpoints');
  await eventually(async () => sliceEndpoints(await slicesOf('web')).map((e) => e.targetRef?.name).join() === 'web-a', 'b gone from the slices');
});

t.test('a named targetPort is resolved per pod', async (t) => {
  await createService('named', { ports: [{ name: 'http', port: 80, targetPort: 'web' }] });
  await createPod('named-a', 'named', [{ name: 'web', containerPort: 8080 }]);
  await createPod('named-b', 'named', [{ name: 'web', containerPort: 9090 }]);
  await createPod('named-c', 'named', [{ name: 'other', containerPort: 7070 }]);
  await setStatus('named-a', '127.10.1.1', true);
  await setStatus('named-b', '127.10.1.2', true);
  await setStatus('named-c', '127.10.1.3', true);
  await eventually(async () => (await endpointsOf('named'))?.subsets?.length === 2, 'two subsets');
  const pairs = (await endpointsOf('named'))!.subsets!.map((s) => `${s.addresses!.map((a) => a.ip).join()}:${s.ports!.map((p) => p.port).join()}`).sort();
  t.same(pairs, ['127.10.1.1:8080', '127.10.1.2:9090'], 'each pod behind its own port; the pod without the port is left out');
  // As upstream: a pod without the port still has an endpoint, in a slice without ports.
  await eventually(async () => (await slicesOf('named')).length === 3, 'one slice per set of resolved ports');
  const slicePairs = (await slicesOf('named')).map((s) => `${s.endpoints!.map((e) => e.addresses![0]).join()}:${(s.ports ?? []).map((p) => p.port).join()}`).sort();
  t.same(slicePairs, ['127.10.1.1:8080', '127.10.1.2:9090', '127.10.1.3:']);
});

t.test('250 pods make 3 slices', async (t) => {
  await createService('many');
  const names = Array.from({ length: 250 }, (_, i) => `many-${i}`);
  for (let i = 0; i < names.length; i += 25) await Promise.all(names.slice(i, i + 25).map((n) => createPod(n, 'many')));
  for (let i = 0; i < names.length; i += 25) await Promise.all(names.slice(i, i + 25).map((n, j) => setStatus(n, `127.11.0.${i + j + 1}`, true)));
  await eventually(async () => sliceEndpoints(await slicesOf('many')).length === 250, '250 endpoints in slices', 30_000);
  t.same((await slicesOf('many')).map((s) => s.endpoints!.length).sort((a, b) => b - a), [100, 100, 50]);
  await eventually(async () => ips(await endpointsOf('many'), 'addresses').length === 250, '250 addresses in the Endpoints', 30_000);
});

t.test('nothing is written when nothing changed', async (t) => {
  const ep = (await endpointsOf('web'))!;
  const slices = await client.list<EndpointSlice>(endpointSlicesResource, 'default', { labelSelector: { 'kubernetes.io/service-name': 'web' } });
  const epWrites = await collectWrites<Endpoints>('endpoints', ep.metadata!.resourceVersion!, { fieldSelector: 'metadata.name=web' });
  const sliceWrites = await collectWrites<EndpointSlice>(endpointSlicesResource, slices.metadata!.resourceVersion!, { labelSelector: { 'kubernetes.io/service-name': 'web' } });
  // A pod change no endpoint shows, and a Service change that changes no endpoint...
  await client.patch('pods', 'default', 'web-a', { metadata: { annotations: { touched: 'yes' } } });
  await client.patch('services', 'default', 'web', { metadata: { annotations: { touched: 'yes' } } });
  // ...then one that does: the controllers handle a key's changes in order, so one write each.
  await setStatus('web-a', '127.10.0.1', true);
  await eventually(async () => ips(await endpointsOf('web'), 'addresses').join() === '127.10.0.1', 'a ready again');
  await eventually(async () => sliceEndpoints(await slicesOf('web')).every((e) => e.conditions?.ready === true), 'slice: a ready again');
  await eventually(() => epWrites.count() > 0 && sliceWrites.count() > 0, 'the watches saw the writes');
  t.same(epWrites.stop(), ['MODIFIED'], 'the Endpoints written once');
  t.same(sliceWrites.stop(), ['MODIFIED'], 'one slice written once');
});

/** The types of the events of a watch from resourceVersion on, until stop(). */
async function collectWrites<T>(resource: Parameters<KubeClient['watch']>[0], resourceVersion: string, sel: { fieldSelector?: string; labelSelector?: Record<string, string> }) {
  const w = await client.watch<T>(resource, 'default', { resourceVersion, ...sel });
  const seen: string[] = [];
  const done = (async () => {
    for await (const ev of w) if (ev.type !== 'BOOKMARK') seen.push(ev.type);
  })();
  return {
    count: () => seen.length,
    stop(): string[] {
      w.stop();
      done.catch((e: unknown) => t.fail(`watch: ${String(e)}`));
      return [...seen];
    },
  };
}

t.test('a pod being deleted leaves the Endpoints and shows as terminating in its slice', async (t) => {
  await client.delete('pods', 'default', 'web-a'); // graceful: the pod stays until its kubelet is done
  await eventually(async () => ips(await endpointsOf('web'), 'addresses').length === 0 && ips(await endpointsOf('web'), 'notReadyAddresses').length === 0, 'a gone from the Endpoints');
  await eventually(async () => sliceEndpoints(await slicesOf('web')).some((e) => e.conditions?.terminating === true), 'a terminating in the slice');
  t.same(sliceEndpoints(await slicesOf('web'))[0]!.conditions, { ready: false, serving: true, terminating: true });
});

t.test('a Service deleted takes its Endpoints and EndpointSlices with it', async (t) => {
  await client.delete('services', 'default', 'named');
  await eventually(async () => (await endpointsOf('named')) === undefined, 'Endpoints deleted');
  await eventually(async () => (await slicesOf('named')).length === 0, 'slices deleted');
  t.pass();
});

t.test('a Service without a selector is left alone', async (t) => {
  await client.create('services', 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'manual' }, spec: { ports: [{ port: 80 }] } });
  await client.create('endpoints', 'default', { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'manual' }, subsets: [{ addresses: [{ ip: '127.12.0.1' }], ports: [{ port: 80 }] }] });
  await createService('marker2', { selector: { app: 'marker2' } });
  await eventually(async () => (await slicesOf('marker2')).length === 1, 'marker synced');
  t.same(ips(await endpointsOf('manual'), 'addresses'), ['127.12.0.1'], 'the user\'s Endpoints stay');
  t.same(await slicesOf('manual'), [], 'no slices');
});
