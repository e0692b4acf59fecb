// Ending pods on a real kubelet: a graceful deletion gives the containers SIGTERM and their grace
// period, then SIGKILL, and the kubelet deletes the object once they are gone; a kubelet that is
// SIGKILLed and restarted adopts its running containers (no duplicate) and stops those of pods
// deleted while it was down (no orphan).
import { readdirSync, readFileSync } from 'node:fs';
import t from 'tap';
import { eventually } from '@kubets/testing';
import { alive, createPod, isRunningReady, kubeletLogs, podOn, shell, startKubeletCluster, waitForPod } from './support/pods.js';

const { client, node } = await startKubeletCluster();

/** Host pids of processes whose command line contains the marker. */
function pidsWith(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(marker)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

async function gone(name: string): Promise<number> {
  const started = Date.now();
  await eventually(async () => (await client.get('pods', 'default', name).then(() => false, () => true)), `${name} deleted`, 40_000, 50);
  return Date.now() - started;
}

t.test('a container that handles SIGTERM ends at once; the kubelet then deletes the pod', async (t) => {
  await createPod(client, podOn('polite', [shell('app', "trap 'echo got TERM; exit 0' TERM; while true; do sleep 0.1; done")], { terminationGracePeriodSeconds: 10 }));
  await waitForPod(client, 'polite', isRunningReady, 'Running');
  await client.delete('pods', 'default', 'polite');
  const ms = await gone('polite');
  t.ok(ms < 8_000, `gone well within its 10 s grace (${ms} ms)`);
});

t.test('a container that ignores SIGTERM is killed when its grace period ends', async (t) => {
  await createPod(client, podOn('stubborn', [shell('app', "trap '' TERM; while true; do sleep 0.1; done")], { terminationGracePeriodSeconds: 3 }));
  await waitForPod(client, 'stubborn', isRunningReady, 'Running');
  await client.delete('pods', 'default', 'stubborn');
  const ms = await gone('stubborn');
  t.ok(ms >= 2_500, `it had its grace period (${ms} ms)`);
  t.ok(ms < 15_000, `then SIGKILL (${ms} ms)`);
});

t.test('a SIGKILLed kubelet comes back to its running containers: no duplicate; a pod deleted meanwhile is stopped', async (t) => {
  const keepMarker = '86401.5';
  const dropMarker = '86402.5';
  await createPod(client, podOn('keep', [shell('app', `echo started; exec sleep ${keepMarker}`)]));
  await createPod(client, podOn('drop', [shell('app', `exec sleep ${dropMarker}`)]));
  await waitForPod(client, 'keep', isRunningReady, 'Running');
  await waitForPod(client, 'drop', isRunningReady, 'Running');
  await eventually(() => pidsWith(keepMarker).length === 1 && pidsWith(dropMarker).length === 1, 'one process each', 10_000, 50);
  const [keepPid] = pidsWith(keepMarker);
  const [dropPid] = pidsWith(dropMarker);

  await node.process.kill();
  t.ok(alive(keepPid!), 'pods keep running while the kubelet is down');
  await client.delete('pods', 'default', 'drop', { gracePeriodSeconds: 0 });
  await node.process.start();

  await eventually(() => !alive(dropPid!), 'the deleted pod\'s process stopped', 20_000, 100);
  const keep = await waitForPod(client, 'keep', isRunningReady, 'still Running');
  t.same(pidsWith(keepMarker), [keepPid], 'the same process, not a second one');
  t.equal(keep.status?.containerStatuses?.[0]?.restartCount, 0);
  t.equal(await kubeletLogs(node, 'keep', 'app'), 'started\n', 'its log is served again');
});
