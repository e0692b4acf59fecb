// Hollow nodes against a real API server: a few nodes registered Ready with their Leases
// renewed, pods bound to them reported Running and Ready (addresses from the podCIDR when the
// node has one), and deleted pods finished.
import type { Lease, Node, Pod } from '@kubets/api';
import { isNotFound } from '@kubets/client';
import { eventually, startTestCluster, type TestCluster } from '@kubets/testing';
import t from 'tap';
import { hollowNodeLabel, runHollowNodes, type HollowNodes } from '../src/hollow/hollow-nodes.js';

const silent = { info() {}, warn() {}, error() {} };
let cluster: TestCluster;
let hollow: HollowNodes;
const lateness: number[] = [];
t.before(async () => {
  cluster = await startTestCluster({ members: 1 });
  hollow = await runHollowNodes({ client: cluster.client, count: 3, namePrefix: 'hn-', logger: silent, leaseRenewIntervalMs: 200, statusUpdateFrequencyMs: 100, onLeaseRenewed: (_n, late) => lateness.push(late) });
});
t.teardown(async () => {
  await hollow?.stop();
  await cluster?.stop();
});
const client = () => cluster.client;
const getPod = (name: string) => client().get<Pod>('pods', 'default', name);
const ready = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

function pod(name: string, nodeName: string): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: { nodeName, initContainers: [{ name: 'init', image: 'busybox' }], containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'] }, { name: 'side', image: 'node:20' }] },
  };
}

t.test('the hollow nodes register Ready and renew their Leases', async (t) => {
  await hollow.registered();
  t.same(hollow.nodeNames, ['hn-0', 'hn-1', 'hn-2']);
  const nodes = (await client().list<Node>('nodes', undefined, { labelSelector: { [hollowNodeLabel]: 'true' } })).items;
  t.same(nodes.map((n) => n.metadata?.name).sort(), ['hn-0', 'hn-1', 'hn-2']);
  for (const n of nodes) t.equal(n.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True', `${n.metadata?.name} Ready`);
  const renewTime = async (n: string) => Date.parse((await client().get<Lease>('leases.coordination.k8s.io', 'kube-node-lease', n)).spec!.renewTime!);
  // Leases are spread over the renew interval: hn-2's first may come after its node is Ready.
  let first = NaN;
  await eventually(async () => {
    first = await renewTime('hn-2').catch((e: unknown) => { if (isNotFound(e)) return NaN; throw e; });
    return !Number.isNaN(first);
  }, 'the Lease of hn-2', 10_000, 50);
  await eventually(async () => (await renewTime('hn-2')) > first, 'a later renewal of hn-2', 10_000, 50);
  t.ok(lateness.length > 0, 'renewals are measured');
});

t.test('a pod bound to a hollow node becomes Running and Ready without running anything', async (t) => {
  await client().create('pods', 'default', pod('p1', 'hn-1'));
  await eventually(async () => ready(await getPod('p1')), 'p1 Ready', 10_000, 20);
  const p = await getPod('p1');
  t.equal(p.status?.phase, 'Running');
  t.same(p.status?.conditions?.map((c) => [c.type, c.status]).sort(), [['ContainersReady', 'True'], ['Initialized', 'True'], ['PodReadyToStartContainers', 'True'], ['PodScheduled', 'True'], ['Ready', 'True']]);
  t.equal(p.status?.hostIP, '127.254.0.2', 'the node\'s InternalIP');
  t.match(p.status?.podIP, /^10\.64\.1\.\d+$/, 'a made-up address while the node has no podCIDR');
  t.ok(p.status?.startTime);
  const app = p.status?.containerStatuses?.find((c) => c.name === 'app');
  t.same([app?.ready, app?.started, app?.restartCount, app?.containerID], [true, true, 0, `kubets-process://hollow-${p.metadata?.uid}-app`]);
  t.ok(app?.state?.running?.startedAt);
  t.equal(p.status?.initContainerStatuses?.[0]?.state?.terminated?.reason, 'Completed');
});

t.test('with a podCIDR, pod addresses come from it', async (t) => {
  await client().patch('nodes', undefined, 'hn-2', { spec: { podCIDR: '127.3.2.0/24' } }, { type: 'merge' });
  await client().create('pods', 'default', pod('p2', 'hn-2'));
  await eventually(async () => ready(await getPod('p2')), 'p2 Ready', 10_000, 20);
  t.equal((await getPod('p2')).status?.podIP, '127.3.2.2');
});

t.test('a deleted pod goes away; pods of other nodes are left alone', async (t) => {
  await client().create('pods', 'default', pod('elsewhere', 'not-hollow'));
  await eventually(async () => ready(await getPod('p1')), 'p1 Ready', 10_000, 20);
  await client().delete('pods', 'default', 'p1');
  await eventually(() => getPod('p1').then(() => false, () => true), 'p1 gone', 10_000, 20);
  const other = await getPod('elsewhere');
  t.equal(other.status?.phase ?? 'Pending', 'Pending', 'not reported by a hollow node');
  await client().delete('pods', 'default', 'elsewhere', { gracePeriodSeconds: 0 });
});
