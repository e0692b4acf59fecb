// kubets-kube-proxy as a process, against real API servers and etcd: two proxies (node-1 and
// node-2 of one host) make a NodePort Service reachable on its cluster IP and on each node's
// address; the cluster IP's standby takes over when its holder is SIGKILLed; a burst of endpoint
// changes costs a few syncs, not one each; /healthz and /metrics say what upstream's say.
import t from 'tap';
import type { EndpointSlice, Service } from '@kubets/api';
import { eventually, kubeProxyNode, startTestCluster, type TestCluster } from '@kubets/testing';
import { endpointServer, exchange, type EndpointServer } from './userspace-fixtures.js';

const sliceOf = (name: string, servers: EndpointServer[]): EndpointSlice => ({
  apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
  metadata: { namespace: 'default', name, labels: { 'kubernetes.io/service-name': 'web' } },
  addressType: 'IPv4',
  // One port per slice: each endpoint server listens on a port of its own.
  ports: [{ name: 'http', port: servers[0]!.port, protocol: 'TCP' }],
  endpoints: servers.map((s, i) => ({ addresses: [s.ip], conditions: { ready: true }, nodeName: `node-${i + 1}` })),
});

async function metricsOf(c: TestCluster, node: number): Promise<string> {
  return (await fetch(`${kubeProxyNode(c, node).url}/metrics`)).text();
}

function metric(text: string, pattern: RegExp): number {
  const m = text.match(pattern);
  return m === null ? 0 : Number(m[1]);
}

async function reaches(ip: string, port: number, want: string): Promise<boolean> {
  return (await exchange(ip, port)).from === want;
}

t.test('two kube-proxies on one host', async (t) => {
  const c = await startTestCluster({ members: 1, kubeProxies: 2 });
  t.teardown(() => c.stop());
  const [a, b] = await Promise.all([endpointServer('a'), endpointServer('b')]);
  t.teardown(() => Promise.all([a!.close(), b!.close()]));

  const svc = await c.client.create<Service>('services', 'default', {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' },
    spec: { type: 'NodePort', ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  });
  const clusterIP = svc.spec!.clusterIP!;
  const nodePort = svc.spec!.ports![0]!.nodePort!;
  await c.client.create('endpointslices', 'default', sliceOf('web-a', [a!]));
  await eventually(() => reaches(clusterIP, 80, 'a'), `the cluster IP ${clusterIP}:80 forwards`, 20_000, 50);

  t.test('the node port on each node\'s address', async (t) => {
    for (const node of [1, 2]) {
      const address = kubeProxyNode(c, node).address;
      await eventually(() => reaches(address, nodePort, 'a'), `node-${node}'s node port`, 20_000, 50);
      t.equal((await exchange(address, nodePort, 'hi')).data, 'a\nhi', `node-${node}`);
    }
  });

  t.test('/healthz as upstream, /metrics with the sync and per Service port figures', async (t) => {
    const res = await fetch(`${kubeProxyNode(c, 1).url}/healthz`);
    t.equal(res.status, 200);
    t.match(await res.json(), { lastUpdated: String, currentTime: String, nodeEligible: true });
    const text = await metricsOf(c, 1);
    t.match(text, /kubeproxy_sync_proxy_rules_last_timestamp_seconds \d/);
    t.match(text, /kubeproxy_userspace_connections_total\{service_port="default\/web:http"\} [1-9]/);
  });

  t.test('a burst of endpoint changes is applied in a few syncs', async (t) => {
    const syncsBefore = metric(await metricsOf(c, 1), /kubeproxy_sync_proxy_rules_duration_seconds_count (\d+)/);
    const updates = 300;
    let slice = await c.client.get<EndpointSlice>('endpointslices', 'default', 'web-a');
    for (let i = 0; i < updates; i++) {
      slice.metadata!.annotations = { 'kubets.test/round': String(i) };
      slice = await c.client.update<EndpointSlice>('endpointslices', 'default', slice);
    }
    await eventually(async () => metric(await metricsOf(c, 1), /kubeproxy_sync_proxy_rules_endpoint_changes_total (\d+)/) >= updates + 1, 'every change seen', 20_000, 50);
    await eventually(async () => metric(await metricsOf(c, 1), /kubeproxy_sync_proxy_rules_endpoint_changes_pending (\d+)/) === 0, 'every change applied', 20_000, 50);
    const syncs = metric(await metricsOf(c, 1), /kubeproxy_sync_proxy_rules_duration_seconds_count (\d+)/) - syncsBefore;
    t.ok(syncs >= 1 && syncs < updates / 10, `${updates} changes took ${syncs} syncs`);
  });

  t.test('endpoints replaced: new connections follow', async (t) => {
    await c.client.delete('endpointslices', 'default', 'web-a');
    await eventually(async () => (await exchange(clusterIP, 80)).ended === 'ECONNRESET', 'no endpoint: reset', 20_000, 50);
    await c.client.create('endpointslices', 'default', sliceOf('web-b', [b!]));
    await eventually(() => reaches(clusterIP, 80, 'b'), 'the new endpoint', 20_000, 50);
    t.equal((await exchange(clusterIP, 80, 'again')).data, 'b\nagain');
  });

  t.test('the standby takes the cluster IP over when its holder dies', async (t) => {
    // The proxy whose count of web's connections grows with one to the cluster IP holds it.
    const connections = async (node: number) => metric(await metricsOf(c, node), /kubeproxy_userspace_connections_total\{service_port="default\/web:http"\} (\d+)/);
    const before = [await connections(1), await connections(2)];
    t.ok(await reaches(clusterIP, 80, 'b'));
    const holder = (await connections(1)) > before[0]! ? 1 : 2;
    t.equal(await connections(3 - holder), before[2 - holder], 'the other proxy stands by');
    kubeProxyNode(c, holder).process.kill();
    await eventually(() => reaches(clusterIP, 80, 'b'), 'the cluster IP served again', 20_000, 50);
    t.ok((await connections(3 - holder)) > before[2 - holder]!, 'by the proxy that stood by');
  });
});
