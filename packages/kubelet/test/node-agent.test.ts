// The node agent against a real API server: registration, the Lease and its renewals, status
// written only on change or after the report frequency, re-registration that keeps the podCIDR
// the controller manager allocated, and riding out a stopped API server.
import type { Lease, Node } from '@kubets/api';
import type { KubeClient } from '@kubets/client';
import { eventually, startTestCluster, type TestCluster } from '@kubets/testing';
import t from 'tap';
import { NodeAgent, type NodeAgentOptions } from '../src/node/node-agent.js';
import type { MachineInfo } from '../src/node/types.js';

const silent = { info() {}, warn() {}, error() {} };
const machine: MachineInfo = {
  cpuCores: 2, memoryBytes: 4 * 1024 ** 3, ephemeralStorageBytes: 10 * 1024 ** 3, machineID: 'm', systemUUID: 's', bootID: 'b',
  kernelVersion: '6.1.0', osImage: 'Test OS', operatingSystem: 'linux', architecture: 'amd64',
};

let cluster: TestCluster;
t.before(async () => {
  cluster = await startTestCluster({ members: 1 });
});
t.teardown(() => cluster?.stop());
const client = (): KubeClient => cluster.client;

function agent(t: { teardown(fn: () => unknown): void }, name: string, extra: Partial<NodeAgentOptions> = {}): NodeAgent {
  const a = new NodeAgent({
    client: client(), nodeName: name, logger: silent, nodeIP: '127.0.5.1', port: 10250, runtimeVersion: 'kubets-process://0.1.0', machine,
    leaseRenewIntervalMs: 200, statusUpdateFrequencyMs: 50, statusReportFrequencyMs: 60_000, ...extra,
  });
  t.teardown(() => a.stop());
  return a;
}

const getNode = (name: string) => client().get<Node>('nodes', undefined, name);
const getLease = (name: string) => client().get<Lease>('leases.coordination.k8s.io', 'kube-node-lease', name);
const exists = (p: Promise<unknown>) => p.then(() => true, () => false);
const ready = (n: Node) => n.status?.conditions?.find((c) => c.type === 'Ready');

/** Counts the writes to one Node, as a watch sees them. */
async function countWrites(t: { teardown(fn: () => unknown): void }, name: string): Promise<{ nodes: Node[] }> {
  const start = await getNode(name);
  const w = await client().watch<Node>('nodes', undefined, { fieldSelector: { 'metadata.name': name }, resourceVersion: start.metadata?.resourceVersion });
  t.teardown(() => w.stop());
  const seen = { nodes: [] as Node[] };
  void (async () => {
    for await (const ev of w) if (ev.type === 'MODIFIED') seen.nodes.push(ev.object);
  })().catch((e: unknown) => t.teardown(() => { throw e; }));
  return seen;
}

t.test('registers the Node and keeps its Lease renewed, owned by the Node', async (t) => {
  const a = agent(t, 'reg-1', { labels: { tier: 'edge' }, taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }], systemReserved: { cpu: '500m' } });
  await a.start();
  await eventually(() => exists(getNode('reg-1')), 'the Node', 10_000, 20);
  const node = await getNode('reg-1');
  t.equal(node.metadata?.labels?.['kubernetes.io/hostname'], 'reg-1');
  t.equal(node.metadata?.labels?.tier, 'edge');
  t.same(node.spec?.taints, [{ key: 'k', value: 'v', effect: 'NoSchedule' }]);
  t.equal(node.status?.allocatable?.cpu, '1500m');
  t.equal(node.status?.nodeInfo?.containerRuntimeVersion, 'kubets-process://0.1.0');
  t.equal(ready(node)?.reason, 'KubeletReady');

  await eventually(async () => (await exists(getLease('reg-1'))) && (await getLease('reg-1')).metadata?.ownerReferences?.[0]?.uid === node.metadata?.uid, 'the Lease, owned by the Node', 10_000, 20);
  const lease = await getLease('reg-1');
  t.same([lease.spec?.holderIdentity, lease.spec?.leaseDurationSeconds], ['reg-1', 40]);
  t.same(lease.metadata?.ownerReferences?.[0], { apiVersion: 'v1', kind: 'Node', name: 'reg-1', uid: node.metadata?.uid });
  const first = Date.parse(lease.spec!.renewTime!);
  await eventually(async () => Date.parse((await getLease('reg-1')).spec!.renewTime!) > first, 'a later renewal', 10_000, 50);
});

