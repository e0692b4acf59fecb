// `kubectl logs` through the API server to the kubelet: follow, tail, timestamps, previous.
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import t from 'tap';
import { eventually, kubectlBinary } from '@kubets/testing';
import { containerStatus, createPod, isRunningReady, podOn, shell, startKubeletCluster, waitForPod } from './support/pods.js';

const { cluster, client } = await startKubeletCluster();
const run = promisify(execFile);
const kubectl = async (...args: string[]) => (await run(kubectlBinary(), ['--kubeconfig', cluster.kubeconfig, ...args])).stdout;

t.test('kubectl logs -f streams new lines as the container writes them', async (t) => {
  await createPod(client, podOn('ticker', [shell('app', 'i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 0.2; done')]));
  await waitForPod(client, 'ticker', isRunningReady, 'Running');
  const child = spawn(kubectlBinary(), ['--kubeconfig', cluster.kubeconfig, 'logs', '-f', 'ticker'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => void child.kill('SIGKILL'));
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await eventually(() => /tick 10\n/.test(out), 'ten ticks through kubectl logs -f', 20_000, 50);
  t.match(out, /^tick 1\ntick 2\ntick 3\n/, 'from the first line, in order');
  child.kill('SIGTERM');

  const tail = await kubectl('logs', '--tail=2', 'ticker');
  t.equal(tail.split('\n').filter(Boolean).length, 2, '--tail=2 gives two lines');
  const stamped = await kubectl('logs', '--tail=1', '--timestamps', 'ticker');
  t.match(stamped, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z tick \d+\n$/, '--timestamps puts the time first');
});

t.test('kubectl logs --previous shows the run before a restart', async (t) => {
  await createPod(client, podOn('twice', [shell('app', 'if [ -e /mnt/ran ]; then echo second; exec sleep 3600; fi; touch /mnt/ran; echo first; exit 1', { volumeMounts: [{ name: 'w', mountPath: '/mnt' }] })], { volumes: [{ name: 'w', emptyDir: {} }] }));
  await waitForPod(client, 'twice', (p) => containerStatus(p, 'app')?.restartCount === 1 && p.status?.phase === 'Running' && containerStatus(p, 'app')?.state?.running !== undefined, 'restarted once and running');
  await eventually(async () => (await kubectl('logs', 'twice')) === 'second\n', 'the current run\'s log', 10_000, 100);
  t.equal(await kubectl('logs', '--previous', 'twice'), 'first\n');
});
