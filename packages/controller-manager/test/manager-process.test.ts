// Two kubets-controller-manager processes, one leading: it serves health and upstream's
// workqueue metrics, runs the controllers (a new namespace gets its default ServiceAccount), and
// when it is SIGKILLed in the middle of a rollout the standby takes the Lease and finishes the
// rollout with maxSurge and maxUnavailable kept at every moment (from a watch of the pods).
import { eventually, leaseHolder, startTestCluster, type TestCluster } from '@kubets/testing';
import t from 'tap';
import { FakeKubelet } from './util-fake-kubelet.js';
import { deployment, rolledOut, total, watchPods } from './util-rollout.js';

// Short enough for a quick takeover, long enough that a leader on a loaded machine keeps its lease.
const fast = ['--leader-elect-lease-duration=4s', '--leader-elect-renew-deadline=3s', '--leader-elect-retry-period=500ms'];
let c: TestCluster;
let kubelet: FakeKubelet;

t.before(async () => {
  c = await startTestCluster({ members: 1, controllerManagers: 2, controllerManagerFlags: fast });
  kubelet = new FakeKubelet(c.client, { readyAfterMs: 100 });
  await kubelet.start();
});
t.teardown(async () => {
  await kubelet?.stop();
  await c?.stop();
});

const leader = () => leaseHolder(c.client, 'kube-controller-manager');

t.test('the leader runs the controllers and serves upstream\'s metrics', async (t) => {
  await eventually(async () => (await leader()) !== undefined, 'a leader', 15_000, 50);
  const name = (await leader())!;
  t.match(name, /^controller-manager-[01]$/, 'the holder names the process');
  await c.client.create('namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
  await eventually(async () => (await c.client.list('serviceaccounts', 'team-a')).items.length === 1, 'default ServiceAccount', 15_000, 50);
  const url = c.cluster.byName(name)!.url;
  t.equal((await fetch(`${url}/healthz`)).status, 200);
  t.equal((await fetch(`${url}/readyz`)).status, 200);
  const metrics = await (await fetch(`${url}/metrics`)).text();
  for (const m of ['workqueue_depth', 'workqueue_adds_total', 'workqueue_queue_duration_seconds_bucket', 'workqueue_work_duration_seconds_bucket', 'workqueue_retries_total']) {
    t.match(metrics, new RegExp(`^${m}\\{[^}]*name="serviceaccount"`, 'm'), `${m} of the serviceaccount queue`);
  }
});

t.test('SIGKILL of the leader mid-rollout: the standby finishes it within maxSurge and maxUnavailable', async (t) => {
  await c.client.create('deployments', 'default', deployment('web', 6, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2, maxUnavailable: 1 } }));
  await eventually(() => rolledOut(c.client, 'web'), 'first rollout', 30_000, 50);
  const w = await watchPods(c.client, 'web');
  t.teardown(() => w.stop());
  await c.client.patch('deployments', 'default', 'web', { spec: { template: { spec: { containers: [{ name: 'app', image: 'busybox:2' }] } } } }, { type: 'strategic' });
  await eventually(() => w.samples.some((s) => (s.active['busybox:2'] ?? 0) > 0), 'the rollout started', 15_000, 20);
  const first = (await leader())!;
  const killed = c.cluster.byName(first)?.proc.pid;
  t.ok(killed !== undefined, `the leader ${first} runs`);
  process.kill(killed!, 'SIGKILL');
  await eventually(async () => ((await leader()) ?? first) !== first, 'the standby leads', 15_000, 50);
  await eventually(async () => (await rolledOut(c.client, 'web')) && w.samples.at(-1)!.active['busybox:1'] === undefined, 'rollout done', 60_000, 50);
  t.not(await leader(), first, 'the other process leads');
  const maxPods = Math.max(...w.samples.map((s) => total(s.active)));
  const minReady = Math.min(...w.samples.map((s) => s.ready));
  t.ok(maxPods <= 8, `never more than replicas + maxSurge = 8 pods (max ${maxPods})`);
  t.ok(minReady >= 5, `never fewer than replicas - maxUnavailable = 5 Ready (min ${minReady})`);
  t.same(kubelet.errors, [], 'the kubelet saw no errors');
});
