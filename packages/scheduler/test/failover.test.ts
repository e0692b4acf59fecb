// Two schedulers, one leading: SIGKILL the leader under a stream of pods; the standby takes the
// Lease within a few seconds, and every pod is bound exactly once (never two Scheduled Events,
// and its node never changes).
import { eventually, leaseHolder, startTestCluster, type TestCluster } from '@kubets/testing';
import t from 'tap';
import { createNode, createPod, eventsFor } from './cluster-fixtures.js';

const fast = ['--leader-elect-lease-duration=2s', '--leader-elect-renew-deadline=1500ms', '--leader-elect-retry-period=250ms'];
let c: TestCluster;

t.before(async () => {
  c = await startTestCluster({ members: 1, apiservers: 2, schedulers: 2, schedulerFlags: fast });
  for (let i = 0; i < 5; i++) await createNode(c.client, `node-${i}`, { cpu: '64', pods: '500' });
});
t.teardown(() => c?.stop());

const leader = () => leaseHolder(c.client, 'kube-scheduler');

t.test('the standby takes over after the leader is killed; no pod is bound twice', async (t) => {
  await eventually(async () => (await leader()) !== undefined, 'a leader', 10_000);
  const first = (await leader())!;
  t.match(first, /^scheduler-[01]$/, 'the holder names the process');

  // Node names seen per pod: a pod bound twice would show two.
  const seen = new Map<string, Set<string>>();
  const watch = await c.client.watch<{ metadata: { name: string }; spec?: { nodeName?: string } }>('pods', 'default', { resourceVersion: '0' });
  const watching = (async () => {
    for await (const ev of watch) {
      const node = ev.object.spec?.nodeName;
      if (node) seen.set(ev.object.metadata.name, (seen.get(ev.object.metadata.name) ?? new Set()).add(node));
    }
  })();

  const names: string[] = [];
  let killedAt = 0;
  for (let i = 0; i < 120; i++) {
    names.push(`p-${i}`);
    await createPod(c.client, `p-${i}`, { cpu: '10m' });
    if (i === 40) {
      killedAt = Date.now();
      await c.cluster.byName(first)!.proc.kill('SIGKILL');
    }
  }
  await eventually(async () => (await leader()) !== first, 'a new leader', 15_000);
  const takeover = Date.now() - killedAt;
  t.ok(takeover < 10_000, `the standby leads ${takeover} ms after the kill`);
  await eventually(() => names.every((n) => seen.has(n)), 'every pod bound', 30_000);
  watch.stop();
  await watching;
  t.same(names.filter((n) => seen.get(n)!.size !== 1), [], 'each pod on one node only');

  const scheduledTwice: string[] = [];
  for (const n of names) {
    const count = (await eventsFor(c.client, n)).filter((e) => e.reason === 'Scheduled').reduce((s, e) => s + (e.count ?? 1), 0);
    if (count > 1) scheduledTwice.push(`${n}: ${count}`);
  }
  // The killed leader may die before writing the Events of its last binds; none may have two.
  t.same(scheduledTwice, [], 'no pod has two Scheduled Events');
});
