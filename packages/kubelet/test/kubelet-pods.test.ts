// Pods bound to a real kubelet become real processes: addresses, environment, ConfigMap, Secret
// and emptyDir volumes, init containers, and bad specs that wait with a clear reason while the
// kubelet keeps serving the other pods.
import t from 'tap';
import type { ConfigMap, Secret } from '@kubets/api';
import { eventually } from '@kubets/testing';
import { containerStatus, createPod, isRunningReady, kubeletLogs, podOn, shell, startKubeletCluster, waitForEvent, waitForPod } from './support/pods.js';

const { client, node } = await startKubeletCluster();

t.test('a pod runs: Running and Ready, an address from the node, its own hostname, its output in the log', async (t) => {
  await createPod(client, podOn('hello', [shell('app', 'echo hello; hostname; echo "ip=$KUBETS_POD_IP"; exec sleep 3600')]));
  const pod = await waitForPod(client, 'hello', isRunningReady, 'Running and Ready');
  t.match(pod.status?.podIP, /^127\./, 'a loopback address of its own');
  t.equal(pod.status?.hostIP, node.address);
  t.match(containerStatus(pod, 'app')?.containerID, /^kubets-process:\/\/[0-9a-f]+$/);
  t.equal(pod.status?.qosClass, 'BestEffort');
  let logs = '';
  await eventually(async () => (logs = await kubeletLogs(node, 'hello', 'app')).includes('ip='), 'the output in the log', 10_000, 100);
  t.equal(logs, `hello\nhello\nip=${pod.status?.podIP}\n`, 'stdout, the pod name as hostname, KUBETS_POD_IP');
});

t.test('env and files from a ConfigMap and a Secret; a ConfigMap update reaches the file', async (t) => {
  await client.create<ConfigMap>('configmaps', 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { greeting: 'hi', colour: 'blue' } });
  await client.create<Secret>('secrets', 'default', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sec' }, stringData: { password: 's3cret' } } as Secret);
  const app = shell('app', 'echo "GREETING=$GREETING CFG_colour=$CFG_colour PASS=$PASS"; cat /srv/password; echo; while true; do echo "file=$(cat /mnt/greeting)"; sleep 0.3; done', {
    env: [{ name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'greeting' } } }, { name: 'PASS', valueFrom: { secretKeyRef: { name: 'sec', key: 'password' } } }],
    envFrom: [{ prefix: 'CFG_', configMapRef: { name: 'cfg' } }],
    volumeMounts: [{ name: 'cfg', mountPath: '/mnt' }, { name: 'sec', mountPath: '/srv' }],
  });
  await createPod(client, podOn('config', [app], { volumes: [{ name: 'cfg', configMap: { name: 'cfg' } }, { name: 'sec', secret: { secretName: 'sec' } }] }));
  await waitForPod(client, 'config', isRunningReady, 'Running and Ready');
  await eventually(async () => (await kubeletLogs(node, 'config', 'app')).includes('file=hi'), 'the ConfigMap file', 10_000, 100);
  const logs = await kubeletLogs(node, 'config', 'app');
  t.match(logs, /^GREETING=hi CFG_colour=blue PASS=s3cret\ns3cret\n/);
  await client.patch('configmaps', 'default', 'cfg', { data: { greeting: 'hello again' } });
  await eventually(async () => (await kubeletLogs(node, 'config', 'app')).includes('file=hello again'), 'the update in the file', 20_000, 200);
  t.pass('the updated value reached the running container');
});

t.test('init containers run in order, to success, before the app; an emptyDir is shared', async (t) => {
  const volumeMounts = [{ name: 'work', mountPath: '/mnt' }];
  await createPod(client, podOn('init', [shell('app', 'cat /mnt/order; exec sleep 3600', { volumeMounts })], {
    initContainers: [shell('first', 'echo one >> /mnt/order', { volumeMounts }), shell('second', 'sleep 0.5; echo two >> /mnt/order', { volumeMounts })],
    volumes: [{ name: 'work', emptyDir: {} }],
  }));
  const pod = await waitForPod(client, 'init', isRunningReady, 'Running and Ready');
  for (const name of ['first', 'second']) t.match(containerStatus(pod, name)?.state?.terminated, { exitCode: 0, reason: 'Completed' }, `${name} completed`);
  t.equal(pod.status?.conditions?.find((c) => c.type === 'Initialized')?.status, 'True');
  await eventually(async () => (await kubeletLogs(node, 'init', 'app')) === 'one\ntwo\n', 'the app reads what both wrote, in order', 10_000, 100);
});

t.test('bad specs wait with a clear reason and an Event; the kubelet serves the other pods meanwhile', async (t) => {
  await createPod(client, podOn('bad-image', [{ name: 'app', image: 'quay.io/nope/nothing:1', command: ['sh'] }]));
  await createPod(client, podOn('bad-config', [shell('app', 'sleep 3600', { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'missing', key: 'k' } } }] })]));
  await createPod(client, podOn('bad-command', [{ name: 'app', image: 'busybox', command: ['no-such-command-here'] }]));
  await createPod(client, podOn('good', [shell('app', 'exec sleep 3600')]));
  await waitForPod(client, 'good', isRunningReady, 'the good pod runs');
  const reason = (name: string) => waitForPod(client, name, (p) => containerStatus(p, 'app')?.state?.waiting?.reason !== undefined && containerStatus(p, 'app')?.state?.waiting?.reason !== 'ContainerCreating', 'a waiting reason');
  t.match(containerStatus(await reason('bad-image'), 'app')?.state?.waiting?.reason, /^(ErrImagePull|ImagePullBackOff)$/);
  t.match(containerStatus(await reason('bad-config'), 'app')?.state?.waiting, { reason: 'CreateContainerConfigError', message: 'configmap "missing" not found' });
  t.match(containerStatus(await reason('bad-command'), 'app')?.state?.waiting?.reason, /^(RunContainerError|CrashLoopBackOff)$/);
  await waitForEvent(client, 'bad-image', 'Failed', /is not in the process runtime's image table/);
  await waitForEvent(client, 'bad-config', 'Failed', /configmap "missing" not found/);
  await waitForEvent(client, 'bad-command', 'Failed', /executable file not found/);
  t.equal((await client.get<{ status?: { phase?: string } }>('pods', 'default', 'good')).status?.phase, 'Running');
});
