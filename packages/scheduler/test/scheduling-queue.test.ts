// The scheduling queue as upstream's PriorityQueue tests read: order, back-off, parking, and the
// cluster events that move parked pods back.
import { FakeClock } from '@kubets/client/clock';
import t from 'tap';
import type { Pod } from '../src/framework/types.js';
import { assignedPodDelete, nodeAdd, nodeUpdateEvent } from '../src/queue/cluster-events.js';
import { SchedulingQueue } from '../src/queue/scheduling-queue.js';

const pod = (name: string, priority?: number): Pod => ({
  metadata: { name, namespace: 'default', uid: name },
  spec: { containers: [{ name: 'c' }], ...(priority !== undefined ? { priority } : {}) },
});

function setup() {
  const clock = new FakeClock();
  const queue = new SchedulingQueue({ clock });
  return { clock, queue };
}

/** Pops a pod and fails it as the scheduler does, with the plugins that rejected it. */
async function failOnce(queue: SchedulingQueue, ...plugins: string[]) {
  const info = (await queue.pop())!;
  const cycle = queue.schedulingCycle;
  info.unschedulablePlugins = new Set(plugins);
  queue.addUnschedulable(info, cycle);
  return info;
}

t.test('higher priority first, then the pod that came first', async (t) => {
  const { clock, queue } = setup();
  queue.add(pod('low', 1));
  clock.advance(1);
  queue.add(pod('high', 10));
  clock.advance(1);
  queue.add(pod('low-later', 1));
  const names = [];
  for (let i = 0; i < 3; i++) names.push((await queue.pop())!.pod.metadata.name);
  t.same(names, ['high', 'low', 'low-later']);
  queue.close();
});

t.test('pop waits for a pod, and resolves undefined when closed', async (t) => {
  const { queue } = setup();
  const waiting = queue.pop();
  queue.add(pod('a'));
  t.equal((await waiting)!.pod.metadata.name, 'a');
  const next = queue.pop();
  queue.close();
  t.equal(await next, undefined);
});

t.test('a parked pod stays parked until an event that can help it', async (t) => {
  const { queue } = setup();
  queue.add(pod('big'));
  await failOnce(queue, 'NodeResourcesFit');
  t.equal(queue.whereIs('default/big'), 'unschedulable');
  queue.moveAllToActiveOrBackoff(nodeUpdateEvent(
    { metadata: { name: 'n', labels: { a: '1' } } },
    { metadata: { name: 'n', labels: { a: '2' } } },
  )!);
  t.equal(queue.whereIs('default/big'), 'unschedulable', 'a label change does not free cpu');
  queue.moveAllToActiveOrBackoff(assignedPodDelete);
  t.equal(queue.whereIs('default/big'), 'backoff', 'a deleted pod may have freed cpu; it still backs off');
  queue.close();
});

t.test('back-off: 1 s doubling per attempt, capped at 10 s; the pod returns when it ends', async (t) => {
  const { clock, queue } = setup();
  queue.add(pod('p'));
  const expected = [1000, 2000, 4000, 8000, 10_000, 10_000];
  for (const ms of expected) {
    const info = await failOnce(queue, 'NodeAffinity');
    queue.moveAllToActiveOrBackoff(nodeAdd);
    t.equal(queue.whereIs('default/p'), 'backoff');
    t.equal(queue.backoffExpiry(info) - clock.now(), ms, `attempt ${info.attempts} backs off ${ms} ms`);
    clock.advance(ms - 1);
    t.equal(queue.whereIs('default/p'), 'backoff', 'not a millisecond early');
    clock.advance(1);
    t.equal(queue.whereIs('default/p'), 'active');
  }
  queue.close();
});

t.test('a move request during the cycle sends the failed pod to back-off, not to the parking lot', async (t) => {
  const { queue } = setup();
  queue.add(pod('p'));
  const info = (await queue.pop())!;
  const cycle = queue.schedulingCycle;
  queue.moveAllToActiveOrBackoff(nodeAdd); // a node came while the pod was being tried
  info.unschedulablePlugins = new Set(['NodeResourcesFit']);
  queue.addUnschedulable(info, cycle);
  t.equal(queue.whereIs('default/p'), 'backoff');
  queue.close();
});

t.test('a pod that failed on an error (no plugin rejected it) backs off and retries', async (t) => {
  const { clock, queue } = setup();
  queue.add(pod('p'));
  await failOnce(queue);
  t.equal(queue.whereIs('default/p'), 'backoff');
  clock.advance(1000);
  t.equal(queue.whereIs('default/p'), 'active');
  queue.close();
});

t.test('parked pods go back after five minutes whatever rejected them', async (t) => {
  const { clock, queue } = setup();
  queue.add(pod('p'));
  await failOnce(queue, 'NodeName');
  clock.advance(4 * 60_000 + 59_000);
  t.equal(queue.whereIs('default/p'), 'unschedulable');
  clock.advance(31_000);
  t.equal(queue.whereIs('default/p'), 'active', 'by the first leftover flush after 5 minutes');
  queue.close();
});

t.test('an update moves a parked pod back; delete removes it from every queue', async (t) => {
  const { clock, queue } = setup();
  queue.add(pod('p'));
  await failOnce(queue, 'TaintToleration');
  clock.advance(2000);
  const updated = { ...pod('p'), spec: { ...pod('p').spec, tolerations: [{ operator: 'Exists' }] } };
  queue.update({ ...pod('p'), status: { conditions: [{ type: 'PodScheduled', status: 'False' }] } }, false);
  t.equal(queue.whereIs('default/p'), 'unschedulable', 'a status change alone does not wake it');
  queue.update(updated);
  t.equal(queue.whereIs('default/p'), 'active');
  t.same((await queue.pop())!.pod.spec.tolerations, [{ operator: 'Exists' }]);
  queue.add(pod('q'));
  queue.delete(pod('q'));
  t.equal(queue.whereIs('default/q'), undefined);
  t.same(queue.pending(), { active: 0, backoff: 0, unschedulable: 0 });
  queue.close();
});

t.test('pending counts each queue', async (t) => {
  const { queue } = setup();
  for (const n of ['a', 'b', 'c']) queue.add(pod(n));
  await failOnce(queue, 'NodeResourcesFit');
  await failOnce(queue);
  t.same(queue.pending(), { active: 1, backoff: 1, unschedulable: 1 });
  queue.close();
});

t.test('an idle queue sets no timer but the leftover flush', async (t) => {
  const { clock, queue } = setup();
  t.equal(clock.pending(), 1);
  queue.close();
  t.equal(clock.pending(), 0);
});
