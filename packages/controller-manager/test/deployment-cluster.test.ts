// The Deployment and ReplicaSet controllers on a real cluster, with a fake kubelet that binds
// pods and marks them Ready: rollouts that keep maxSurge and maxUnavailable at every moment
// (checked from a watch of the pods), Recreate, revisions, clean-up, and the real kubectl's
// rollout commands.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Deployment, ReplicaSet } from '@kubets/api';
import { eventually, kubectlBinary } from '@kubets/testing';
import t from 'tap';
import { deploymentControllerDescriptor } from '../src/controllers/deployment/index.js';
import { replicaSetControllerDescriptor } from '../src/controllers/replicaset/index.js';
import { eventsAbout, startControllerCluster, type ControllerCluster } from './util-cluster.js';
import { deployment, rolledOut as rolledOutIn, total, watchPods as watchPodsOf } from './util-rollout.js';

const run = promisify(execFile);
let cc: ControllerCluster;
t.before(async () => {
  cc = await startControllerCluster([replicaSetControllerDescriptor, deploymentControllerDescriptor], { readyAfterMs: 20 });
});
t.teardown(() => cc?.stop());
const client = () => cc.cluster.client;
const kubectl = (...args: string[]) => run(kubectlBinary(), ['--kubeconfig', cc.cluster.kubeconfig, ...args]).then((r) => r.stdout);

async function getD(name: string): Promise<Deployment> {
  return client().get<Deployment>('deployments', 'default', name);
}

async function replicaSetsOf(name: string): Promise<ReplicaSet[]> {
  return (await client().list<ReplicaSet>('replicasets', 'default', { labelSelector: { app: name } })).items;
}

const rolledOut = (name: string) => rolledOutIn(client(), name);
const watchPods = (app: string) => watchPodsOf(client(), app);

t.test('a rolling update never exceeds maxSurge or maxUnavailable, and completes', async (t) => {
  await client().create('deployments', 'default', deployment('roll', 4, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } }));
  await eventually(() => rolledOut('roll'), 'first rollout', 20_000);
  const first = await replicaSetsOf('roll');
  t.equal(first.length, 1);
  const hash = first[0]!.metadata?.labels?.['pod-template-hash'];
  t.equal(first[0]!.metadata?.name, `roll-${hash}`);
  t.same(first[0]!.spec?.selector?.matchLabels, { app: 'roll', 'pod-template-hash': hash });
  t.equal(first[0]!.metadata?.annotations?.['deployment.kubernetes.io/revision'], '1');
  t.equal(first[0]!.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas'], '4');
  t.equal(first[0]!.metadata?.annotations?.['deployment.kubernetes.io/max-replicas'], '5');

  const w = await watchPods('roll');
  t.teardown(() => w.stop());
  await client().patch('deployments', 'default', 'roll', { spec: { template: { spec: { containers: [{ name: 'app', image: 'busybox:2' }] } } } }, { type: 'strategic' });
  await eventually(async () => (await rolledOut('roll')) && (await getD('roll')).spec?.template?.spec?.containers[0]?.image === 'busybox:2', 'second rollout', 30_000);
  t.ok(w.samples.length > 8, 'the watch saw the rollout');
  t.ok(w.samples.every((s) => total(s.active) <= 5), `never more than replicas + maxSurge = 5 pods (max ${Math.max(...w.samples.map((s) => total(s.active)))})`);
  t.ok(w.samples.every((s) => s.ready >= 3), `never fewer than replicas - maxUnavailable = 3 Ready (min ${Math.min(...w.samples.map((s) => s.ready))})`);
  t.ok(w.samples.some((s) => (s.active['busybox:1'] ?? 0) > 0 && (s.active['busybox:2'] ?? 0) > 0), 'old and new ran side by side');

  const d = await getD('roll');
  t.equal(d.metadata?.annotations?.['deployment.kubernetes.io/revision'], '2');
  const conds = Object.fromEntries((d.status?.conditions ?? []).map((c) => [c.type, c.reason]));
  t.same(conds, { Available: 'MinimumReplicasAvailable', Progressing: 'NewReplicaSetAvailable' });
  const rss = await replicaSetsOf('roll');
  const newRs = rss.find((rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] === '2')!;
  t.equal(newRs.spec?.replicas, 4);
  t.equal(rss.find((rs) => rs !== newRs)?.spec?.replicas, 0, 'the old ReplicaSet is scaled to 0 and kept');
  const events = (await eventsAbout(client(), 'roll')).filter((e) => e.reason === 'ScalingReplicaSet').map((e) => e.message);
  t.ok(events.includes(`Scaled up replica set ${newRs.metadata?.name} from 0 to 1`), 'the new ReplicaSet started at maxSurge');
  t.ok(events.some((m) => m?.startsWith(`Scaled down replica set roll-${hash} from 4 to`)), 'the old one scaled down');
});