t.test('the status is written when a condition changes and when the report frequency passes, not otherwise', async (t) => {
  let notReady: string | undefined;
  const a = agent(t, 'stat-1', { readiness: () => notReady, statusReportFrequencyMs: 3000 });
  await a.start();
  // Written once (by the create, or by the first report when a retried create found it made).
  await eventually(() => a.lastStatusReport() !== undefined, 'registered and reported', 10_000, 20);
  const writes = await countWrites(t, 'stat-1');
  // 10 checks at 50 ms with nothing changed: no write.
  const registeredAt = Date.now();
  await eventually(() => Date.now() - registeredAt > 500, 'half a second of checks', 2000, 50);
  t.equal(writes.nodes.length, 0, 'nothing changed, nothing written');

  notReady = 'container runtime is down';
  await eventually(() => writes.nodes.length >= 1, 'the NotReady write', 5000, 10);
  const r = ready(writes.nodes[0]!)!;
  t.same([r.status, r.reason, r.message], ['False', 'KubeletNotReady', 'container runtime is down']);
  const afterChange = writes.nodes.length;
  await eventually(() => writes.nodes.length > afterChange, 'a write once the report frequency passed', 10_000, 20);
  const heartbeat = ready(writes.nodes.at(-1)!)!;
  t.equal(heartbeat.lastTransitionTime, r.lastTransitionTime, 'a heartbeat, no transition');
  t.equal(writes.nodes.length, afterChange + 1, 'one write for the heartbeat');
});

t.test('re-registration keeps the allocated podCIDR and puts back the default labels', async (t) => {
  const first = agent(t, 'rereg-1');
  await first.start();
  await eventually(() => first.node() !== undefined, 'registered', 10_000, 20);
  await first.stop();
  await client().patch('nodes', undefined, 'rereg-1', { spec: { podCIDR: '127.1.7.0/24', podCIDRs: ['127.1.7.0/24'] }, metadata: { labels: { 'kubernetes.io/hostname': 'stale', extra: 'admin' } } }, { type: 'merge' });

  const second = agent(t, 'rereg-1', { nodeIP: '127.0.5.9' });
  const cidr = second.whenPodCIDR();
  await second.start();
  t.equal(await cidr, '127.1.7.0/24', 'the podCIDR is known from the existing Node');
  await eventually(async () => (await getNode('rereg-1')).status?.addresses?.[0]?.address === '127.0.5.9', 'the new address reported', 10_000, 20);
  const node = await getNode('rereg-1');
  t.equal(node.spec?.podCIDR, '127.1.7.0/24');
  t.equal(node.metadata?.labels?.['kubernetes.io/hostname'], 'rereg-1');
  t.equal(node.metadata?.labels?.extra, 'admin', 'labels others set stay');
});

t.test('a podCIDR allocated later is seen through the watch; --pod-cidr serves until then', async (t) => {
  const a = agent(t, 'cidr-1', { podCIDR: '127.9.0.0/24' });
  await a.start();
  await eventually(() => a.node() !== undefined, 'registered', 10_000, 20);
  t.equal(a.podCIDR(), '127.9.0.0/24');
  await client().patch('nodes', undefined, 'cidr-1', { spec: { podCIDR: '127.1.8.0/24' } }, { type: 'merge' });
  await eventually(() => a.podCIDR() === '127.1.8.0/24', 'the allocated podCIDR', 10_000, 10);
});

t.test('a deleted Node is registered again', async (t) => {
  const a = agent(t, 'del-1');
  await a.start();
  await eventually(() => a.node() !== undefined, 'registered', 10_000, 20);
  const uid = a.node()!.metadata?.uid;
  await client().delete('nodes', undefined, 'del-1');
  await eventually(async () => (await exists(getNode('del-1'))) && (await getNode('del-1')).metadata?.uid !== uid, 'a new Node', 10_000, 20);
});

t.test('an API server that goes away and comes back: failures are logged, renewals resume', async (t) => {
  const warnings: string[] = [];
  const a = agent(t, 'outage-1', { logger: { ...silent, warn: (_o: object, m: string) => warnings.push(m) } });
  await a.start();
  await eventually(async () => (await exists(getLease('outage-1'))), 'the Lease', 10_000, 20);
  const apiserver = cluster.cluster.byName('apiserver-0')!.proc;
  await apiserver.stop();
  await eventually(() => warnings.some((m) => m.startsWith('failed to renew the node lease')), 'a failed renewal, logged', 20_000, 20);
  apiserver.start();
  await apiserver.waitReady(30_000);
  const back = Date.now();
  await eventually(async () => Date.parse((await getLease('outage-1')).spec!.renewTime!) >= back - 1000, 'a renewal after the restart', 30_000, 100);
});
