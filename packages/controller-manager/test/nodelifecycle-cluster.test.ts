// The node lifecycle and taint eviction controllers against a real API server and etcd, with
// nodes played by the test: it renews their Leases, stops, and posts Ready again. The grace
// period is 4 s rather than 2 s: on a loaded machine (two clusters side by side) a 2 s grace saw
// healthy nodes miss it.
import type { Node, Pod } from '@kubets/api';
import { eventually, startTestCluster, type TestCluster } from '@kubets/testing';
import t from 'tap';
import { createControllerContext } from '../src/controller/context.js';
import { findCondition, NodeLifecycleController, nodeConditions } from '../src/controllers/nodelifecycle/index.js';
import { TaintEvictionController } from '../src/controllers/tainteviction/index.js';
import { createNode, eventsAbout, LeaseRenewer, postReady, runningPod, tolerateFor, tolerationThatMatchesNothing } from './nodelifecycle-fixtures.js';

const unreachable = 'node.kubernetes.io/unreachable';
const notReady = 'node.kubernetes.io/not-ready';
let c: TestCluster;
const alive = new Set(['node-a', 'node-b']);
let renewing = true;
let renewer: Promise<void> | undefined;
let leases: LeaseRenewer;

/** The kubelets' lease renewal, every 200 ms, for the nodes still alive. */
async function renewLeases(): Promise<void> {
  while (renewing) {
    await Promise.all([...alive].map((name) => leases.renew(name).catch((e: unknown) => t.comment(`renewing ${name}: ${String(e)}`))));
    await new Promise((r) => setTimeout(r, 200));
  }
}

t.before(async () => {
  c = await startTestCluster({ members: 1 });
  leases = new LeaseRenewer(c.client);
  for (const name of alive) {
    await createNode(c.client, name);
    await leases.renew(name);
  }
  renewer = renewLeases();
});
t.teardown(async () => {
  renewing = false;
  await renewer;
  await c?.stop();
});

const getNode = (name: string) => c.client.get<Node>('nodes', undefined, name);
const getPod = (name: string) => c.client.get<Pod>('pods', 'default', name);
const taintKeys = async (name: string, effect: string) => ((await getNode(name)).spec?.taints ?? []).filter((x) => x.effect === effect).map((x) => x.key).sort();