t.test('Recreate removes every old pod before the first new one', async (t) => {
  await client().create('deployments', 'default', deployment('recreate', 3, { type: 'Recreate' }));
  await eventually(() => rolledOut('recreate'), 'first rollout', 20_000);
  const w = await watchPods('recreate');
  t.teardown(() => w.stop());
  await client().patch('deployments', 'default', 'recreate', { spec: { template: { spec: { containers: [{ name: 'app', image: 'busybox:2' }] } } } }, { type: 'strategic' });
  await eventually(async () => (await rolledOut('recreate')) && (await getD('recreate')).status?.updatedReplicas === 3 && (await getD('recreate')).metadata?.annotations?.['deployment.kubernetes.io/revision'] === '2', 'recreated', 30_000);
  t.ok(w.samples.every((s) => !((s.active['busybox:1'] ?? 0) > 0 && (s.active['busybox:2'] ?? 0) > 0)), 'old and new never ran together');
  t.ok(w.samples.some((s) => total(s.active) === 0), 'there was a moment with no pods');
});

t.test('scaling a rollout in progress shares the new replicas proportionally', async (t) => {
  // Paused in the middle of a rollout: scaling still applies, and is shared by size.
  await client().create('deployments', 'default', deployment('prop', 10, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } }));
  await eventually(() => rolledOut('prop'), 'first rollout', 20_000);
  await client().patch('deployments', 'default', 'prop', { spec: { paused: true } });
  await eventually(async () => (await getD('prop')).status?.conditions?.some((c) => c.reason === 'DeploymentPaused') ?? false, 'paused condition');
  await client().patch('deployments', 'default', 'prop', { spec: { template: { spec: { containers: [{ name: 'app', image: 'busybox:2' }] } } } }, { type: 'strategic' });
  await eventually(async () => (await getD('prop')).status?.observedGeneration === (await getD('prop')).metadata?.generation, 'observed');
  t.equal((await replicaSetsOf('prop')).length, 1, 'paused: no new ReplicaSet');
  await client().patch('deployments', 'default', 'prop', { spec: { paused: false } });
  await eventually(async () => (await replicaSetsOf('prop')).length === 2, 'a new ReplicaSet after resume');
  await client().patch('deployments', 'default', 'prop', { spec: { paused: true } });
  await eventually(async () => {
    const rss = await replicaSetsOf('prop');
    return rss.every((rs) => (rs.status?.replicas ?? 0) === rs.spec?.replicas);
  }, 'settled while paused');
  const before = await replicaSetsOf('prop');
  const sum = (rss: ReplicaSet[]) => rss.reduce((a, rs) => a + (rs.spec?.replicas ?? 0), 0);
  await client().scale('deployments', 'default', 'prop', 20);
  await eventually(async () => sum(await replicaSetsOf('prop')) === 23, 'scaled to 20 + maxSurge 3', 20_000);
  const after = await replicaSetsOf('prop');
  for (const rs of after) {
    const was = before.find((b) => b.metadata?.name === rs.metadata?.name)!.spec!.replicas!;
    t.ok(Math.abs(rs.spec!.replicas! - was * 2) <= 3, `${rs.metadata?.name}: ${was} -> ${rs.spec?.replicas}, about double`);
    t.equal(rs.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas'], '20');
  }
  await client().patch('deployments', 'default', 'prop', { spec: { paused: false } });
  await eventually(() => rolledOut('prop'), 'resumed rollout completes', 40_000);
  t.equal((await getD('prop')).status?.availableReplicas, 20);
});

