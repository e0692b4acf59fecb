// The nodes of `kubets up` and the test kit, planned without starting anything: their names and
// addresses, each kubelet's and kube-proxy's command line (the contracts with kubets-kubelet and
// kubets-kube-proxy), and where they sit in a LocalCluster (the kubelets after the controllers,
// the kube-proxies after the kubelets: they start last and stop first).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { LocalCluster } from '../src/cluster/local-cluster.js';
import { maxNodes, nodeAddress, NodeCountError, plannedKubelets, plannedKubeProxies } from '../src/cluster/nodes.js';
import { kubetsProfile, podCidr, serviceClusterIpRange } from '../src/cluster/profile.js';
import { startRank } from '../src/cluster/roles.js';
import { kubeletArgs, kubeletSpec } from '../src/launch/kubelet.js';
import { kubeProxyArgs, kubeProxySpec, kubeProxyUrl } from '../src/launch/kube-proxy.js';
import type { ClusterPlan } from '../src/cluster/plan.js';

t.test('node i lives on 127.0.1.i, then on the next /24, never on .0 or .255', async (t) => {
  t.equal(nodeAddress(1), '127.0.1.1');
  t.equal(nodeAddress(2), '127.0.1.2');
  t.equal(nodeAddress(254), '127.0.1.254');
  t.equal(nodeAddress(255), '127.0.2.1');
  t.equal(nodeAddress(maxNodes), '127.0.63.254');
  for (const bad of [0, -1, 1.5, maxNodes + 1]) t.throws(() => nodeAddress(bad), NodeCountError, `node ${bad} has no address`);
});

t.test('plannedKubelets: node-1.. with its address, port and root dir under the data dir', async (t) => {
  const planned = plannedKubelets('/data', 2, [10250, 10250]);
  t.same(planned, [
    { name: 'kubelet-node-1', nodeName: 'node-1', address: '127.0.1.1', port: 10250, rootDir: '/data/kubelet-node-1' },
    { name: 'kubelet-node-2', nodeName: 'node-2', address: '127.0.1.2', port: 10250, rootDir: '/data/kubelet-node-2' },
  ]);
  t.same(plannedKubelets('/data', 0, []), [], '--nodes 0: none');
  t.same(plannedKubelets('/data', 1, [4000], ['127.65.3.0/24'])[0]!.podCidr, '127.65.3.0/24', 'a --pod-cidr when given one');
  t.throws(() => plannedKubelets('/data', 2, [10250]), NodeCountError, 'every node needs a port');
  t.throws(() => plannedKubelets('/data', maxNodes + 1, []), NodeCountError);
});

t.test("the kubelet's command line: its node, kubeconfig, root dir and address, then the caller's flags", async (t) => {
  const [k] = plannedKubelets('/data', 1, [10250]);
  t.same(kubeletArgs(k!, '/data/kubeconfig'), [
    '--kubeconfig=/data/kubeconfig', '--node-name=node-1', '--root-dir=/data/kubelet-node-1',
    '--node-ip=127.0.1.1', '--address=127.0.1.1', '--port=10250',
  ]);
  t.notOk(kubeletArgs(k!, '/k').some((a) => a.startsWith('--pod-cidr')), 'no --pod-cidr: the controller manager allocates one');
  const [withCidr] = plannedKubelets('/data', 1, [4000], ['127.65.3.0/24']);
  t.ok(kubeletArgs(withCidr!, '/k').includes('--pod-cidr=127.65.3.0/24'));
  const spec = kubeletSpec({ kubelet: k!, kubeconfig: '/data/kubeconfig', flags: kubetsProfile.kubelet, nodeArgs: ['--cpu-prof'] });
  t.equal(spec.name, 'kubelet-node-1');
  t.equal(spec.command, process.execPath);
  t.equal(spec.args[0], '--cpu-prof', 'node flags first');
  t.match(spec.args[1], /packages\/kubelet\/dist\/(bundle\/main\.mjs|src\/main\.js)$/, "then the kubelet's program");
  t.same(spec.args.slice(-2), ['--node-lease-renew-interval=1s', '--node-status-update-frequency=1s'], "the kubets profile's flags last");
  t.equal(spec.env?.KUBETS_PROCESS_NAME, 'kubelet-node-1');
});

t.test('in a LocalCluster the kubelets come after the controllers, serving on their node addresses, with their root dirs', async (t) => {
  const plan: ClusterPlan = {
    name: 'plan', dataDir: '/data', token: 't',
    etcd: { mode: 'external', members: [], servers: ['http://127.0.0.1:2379'] },
    apiservers: [{ name: 'apiserver-0', port: 6443 }],
    controllerManagers: [{ name: 'controller-manager-0', port: 10257 }],
    kubelets: plannedKubelets('/data', 2, [10250, 10251]),
  };
  const cluster = new LocalCluster(plan, { logs: 'memory' });
  t.same(cluster.processes.map((p) => [p.role, p.proc.spec.name]), [
    ['apiserver', 'apiserver-0'], ['controller-manager', 'controller-manager-0'], ['kubelet', 'kubelet-node-1'], ['kubelet', 'kubelet-node-2'],
  ]);
  const kubelet = cluster.byName('kubelet-node-2')!;
  t.equal(kubelet.url, 'http://127.0.1.2:10251');
  t.equal(kubelet.rootDir, '/data/kubelet-node-2');
  t.equal(cluster.byName('apiserver-0')!.rootDir, undefined, 'only kubelets have root dirs to reset');
});