t.test('a silent node turns Unknown, is tainted, its pods go not Ready and those that do not tolerate it are evicted; it comes back when it posts Ready', async (t) => {
  const say = (level: string) => (o: object, m: string) => t.comment(`${level}: ${m} ${JSON.stringify(o)}`);
  const ctx = createControllerContext({
    client: c.client,
    logger: { debug() {}, info: say('info'), warn: say('warn'), error: say('error') },
    options: { nodeMonitorPeriodMs: 200, nodeMonitorGracePeriodMs: 4_000, nodeStartupGracePeriodMs: 4_000, nodeEvictionRate: 10 },
  });
  const controllers = [new NodeLifecycleController(ctx), new TaintEvictionController(ctx)];
  ctx.informers.start();
  const running = controllers.map((x) => x.run());
  t.teardown(async () => {
    await Promise.all(controllers.map((x) => x.stop()));
    await ctx.shutdown();
    await Promise.all(running);
  });

  const podTolerations = [tolerateFor(notReady)];
  await runningPod(c.client, 'intolerant', 'node-b', [...podTolerations, tolerationThatMatchesNothing(unreachable)]);
  await runningPod(c.client, 'patient', 'node-b', [...podTolerations, tolerateFor(unreachable, 3)]);
  await runningPod(c.client, 'loyal', 'node-b', [...podTolerations, tolerateFor(unreachable)]);
  await runningPod(c.client, 'elsewhere', 'node-a', [...podTolerations, tolerationThatMatchesNothing(unreachable)]);
  await eventually(async () => (await eventsAbout(c.client, 'node-b')).some((e) => e.reason === 'RegisteredNode'), 'RegisteredNode event');

  const stoppedAt = Date.now();
  alive.delete('node-b');
  await eventually(async () => findCondition(nodeConditions(await getNode('node-b')), 'Ready')?.status === 'Unknown', 'node-b Ready=Unknown', 10_000);
  const silentFor = Date.now() - stoppedAt;
  t.ok(silentFor >= 3_500, `not before the grace period (${silentFor} ms)`);
  const ready = findCondition(nodeConditions(await getNode('node-b')), 'Ready')!;
  t.same([ready.reason, ready.message], ['NodeStatusUnknown', 'Kubelet stopped posting node status.']);
  const leaseA = await c.client.get<{ spec?: { renewTime?: string } }>('leases.coordination.k8s.io', 'kube-node-lease', 'node-a');
  t.equal(findCondition(nodeConditions(await getNode('node-a')), 'Ready')?.status, 'True', `node-a renews its lease: still Ready (renewed ${Date.now() - Date.parse(leaseA.spec?.renewTime ?? '')} ms ago)`);

  await eventually(async () => (await taintKeys('node-b', 'NoExecute')).includes(unreachable), 'unreachable:NoExecute taint', 5_000);
  const taintedAt = Date.now();
  const noExecute = (await getNode('node-b')).spec!.taints!.find((x) => x.key === unreachable && x.effect === 'NoExecute')!;
  t.ok(noExecute.timeAdded, 'the NoExecute taint carries timeAdded');
  await eventually(async () => (await taintKeys('node-b', 'NoSchedule')).includes(unreachable), 'unreachable:NoSchedule taint');
  await eventually(async () => (await eventsAbout(c.client, 'node-b')).some((e) => e.reason === 'NodeNotReady' && e.message === 'Node node-b status is now: NodeNotReady'), 'NodeNotReady event');
  await eventually(async () => findCondition((await getPod('loyal')).status?.conditions, 'Ready')?.status === 'False', 'pods on node-b marked not Ready');
  t.equal(findCondition((await getPod('elsewhere')).status?.conditions, 'Ready')?.status, 'True', 'pods elsewhere untouched');

  await eventually(async () => (await getPod('intolerant')).metadata?.deletionTimestamp !== undefined, 'the intolerant pod is being deleted', 5_000);
  const evicted = await getPod('intolerant');
  const target = findCondition(evicted.status?.conditions, 'DisruptionTarget');
  t.same([target?.status, target?.reason, target?.message], ['True', 'DeletionByTaintManager', 'Taint manager: deleting due to NoExecute taint']);
  await eventually(async () => (await eventsAbout(c.client, 'intolerant')).some((e) => e.reason === 'TaintManagerEviction' && e.message === 'Marking for deletion Pod default/intolerant'), 'TaintManagerEviction event');
  t.equal((await getPod('patient')).metadata?.deletionTimestamp, undefined, 'the patient pod waits its 3 s');

  await eventually(async () => (await getPod('patient')).metadata?.deletionTimestamp !== undefined, 'the patient pod evicted after its 3 s', 8_000);
  const waited = Date.now() - taintedAt;
  t.ok(waited >= 1_900, `evicted about 3 s after the taint, timeAdded being whole seconds (${waited} ms after we saw it)`);
  t.equal((await getPod('loyal')).metadata?.deletionTimestamp, undefined, 'tolerated forever: stays');
  t.equal((await getPod('elsewhere')).metadata?.deletionTimestamp, undefined);

  alive.add('node-b');
  await postReady(c.client, 'node-b');
  await eventually(async () => (await taintKeys('node-b', 'NoExecute')).length === 0, 'NoExecute taints removed', 5_000);
  await eventually(async () => (await taintKeys('node-b', 'NoSchedule')).length === 0, 'NoSchedule taints removed', 5_000);
  t.equal(findCondition(nodeConditions(await getNode('node-b')), 'Ready')?.status, 'True');
  t.equal((await getPod('loyal')).metadata?.deletionTimestamp, undefined, 'still there');
});