t.test('kubectl rollout status, history, undo, restart, pause/resume and scale', async (t) => {
  await kubectl('create', 'deployment', 'cli', '--image=busybox:1', '--replicas=2');
  const status = await kubectl('rollout', 'status', 'deployment/cli', '--timeout=30s');
  t.match(status, 'deployment "cli" successfully rolled out');
  await kubectl('set', 'image', 'deployment/cli', 'busybox=busybox:2');
  await kubectl('annotate', 'deployment/cli', 'kubernetes.io/change-cause=to busybox 2');
  t.match(await kubectl('rollout', 'status', 'deployment/cli', '--timeout=30s'), 'successfully rolled out');
  const history = await kubectl('rollout', 'history', 'deployment/cli');
  t.match(history, /1\s+<none>/);
  t.match(history, /2\s+to busybox 2/);
  await kubectl('rollout', 'undo', 'deployment/cli');
  t.match(await kubectl('rollout', 'status', 'deployment/cli', '--timeout=30s'), 'successfully rolled out');
  await eventually(async () => (await getD('cli')).metadata?.annotations?.['deployment.kubernetes.io/revision'] === '3', 'revision 3');
  t.equal((await getD('cli')).spec?.template?.spec?.containers[0]?.image, 'busybox:1');
  const back = (await client().list<ReplicaSet>('replicasets', 'default')).items.find((rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] === '3');
  t.equal(back?.metadata?.annotations?.['deployment.kubernetes.io/revision-history'], '1', 'the rolled-back-to ReplicaSet remembers revision 1');
  await kubectl('rollout', 'restart', 'deployment/cli');
  t.match(await kubectl('rollout', 'status', 'deployment/cli', '--timeout=30s'), 'successfully rolled out');
  t.equal((await getD('cli')).metadata?.annotations?.['deployment.kubernetes.io/revision'], '4');
  await kubectl('rollout', 'pause', 'deployment/cli');
  await kubectl('scale', 'deployment/cli', '--replicas=3');
  await eventually(async () => (await getD('cli')).status?.availableReplicas === 3, 'scaled while paused', 20_000);
  await kubectl('rollout', 'resume', 'deployment/cli');
  await eventually(async () => (await getD('cli')).status?.conditions?.some((c) => c.type === 'Progressing' && c.status === 'True') ?? false, 'progressing again after resume', 20_000);
  t.match(await kubectl('rollout', 'status', 'deployment/cli', '--timeout=30s'), 'successfully rolled out');
});

t.test('old ReplicaSets beyond revisionHistoryLimit are deleted', async (t) => {
  await client().create('deployments', 'default', deployment('history', 1, { type: 'RollingUpdate' }, { revisionHistoryLimit: 1 }));
  for (const v of ['2', '3', '4']) {
    await eventually(() => rolledOut('history'), `rollout before ${v}`, 20_000);
    await client().patch('deployments', 'default', 'history', { spec: { template: { spec: { containers: [{ name: 'app', image: `busybox:${v}` }] } } } }, { type: 'strategic' });
  }
  await eventually(async () => (await rolledOut('history')) && (await replicaSetsOf('history')).length === 2, 'one old ReplicaSet kept', 20_000);
  const revisions = (await replicaSetsOf('history')).map((rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/revision']).sort();
  t.same(revisions, ['3', '4']);
  t.same(cc.kubelet.errors, [], 'the fake kubelet had no errors');
});
