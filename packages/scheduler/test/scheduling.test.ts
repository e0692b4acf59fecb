// kubets-scheduler against real API servers and etcd, with Node objects written by the test:
// placement under resources, selectors, taints and affinity; the Unschedulable condition and its
// Event; a parked pod scheduled when a node comes; kubectl run.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { eventually, kubectlBinary, startTestCluster, type TestCluster } from '@kubets/testing';
import t from 'tap';
import { createNode, createPod, eventsFor, nodeOf, scheduledCondition, waitBound } from './cluster-fixtures.js';

const run = promisify(execFile);
let c: TestCluster;

t.before(async () => {
  c = await startTestCluster({ members: 1, schedulers: 1, schedulerFlags: ['--leader-elect=false'] });
  await createNode(c.client, 'node-1', { cpu: '2', labels: { 'topology.kubernetes.io/zone': 'a' } });
  await createNode(c.client, 'node-2', { cpu: '8', labels: { 'topology.kubernetes.io/zone': 'b' }, taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }] });
  await createNode(c.client, 'node-3', { cpu: '1', labels: { 'topology.kubernetes.io/zone': 'c', disk: 'ssd' } });
});
t.teardown(() => c?.stop());

t.test('a pod goes where it fits, and gets a Scheduled Event', async (t) => {
  await createPod(c.client, 'web-1', { cpu: '1500m' });
  t.equal(await waitBound(c.client, 'web-1'), 'node-1', 'only node-1 has 1.5 cpu free and no taint');
  await eventually(async () => (await eventsFor(c.client, 'web-1')).some((e) => e.reason === 'Scheduled'), 'Scheduled event');
  const ev = (await eventsFor(c.client, 'web-1')).find((e) => e.reason === 'Scheduled')!;
  t.equal(ev.message, 'Successfully assigned default/web-1 to node-1');
  t.equal(ev.type, 'Normal');
  t.equal(ev.source?.component, 'default-scheduler');
  t.equal((await scheduledCondition(c.client, 'web-1'))?.status, 'True');
});

t.test('nodeSelector, tolerations and anti-affinity choose the node', async (t) => {
  await createPod(c.client, 'ssd', { cpu: '100m', spec: { nodeSelector: { disk: 'ssd' } } });
  t.equal(await waitBound(c.client, 'ssd'), 'node-3');
  await createPod(c.client, 'infra', {
    cpu: '6',
    spec: { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoSchedule' }] },
  });
  t.equal(await waitBound(c.client, 'infra'), 'node-2', 'tolerated, and the only node with 6 cpu');
  const anti = (name: string) => createPod(c.client, name, {
    labels: { app: 'spread' },
    spec: {
      tolerations: [{ operator: 'Exists' }],
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'spread' } }, topologyKey: 'kubernetes.io/hostname' }] } },
    },
  });
  await Promise.all(['s1', 's2', 's3'].map(anti));
  const nodes = await Promise.all(['s1', 's2', 's3'].map((n) => waitBound(c.client, n)));
  t.same([...nodes].sort(), ['node-1', 'node-2', 'node-3'], 'one per host');
});

t.test('a pod that fits nowhere: PodScheduled=False, a FailedScheduling Event, then bound when a node comes', async (t) => {
  await createPod(c.client, 'huge', { cpu: '10' });
  await eventually(async () => (await scheduledCondition(c.client, 'huge'))?.reason === 'Unschedulable', 'Unschedulable condition');
  const cond = (await scheduledCondition(c.client, 'huge'))!;
  t.equal(cond.status, 'False');
  t.equal(
    cond.message,
    '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: infra}, 2 Insufficient cpu. ' +
      'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
  );
  await eventually(async () => (await eventsFor(c.client, 'huge')).some((e) => e.reason === 'FailedScheduling'), 'FailedScheduling event');
  const failed = (await eventsFor(c.client, 'huge')).filter((e) => e.reason === 'FailedScheduling');
  t.equal(failed.length, 1, 'one Event object');
  t.equal(failed[0]!.type, 'Warning');
  t.equal(failed[0]!.message, cond.message);
  t.equal(await nodeOf(c.client, 'huge'), undefined);
  await createNode(c.client, 'node-big', { cpu: '16', labels: { 'topology.kubernetes.io/zone': 'a' } });
  t.equal(await waitBound(c.client, 'huge'), 'node-big', 'woken by the new node');
});

t.test('a node that is not Ready is left out', async (t) => {
  await createNode(c.client, 'node-down', { cpu: '64', ready: 'False', labels: { only: 'down' } });
  await createPod(c.client, 'needs-down', { spec: { nodeSelector: { only: 'down' } } });
  await eventually(async () => (await scheduledCondition(c.client, 'needs-down'))?.reason === 'Unschedulable', 'Unschedulable');
  t.equal(
    (await scheduledCondition(c.client, 'needs-down'))!.message,
    "0/4 nodes are available: 1 node(s) had untolerated taint {dedicated: infra}, 3 node(s) didn't match Pod's node affinity/selector. " +
      'preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.',
    'the node that is not Ready is not counted',
  );
  const node = await c.client.get<{ status: { conditions: { type: string; status: string }[] } }>('nodes', undefined, 'node-down');
  node.status.conditions[0]!.status = 'True';
  await c.client.updateStatus('nodes', undefined, node as never);
  t.equal(await waitBound(c.client, 'needs-down'), 'node-down', 'woken when the node turns Ready');
});

t.test('kubectl run: the pod gets bound', async (t) => {
  await run(kubectlBinary(), ['--kubeconfig', c.kubeconfig, 'run', 'from-kubectl', '--image=busybox', '--restart=Never', '--', 'sleep', '1000']);
  t.ok(await waitBound(c.client, 'from-kubectl'));
  const { stdout } = await run(kubectlBinary(), ['--kubeconfig', c.kubeconfig, 'get', 'pod', 'from-kubectl', '-o', 'jsonpath={.spec.nodeName}']);
  t.match(stdout, /^node-/);
});

t.test('metrics and health on the scheduler port, with upstream names', async (t) => {
  const url = c.cluster.byName('scheduler-0')!.url;
  t.equal((await fetch(`${url}/readyz`)).status, 200);
  const text = await (await fetch(`${url}/metrics`)).text();
  t.match(text, /scheduler_schedule_attempts_total\{result="scheduled",profile="default-scheduler"\} \d+/);
  t.match(text, /scheduler_schedule_attempts_total\{result="unschedulable",profile="default-scheduler"\} [1-9]/);
  t.match(text, /scheduler_pending_pods\{queue="active"\} 0/);
  t.match(text, /scheduler_scheduling_attempt_duration_seconds_bucket/);
  t.match(text, /scheduler_pod_scheduling_sli_duration_seconds_bucket\{le="[^"]+",attempts="1"\}/);
});
