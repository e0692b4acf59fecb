// The ReplicaSet controller on a real cluster (kubets-etcd + kubets-apiserver), with a fake
// kubelet that binds pods and marks them Running and Ready.
import type { Pod, ReplicaSet } from '@kubets/api';
import { eventually } from '@kubets/testing';
import t from 'tap';
import { replicaSetControllerDescriptor } from '../src/controllers/replicaset/index.js';
import { setReady } from './util-fake-kubelet.js';
import { activePods, eventsAbout, podsWithLabels, runControllers, startControllerCluster, type ControllerCluster } from './util-cluster.js';

let cc: ControllerCluster;
t.before(async () => {
  cc = await startControllerCluster([replicaSetControllerDescriptor]);
});
t.teardown(() => cc?.stop());

const client = () => cc.cluster.client;

function replicaSet(name: string, replicas: number, extra: { minReadySeconds?: number } = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name },
    spec: {
      replicas,
      ...extra,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name, tier: 'web' } }, spec: { containers: [{ name: 'app', image: 'busybox' }] } },
    },
  };
}

async function getRs(name: string): Promise<ReplicaSet> {
  return client().get<ReplicaSet>('replicasets', 'default', name);
}

async function waitReplicas(name: string, n: number, what = `${name} has ${n} ready pods`): Promise<Pod[]> {
  await eventually(async () => {
    const rs = await getRs(name);
    const pods = activePods(await podsWithLabels(client(), { app: name }));
    return pods.length === n && rs.status?.readyReplicas === n && rs.status.availableReplicas === n && rs.status.observedGeneration === rs.metadata?.generation;
  }, what, 20_000);
  return activePods(await podsWithLabels(client(), { app: name }));
}

t.test('creates spec.replicas pods, each controlled by the ReplicaSet, and reports them in status', async (t) => {
  const rs = await client().create<ReplicaSet>('replicasets', 'default', replicaSet('web', 3));
  const pods = await waitReplicas('web', 3);
  for (const p of pods) {
    t.match(p.metadata?.name, /^web-[a-z0-9]{5}$/, 'generateName web-');
    t.same(p.metadata?.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
    t.same(p.metadata?.labels, { app: 'web', tier: 'web' });
  }
  const status = (await getRs('web')).status!;
  t.equal(status.replicas, 3);
  t.equal(status.fullyLabeledReplicas, 3);
  await eventually(async () => (await eventsAbout(client(), 'web')).filter((e) => e.reason === 'SuccessfulCreate').length === 3, 'three SuccessfulCreate events');
  const created = (await eventsAbout(client(), 'web')).filter((e) => e.reason === 'SuccessfulCreate');
  t.same(created.map((e) => e.message).sort(), pods.map((p) => `Created pod: ${p.metadata?.name}`).sort());
  t.equal(created[0]!.source?.component, 'replicaset-controller');
});

t.test('a deleted pod is replaced', async (t) => {
  const before = await waitReplicas('web', 3);
  const victim = before[0]!.metadata!.name!;
  await client().delete('pods', 'default', victim);
  await eventually(async () => {
    const pods = activePods(await podsWithLabels(client(), { app: 'web' }));
    return pods.length === 3 && !pods.some((p) => p.metadata?.name === victim);
  }, 'a replacement');
  await waitReplicas('web', 3);
  t.pass('three again');
});

t.test('scaling down deletes the not-ready pod first, then the one with more restarts', async (t) => {
  const pods = await waitReplicas('web', 3);
  const [unready, restarted] = [pods[0]!.metadata!.name!, pods[1]!.metadata!.name!];
  cc.kubelet.hold(unready);
  cc.kubelet.hold(restarted);
  await setReady(client(), 'default', unready, false);
  await setReady(client(), 'default', restarted, true, 5);
  await eventually(async () => (await getRs('web')).status?.readyReplicas === 2, 'status sees the unready pod');
  await client().scale('replicasets', 'default', 'web', 2);
  await eventually(async () => activePods(await podsWithLabels(client(), { app: 'web' })).length === 2, 'two pods');
  const left = activePods(await podsWithLabels(client(), { app: 'web' })).map((p) => p.metadata?.name);
  t.notOk(left.includes(unready), 'the unready pod went');
  await client().scale('replicasets', 'default', 'web', 1);
  await eventually(async () => activePods(await podsWithLabels(client(), { app: 'web' })).length === 1, 'one pod');
  const last = activePods(await podsWithLabels(client(), { app: 'web' })).map((p) => p.metadata?.name);
  t.notOk(last.includes(restarted), 'the pod with restarts went next');
  await eventually(async () => (await eventsAbout(client(), 'web')).some((e) => e.reason === 'SuccessfulDelete' && e.message === `Deleted pod: ${unready}`), 'SuccessfulDelete event');
});

t.test('an orphan that matches is adopted, and only the missing pods are created', async (t) => {
  await client().create('pods', 'default', { metadata: { name: 'stray', labels: { app: 'adopter', tier: 'web' } }, spec: { containers: [{ name: 'app', image: 'busybox' }] } });
  const rs = await client().create<ReplicaSet>('replicasets', 'default', replicaSet('adopter', 2));
  const pods = await waitReplicas('adopter', 2);
  t.ok(pods.some((p) => p.metadata?.name === 'stray'), 'the orphan is one of the two');
  const stray = pods.find((p) => p.metadata?.name === 'stray')!;
  t.equal(stray.metadata?.ownerReferences?.[0]?.uid, rs.metadata?.uid);
  t.equal(stray.metadata?.ownerReferences?.[0]?.controller, true);
});

t.test('a pod relabelled out of the selector is released and replaced', async (t) => {
  const pods = await waitReplicas('adopter', 2);
  const name = pods[0]!.metadata!.name!;
  await client().patch('pods', 'default', name, { metadata: { labels: { app: 'elsewhere' } } });
  // One read per check: two reads could straddle the release.
  await eventually(async () => ((await client().get<Pod>('pods', 'default', name)).metadata?.ownerReferences ?? []).length === 0, 'released');
  await waitReplicas('adopter', 2, 'replaced');
  t.pass('released and replaced');
});

t.test('a restarted controller manager does not create the pods again', async (t) => {
  await client().create('replicasets', 'default', replicaSet('restart', 5));
  await waitReplicas('restart', 5);
  await cc.run.stop();
  cc.run = runControllers(client(), [replicaSetControllerDescriptor]);
  await client().scale('replicasets', 'default', 'restart', 6);
  await waitReplicas('restart', 6);
  t.equal(activePods(await podsWithLabels(client(), { app: 'restart' })).length, 6, 'exactly one more');
  t.same(cc.kubelet.errors, [], 'the fake kubelet had no errors');
});
