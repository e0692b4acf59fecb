// The cache as upstream's cache tests read: assume, confirm, expire, forget, and nodes that come
// after their pods.
import { FakeClock } from '@kubets/client/clock';
import t from 'tap';
import { SchedulerCache } from '../src/cache/cache.js';
import { interleaveByZone } from '../src/cache/node-order.js';
import { nodeInfoOf } from '../src/framework/node-info.js';
import type { Node, Pod } from '../src/framework/types.js';

const node = (name: string, zone?: string): Node => ({
  metadata: { name, labels: zone ? { 'topology.kubernetes.io/zone': zone } : {} },
  status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } },
});
const pod = (name: string, nodeName: string, cpu = '1'): Pod => ({
  metadata: { name, namespace: 'default', uid: name },
  spec: { nodeName, containers: [{ name: 'c', resources: { requests: { cpu } } }] },
});

function setup(ttl = 30_000) {
  const clock = new FakeClock();
  const expired: string[] = [];
  const cache = new SchedulerCache({ clock, assumedPodTtlMs: ttl, onExpired: (p) => expired.push(p.metadata.name) });
  cache.addNode(node('n1'));
  cache.addNode(node('n2'));
  return { clock, cache, expired };
}
const cpuOn = (cache: SchedulerCache, name: string) => cache.snapshot().get(name)!.requested.milliCPU;

t.test('an assumed pod counts on its node at once', async (t) => {
  const { cache } = setup();
  cache.assumePod(pod('a', 'n1'));
  t.equal(cpuOn(cache, 'n1'), 1000);
  t.ok(cache.isAssumed('default/a'));
  t.throws(() => cache.assumePod(pod('a', 'n2')), /can't be assumed/);
  cache.close();
});

t.test("the informer's confirmation replaces the assumed copy, even on another node", async (t) => {
  const { clock, cache, expired } = setup();
  cache.assumePod(pod('a', 'n1'));
  cache.finishBinding(pod('a', 'n1'));
  cache.addPod(pod('a', 'n2', '2'));
  t.notOk(cache.isAssumed('default/a'));
  t.equal(cpuOn(cache, 'n1'), 0);
  t.equal(cpuOn(cache, 'n2'), 2000);
  clock.advance(60_000);
  t.same(expired, [], 'a confirmed pod never expires');
  t.equal(cpuOn(cache, 'n2'), 2000);
  cache.close();
});

t.test('an assumed pod never confirmed expires after the TTL from its finished binding', async (t) => {
  const { clock, cache, expired } = setup();
  cache.assumePod(pod('a', 'n1'));
  clock.advance(120_000);
  t.same(expired, [], 'no expiry while the bind is still in flight');
  cache.finishBinding(pod('a', 'n1'));
  clock.advance(29_000);
  t.same(expired, []);
  clock.advance(2000);
  t.same(expired, ['a']);
  t.equal(cpuOn(cache, 'n1'), 0);
  t.equal(cache.podCount, 0);
  cache.close();
});

t.test('a failed bind forgets the pod; forgetting a confirmed pod does nothing', async (t) => {
  const { cache } = setup();
  cache.assumePod(pod('a', 'n1'));
  cache.forgetPod(pod('a', 'n1'));
  t.equal(cpuOn(cache, 'n1'), 0);
  cache.addPod(pod('b', 'n1'));
  cache.forgetPod(pod('b', 'n1'));
  t.equal(cpuOn(cache, 'n1'), 1000);
  cache.close();
});

t.test('delete removes assumed and bound pods', async (t) => {
  const { cache } = setup();
  cache.assumePod(pod('a', 'n1'));
  cache.addPod(pod('b', 'n1'));
  cache.removePod(pod('a', 'n1'));
  cache.removePod(pod('b', 'n1'));
  t.equal(cpuOn(cache, 'n1'), 0);
  t.equal(cache.podCount, 0);
  cache.close();
});

t.test('pods seen before their node are on it when it comes; a deleted node leaves the snapshot', async (t) => {
  const { cache } = setup();
  cache.addPod(pod('early', 'n3'));
  t.equal(cache.snapshot().get('n3'), undefined);
  t.equal(cache.snapshot().nodes.length, 2);
  cache.addNode(node('n3'));
  t.equal(cpuOn(cache, 'n3'), 1000);
  cache.removeNode('n3');
  t.equal(cache.snapshot().nodes.length, 2);
  t.equal(cache.nodeCount, 2);
  cache.close();
});

t.test('nodes are walked with zones interleaved', async (t) => {
  const infos = ['a1', 'a2', 'a3', 'b1', 'c1', 'c2'].map((n) => nodeInfoOf(node(n, n[0])));
  t.same(interleaveByZone(infos).map((n) => n.name), ['a1', 'b1', 'c1', 'a2', 'c2', 'a3']);
  const { cache } = setup();
  cache.addNode(node('z', 'other'));
  t.same(cache.snapshot().nodes.map((n) => n.name), ['n1', 'z', 'n2']);
  cache.close();
});

t.test('nodes with affinity pods are listed for InterPodAffinity', async (t) => {
  const { cache } = setup();
  const p = pod('aff', 'n2');
  p.spec.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname' }] } };
  cache.addPod(p);
  t.same(cache.snapshot().nodesWithAffinityPods!.map((n) => n.name), ['n2']);
  cache.close();
});