t.test('plannedKubeProxies: kube-proxy-node-i on the node address, with its health port', async (t) => {
  t.same(plannedKubeProxies(2, [10256, 10256]), [
    { name: 'kube-proxy-node-1', nodeName: 'node-1', address: '127.0.1.1', healthzPort: 10256 },
    { name: 'kube-proxy-node-2', nodeName: 'node-2', address: '127.0.1.2', healthzPort: 10256 },
  ]);
  t.same(plannedKubeProxies(0, []), [], 'none');
  t.throws(() => plannedKubeProxies(2, [10256]), NodeCountError, 'every node needs a health port');
  t.throws(() => plannedKubeProxies(maxNodes + 1, []), NodeCountError);
});

t.test("the kube-proxy's command line: kubeconfig, its node, its address for node ports and health, then the caller's flags", async (t) => {
  const [p] = plannedKubeProxies(1, [10256]);
  t.same(kubeProxyArgs(p!, '/data/kubeconfig'), [
    '--kubeconfig=/data/kubeconfig', '--hostname-override=node-1', '--bind-address=127.0.1.1', '--healthz-bind-address=127.0.1.1:10256',
  ]);
  t.equal(kubeProxyUrl(p!), 'http://127.0.1.1:10256');
  const spec = kubeProxySpec({ kubeProxy: p!, kubeconfig: '/data/kubeconfig', flags: ['--sync-period=5s'], nodeArgs: ['--cpu-prof'] });
  t.equal(spec.name, 'kube-proxy-node-1');
  t.equal(spec.command, process.execPath);
  t.equal(spec.args[0], '--cpu-prof', 'node flags first');
  t.match(spec.args[1], /packages\/kube-proxy\/dist\/(bundle\/main\.mjs|src\/main\.js)$/, "then the kube-proxy's program");
  t.same(spec.args.slice(2, 6), kubeProxyArgs(p!, '/data/kubeconfig'));
  t.equal(spec.args.at(-1), '--sync-period=5s', "the caller's flags last");
  t.equal(spec.env?.KUBETS_PROCESS_NAME, 'kube-proxy-node-1');
});

t.test("the kube-proxy is ready when /readyz on its health address answers 200, and not before", async (t) => {
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/readyz' && synced ? 200 : 503).end();
  });
  let synced = false;
  await new Promise<void>((resolve) => server.listen(0, '127.0.1.1', resolve));
  t.teardown(() => new Promise((resolve) => server.close(resolve)));
  const [p] = plannedKubeProxies(1, [(server.address() as AddressInfo).port]);
  const spec = kubeProxySpec({ kubeProxy: p!, kubeconfig: '/k' });
  t.equal(await spec.ready!(), false, '503 before its first sync');
  synced = true;
  t.equal(await spec.ready!(), true, '200 once synced');
});

t.test('in a LocalCluster the kube-proxies are the last tier: started last, stopped first, probed on their node addresses', async (t) => {
  const plan: ClusterPlan = {
    name: 'plan', dataDir: '/data', token: 't',
    etcd: { mode: 'external', members: [], servers: ['http://127.0.0.1:2379'] },
    apiservers: [{ name: 'apiserver-0', port: 6443 }],
    kubelets: plannedKubelets('/data', 1, [10250]),
    kubeProxies: plannedKubeProxies(2, [10256, 10257]),
  };
  const cluster = new LocalCluster(plan, { logs: 'memory', kubeProxyFlags: ['--sync-period=5s'], kubeProxyNodeArgs: ['--cpu-prof'] });
  t.same(cluster.processes.map((p) => [p.role, p.proc.spec.name]), [
    ['apiserver', 'apiserver-0'], ['kubelet', 'kubelet-node-1'], ['kube-proxy', 'kube-proxy-node-1'], ['kube-proxy', 'kube-proxy-node-2'],
  ]);
  t.ok(startRank('kube-proxy') > startRank('kubelet'), 'a tier after the kubelets');
  const proxy = cluster.byName('kube-proxy-node-2')!;
  t.equal(proxy.url, 'http://127.0.1.2:10257');
  t.equal(proxy.rootDir, undefined, 'no root dir to reset');
  t.equal(proxy.proc.spec.args[0], '--cpu-prof');
  t.equal(proxy.proc.spec.args.at(-1), '--sync-period=5s');
  t.ok(proxy.proc.spec.args.includes('--kubeconfig=/data/kubeconfig'), "the cluster's kubeconfig");
});

t.test("the kubets profile: Service cluster IPs from a loopback range clear of the pods' and the nodes'", async (t) => {
  t.equal(serviceClusterIpRange, '127.128.0.0/16');
  t.ok(kubetsProfile.apiserver.includes('--service-cluster-ip-range=127.128.0.0/16'));
  t.equal(podCidr.cluster, '127.64.0.0/10', 'the pods end at 127.127.255.255, just below');
  t.same(kubetsProfile.kubeProxy, [], "the kube-proxy keeps upstream's defaults");
});
