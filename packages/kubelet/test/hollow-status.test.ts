// The pure parts of hollow mode: the status a hollow pod reports, when it needs writing, the
// made-up addresses, and the bound on concurrent writes.
import type { Pod } from '@kubets/api';
import t from 'tap';
import { concurrencyGate } from '../src/hollow/concurrency-gate.js';
import { alreadyReported, hollowPodStatus } from '../src/hollow/hollow-pod-status.js';
import { fakePodCidr, HollowPodAddresses, hollowNodeIP } from '../src/hollow/pod-addresses.js';

const pod: Pod = { metadata: { name: 'p', namespace: 'default', uid: 'u1' }, spec: { containers: [{ name: 'a', image: 'busybox' }] } };
const T0 = '2026-12-01T00:00:00Z';
const T1 = '2026-12-01T00:01:00Z';

t.test('a hollow pod is Running and Ready, and its times stay once reported', async (t) => {
  const s = hollowPodStatus(pod, { hostIP: '127.254.0.1', podIP: '10.64.0.2' }, T0);
  t.equal(s.phase, 'Running');
  t.same(s.podIPs, [{ ip: '10.64.0.2' }]);
  t.equal(s.containerStatuses?.[0]?.state?.running?.startedAt, T0);
  t.notOk(alreadyReported(pod, s), 'a new pod needs a write');
  const reported = { ...pod, status: s };
  const again = hollowPodStatus(reported, { hostIP: '127.254.0.1', podIP: '10.64.0.2' }, T1);
  t.equal(again.startTime, T0);
  t.equal(again.conditions?.[0]?.lastTransitionTime, T0);
  t.ok(alreadyReported(reported, again), 'nothing to write the second time');
});

t.test('made-up addresses: a block per node, distinct per pod, kept once reported', async (t) => {
  t.equal(fakePodCidr(0), '10.64.0.0/24');
  t.equal(fakePodCidr(257), '10.65.1.0/24');
  t.equal(hollowNodeIP(0), '127.254.0.1');
  t.equal(hollowNodeIP(255), '127.254.1.0');
  const a = new HollowPodAddresses();
  t.equal(a.addressOf('n', 'u1', '10.64.0.0/24', undefined), '10.64.0.2');
  t.equal(a.addressOf('n', 'u2', '10.64.0.0/24', undefined), '10.64.0.3');
  t.equal(a.addressOf('n', 'u1', '10.64.0.0/24', undefined), '10.64.0.2');
  t.equal(a.addressOf('n', 'u3', '10.64.0.0/24', '10.64.0.9'), '10.64.0.9', 'a reported address is kept');
  a.release('u1');
  t.equal(a.addressOf('m', 'u4', '10.64.1.0/30', undefined), '10.64.1.2');
  t.equal(a.addressOf('m', 'u5', '10.64.1.0/30', undefined), undefined, 'full');
});

t.test('the gate never runs more writes at once than its limit', async (t) => {
  const gate = concurrencyGate(3);
  let running = 0;
  let most = 0;
  const releases: (() => void)[] = [];
  const writes = Array.from({ length: 10 }, () => gate(async () => {
    running++;
    most = Math.max(most, running);
    await new Promise<void>((r) => releases.push(r));
    running--;
  }));
  while (releases.length > 0 || running > 0) {
    await new Promise((r) => setImmediate(r));
    releases.shift()?.();
  }
  await Promise.all(writes);
  t.equal(most, 3);
});
