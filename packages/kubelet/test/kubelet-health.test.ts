// Probes and restarts on a real kubelet: a liveness failure restarts the container, readiness
// follows the probe both ways, and a crash loop backs off 10 s, then 20 s.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { containerStatus, createPod, isReady, podOn, shell, startKubeletCluster, waitForEvent, waitForPod } from './support/pods.js';

const { client, node } = await startKubeletCluster();
const volumeMounts = [{ name: 'work', mountPath: '/mnt' }];
const volumes = [{ name: 'work', emptyDir: {} }];

t.test('a liveness failure restarts the container, with the Events upstream writes', async (t) => {
  const probe = { exec: { command: ['cat', '/mnt/healthy'] }, periodSeconds: 1, failureThreshold: 1 };
  await createPod(client, podOn('live', [shell('app', 'touch /mnt/healthy; sleep 2; rm /mnt/healthy; exec sleep 3600', { volumeMounts, livenessProbe: probe })], { volumes }));
  const pod = await waitForPod(client, 'live', (p) => (containerStatus(p, 'app')?.restartCount ?? 0) >= 1, 'a restart', 40_000);
  t.ok(containerStatus(pod, 'app')?.lastState?.terminated, 'the killed run is its lastState');
  await waitForEvent(client, 'live', 'Unhealthy', /^Liveness probe failed/);
  await waitForEvent(client, 'live', 'Killing', /^Container app failed liveness probe, will be restarted$/);
});

t.test('readiness follows the probe: Ready when it passes, not Ready when it fails again', async (t) => {
  const probe = { exec: { command: ['cat', '/mnt/ready'] }, periodSeconds: 1 };
  const created = await createPod(client, podOn('ready', [shell('app', 'exec sleep 3600', { volumeMounts, readinessProbe: probe })], { volumes }));
  await waitForPod(client, 'ready', (p) => p.status?.phase === 'Running', 'Running');
  t.notOk(isReady(await waitForPod(client, 'ready', (p) => !isReady(p), 'not Ready before the probe passes')));
  // The emptyDir as the kubelet keeps it on the host: the test plays the app's part.
  const dir = join(node.rootDir, 'pods', created.metadata!.uid!, 'volumes', 'kubernetes.io~empty-dir', 'work');
  writeFileSync(join(dir, 'ready'), 'yes');
  await waitForPod(client, 'ready', isReady, 'Ready once the probe passes');
  rmSync(join(dir, 'ready'));
  const unready = await waitForPod(client, 'ready', (p) => !isReady(p), 'not Ready once it fails');
  t.match(unready.status?.conditions?.find((c) => c.type === 'Ready'), { status: 'False', reason: 'ContainersNotReady' });
  t.equal(containerStatus(unready, 'app')?.restartCount, 0, 'readiness never restarts');
});

t.test('a crash loop: restarted at once, then after 10 s, then after 20 s, waiting CrashLoopBackOff meanwhile', async (t) => {
  await createPod(client, podOn('crash', [shell('app', 'echo crashing; exit 3')]));
  const first = await waitForPod(client, 'crash', (p) => containerStatus(p, 'app')?.state?.waiting?.reason === 'CrashLoopBackOff', 'CrashLoopBackOff', 30_000);
  const c1 = containerStatus(first, 'app')!;
  t.equal(c1.restartCount, 1, 'the first exit is restarted at once; the second waits');
  t.match(c1.state?.waiting?.message, /^back-off 10s restarting failed container=app pod=crash_default\(/);
  t.match(c1.lastState?.terminated, { exitCode: 3, reason: 'Error' });
  const second = await waitForPod(client, 'crash', (p) => containerStatus(p, 'app')?.restartCount === 2 && containerStatus(p, 'app')?.state?.waiting?.reason === 'CrashLoopBackOff', 'the next back-off', 40_000);
  t.match(containerStatus(second, 'app')?.state?.waiting?.message, /^back-off 20s /, 'the back-off doubled');
  const c2 = containerStatus(second, 'app')!;
  const gap = Date.parse(c2.lastState!.terminated!.startedAt!) - Date.parse(c1.lastState!.terminated!.finishedAt!);
  t.ok(gap >= 9_000, `the restart waited out the 10 s back-off (${gap} ms)`);
  t.equal(second.status?.phase, 'Running', 'restartPolicy Always keeps the pod Running');
  await waitForEvent(client, 'crash', 'BackOff', /^Back-off restarting failed container app in pod crash_default\(/);
});
