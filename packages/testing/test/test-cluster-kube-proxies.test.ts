// The test kit with kube-proxies: one per node on its own address, ready on /readyz, found by
// kubeProxyNode; the API server hands out the cluster's own loopback cluster IPs and node
// ports, on which the kube-proxies answer (a Service reaches a TCP server of the test through
// its cluster IP and through each node's node port); stop() leaves none of them running.
import { type AddressInfo, connect, createServer } from 'node:net';
import t from 'tap';
import type { Service } from '@kubets/api';
import { identityOf, stillRunning } from '@kubets/cli';
import { eventually, kubeProxyNode, startTestCluster } from '../src/index.js';

/** What the server at host:port sends before it closes, or the connection's error code. */
function replyFrom(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    let reply = '';
    const socket = connect(port, host);
    socket.on('data', (chunk: Buffer) => (reply += chunk.toString()));
    socket.on('end', () => resolve(reply));
    socket.on('error', (e: NodeJS.ErrnoException) => resolve(`error ${e.code}`));
  });
}

t.test('startTestCluster({ kubeProxies: 2 }): a kube-proxy per node, Services reachable on their cluster IP and node ports', async (t) => {
  const c = await startTestCluster({ members: 1, kubeProxies: 2, kubeProxyFlags: ['--min-sync-period=100ms'] });
  const pids = c.cluster.processes.map((p) => identityOf(p.proc.pid!));
  t.teardown(async () => {
    for (const id of pids) if (stillRunning(id)) process.kill(id.pid, 'SIGKILL');
  });
  const [one, two] = [kubeProxyNode(c, 1), kubeProxyNode(c, 2)];
  t.same([one.nodeName, one.address, two.nodeName, two.address], ['node-1', '127.0.1.1', 'node-2', '127.0.1.2']);
  t.equal(one.url, `http://127.0.1.1:${one.healthzPort}`);
  t.equal(one.process.pid, c.cluster.byName('kube-proxy-node-1')!.proc.pid);
  t.equal((await fetch(`${two.url}/readyz`)).status, 200, 'ready once it has synced');
  t.throws(() => kubeProxyNode(c, 3), RangeError);
  t.match(c.serviceClusterIpRange, /^127\.(1(29|[3-8]\d|9[01]))\.\d+\.0\/24$/);
  t.match(c.nodePortRange, /^\d{5}-\d{5}$/);

  // A proxy that stops resets the connections it still carries: the server must expect resets.
  const backend = createServer((s) => s.on('error', () => s.destroy()).end('hello\n'));
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise((resolve) => backend.close(resolve)));
  const port = (backend.address() as AddressInfo).port;
  const web = await c.client.create<Service>('services', 'default', {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' },
    spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: port }] },
  });
  await c.client.create('endpointslices', 'default', {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-1', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4', endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }], ports: [{ port, protocol: 'TCP' }],
  });
  const nodePort = web.spec!.ports![0]!.nodePort!;
  for (const [host, p] of [[web.spec!.clusterIP!, 80], ['127.0.1.1', nodePort], ['127.0.1.2', nodePort]] as const) {
    await eventually(async () => (await replyFrom(host, p)) === 'hello\n', `${host}:${p} reaches the Service's endpoint`, 30_000, 100);
  }

  await c.stop();
  t.same(pids.filter(stillRunning), [], 'no process of the cluster is left');
});
