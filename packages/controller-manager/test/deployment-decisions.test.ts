// The Deployment's pure decisions: fenceposts, the rolling steps, proportional scaling, the
// hash, revision history, clean-up order and status conditions.
import type { Deployment, ReplicaSet } from '@kubets/api';
import t from 'tap';
import { appendRevisionHistory, setNewReplicaSetAnnotations } from '../src/controllers/deployment/util/annotations.js';
import { resolveFenceposts, scaledValue } from '../src/controllers/deployment/util/fenceposts.js';
import { computeHash } from '../src/controllers/deployment/util/hash.js';
import { byRevision, equalIgnoreHash } from '../src/controllers/deployment/util/replicasets.js';
import { cleanupUnhealthyPlan, maxScaledDown, newRSNewReplicas, proportionalPlan, scaleDownOldPlan, scalePlan } from '../src/controllers/deployment/util/rollout-math.js';
import { rolloutStatus } from '../src/controllers/deployment/util/status.js';

function dep(replicas: number, surge: number | string = '25%', unavailable: number | string = '25%', status: Deployment['status'] = {}): Deployment {
  return {
    metadata: { name: 'web', namespace: 'ns', generation: 1 },
    spec: { replicas, progressDeadlineSeconds: 600, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } }, template: { metadata: { labels: { app: 'web' } } } },
    status,
  };
}

let seq = 0;
function rs(name: string, replicas: number, available = replicas, annotations: Record<string, string> = {}): ReplicaSet {
  seq++;
  return {
    metadata: { name, uid: name, creationTimestamp: `2025-01-01T00:00:${String(seq % 60).padStart(2, '0')}Z`, annotations },
    spec: { replicas },
    status: { replicas, availableReplicas: available, readyReplicas: available },
  };
}
const sizes = (steps: { rs: ReplicaSet; replicas: number }[]) => Object.fromEntries(steps.map((s) => [s.rs.metadata?.name, s.replicas]));

t.test('maxSurge rounds up, maxUnavailable rounds down, and both 0 leaves one unavailable', async (t) => {
  t.same(resolveFenceposts('25%', '25%', 10), { surge: 3, unavailable: 2 });
  t.same(resolveFenceposts(2, '50%', 5), { surge: 2, unavailable: 2 });
  t.same(resolveFenceposts(0, 0, 5), { surge: 0, unavailable: 1 });
  t.same(resolveFenceposts('10%', '10%', 1), { surge: 1, unavailable: 0 });
  t.throws(() => scaledValue('5', 10, true), /not a percentage/);
});

t.test('the new ReplicaSet grows up to replicas + maxSurge pods in all', async (t) => {
  const d = dep(10, 3, 2);
  const old = rs('old', 10);
  const fresh = rs('new', 0);
  t.equal(newRSNewReplicas(d, [old, fresh], fresh), 3, 'surge 3 above 10');
  t.equal(newRSNewReplicas(d, [rs('old', 8), rs('new', 5)], rs('new', 5)), 5, 'at 13 already: no growth');
  t.equal(newRSNewReplicas(d, [rs('old', 0), rs('new', 9)], rs('new', 9)), 10, 'never beyond replicas');
});

t.test('old pods go only as far as replicas - maxUnavailable available pods allow', async (t) => {
  const d = dep(10, 3, 2);
  const old = rs('old', 10);
  const fresh = rs('new', 3, 0);
  t.equal(maxScaledDown(d, [old, fresh], fresh), 13 - 8 - 3, 'the new pods are not available yet: 2');
  t.same(sizes(scaleDownOldPlan(d, [old, fresh], [old])), { old: 8 });
  const ready = rs('new', 3, 3);
  t.same(sizes(scaleDownOldPlan(d, [old, ready], [old])), { old: 5 }, '13 available, 8 needed');
});

t.test('a ReplicaSet scaled down but not yet emptied counts its surplus pods as existing, not as staying available', async (t) => {
  const d = dep(6, 2, 1);
  // The old ReplicaSet was scaled 6 -> 4; its status still counts the two pods it is deleting.
  const old = { ...rs('old', 4), status: { replicas: 6, availableReplicas: 6, readyReplicas: 6 } };
  const fresh = rs('new', 2);
  t.equal(newRSNewReplicas(d, [old, fresh], fresh), 2, '8 pods may exist already: the new one waits');
  t.same(sizes(scaleDownOldPlan(d, [old, fresh], [old])), { old: 3 }, '4 + 2 can stay available, 5 needed: one more goes');
});

t.test('unavailable old pods are cleaned up first, oldest ReplicaSet first', async (t) => {
  const a = rs('a', 4, 1);
  const b = rs('b', 4, 4);
  const c = rs('c', 3, 0);
  t.same(sizes(cleanupUnhealthyPlan([c, b, a], 4)), { a: 1, c: 2 });
});

t.test('scaling a rollout in progress shares the change by size, leftovers to the largest', async (t) => {
  const d = dep(20, 3, 2, { replicas: 13 });
  const old = rs('old', 8, 8, { 'deployment.kubernetes.io/max-replicas': '13' });
  const fresh = rs('new', 5, 5, { 'deployment.kubernetes.io/max-replicas': '13' });
  const plan = sizes(proportionalPlan(d, fresh, [old]));
  t.equal(plan.old! + plan.new!, 23, 'replicas + maxSurge');
  t.same(plan, { old: 14, new: 9 });
  const down = sizes(proportionalPlan(dep(5, 3, 2), fresh, [old]));
  t.equal(down.old! + down.new!, 8);
});

t.test('with one active ReplicaSet it takes all the replicas; a saturated new one empties the old', async (t) => {
  t.same(sizes(scalePlan(dep(7), rs('new', 3), [rs('old', 0)])), { new: 7 });
  const saturated = rs('new', 4, 4, { 'deployment.kubernetes.io/desired-replicas': '4' });
  t.same(sizes(scalePlan(dep(4), saturated, [rs('old', 2)])), { old: 0 });
});

t.test('the pod-template-hash is stable, and differs by template and collision count', async (t) => {
  const tpl = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'x' }] } };
  const reordered = { spec: { containers: [{ image: 'x', name: 'a' }] }, metadata: { labels: { app: 'web' } } };
  const h = computeHash(tpl, undefined);
  t.match(h, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  t.equal(computeHash(reordered, undefined), h, 'key order does not matter');
  t.equal(computeHash(tpl, undefined), h, 'the same every time');
  t.not(computeHash(tpl, 1), h);
  t.not(computeHash({ ...tpl, spec: { containers: [{ name: 'a', image: 'y' }] } }, undefined), h);
  t.ok(equalIgnoreHash({ metadata: { labels: { app: 'web', 'pod-template-hash': h } } }, { metadata: { labels: { app: 'web' } } }));
});

t.test('a rolled-back-to ReplicaSet keeps its old revisions in the history annotation', async (t) => {
  const r = rs('r', 1, 1, { 'deployment.kubernetes.io/revision': '1' });
  t.ok(setNewReplicaSetAnnotations(dep(1), r, 3, true, 1, 2));
  t.equal(r.metadata?.annotations?.['deployment.kubernetes.io/revision'], '3');
  t.equal(r.metadata?.annotations?.['deployment.kubernetes.io/revision-history'], '1');
  t.equal(appendRevisionHistory('1,3', '5'), '1,3,5');
  t.equal(appendRevisionHistory('11,22,33', '44', 8), '22,33,44', 'the oldest dropped to fit the limit');
});

t.test('clean-up takes the lowest revisions first', async (t) => {
  const list = [rs('c', 0, 0, { 'deployment.kubernetes.io/revision': '10' }), rs('a', 0, 0, { 'deployment.kubernetes.io/revision': '2' }), rs('b', 0, 0, { 'deployment.kubernetes.io/revision': '9' })];
  t.same(list.sort(byRevision).map((x) => x.metadata?.name), ['a', 'b', 'c']);
});

t.test('status: Available by maxUnavailable; Progressing complete, progressing, or timed out', async (t) => {
  const now = Date.parse('2025-01-01T01:00:00Z');
  const done = rs('new', 4, 4);
  const s = rolloutStatus(dep(4), [done], done, now);
  t.match(s, { replicas: 4, updatedReplicas: 4, availableReplicas: 4, unavailableReplicas: 0, observedGeneration: 1 });
  t.match(s.conditions, [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "new" has successfully progressed.' }]);
  const half = rs('new', 4, 1);
  const stuck = dep(4, 1, 1, { replicas: 4, updatedReplicas: 4, readyReplicas: 1, availableReplicas: 1, conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: '2025-01-01T00:40:00Z', lastTransitionTime: '2025-01-01T00:40:00Z' } as never] });
  const late = rolloutStatus(stuck, [half], half, now);
  t.match(late.conditions?.find((c) => c.type === 'Progressing'), { status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "new" has timed out progressing.' });
  t.match(late.conditions?.find((c) => c.type === 'Available'), { status: 'False', reason: 'MinimumReplicasUnavailable' });
  const moving = rolloutStatus(stuck, [rs('new', 4, 2)], rs('new', 4, 2), now);
  t.match(moving.conditions?.find((c) => c.type === 'Progressing'), { status: 'True', reason: 'ReplicaSetUpdated', lastTransitionTime: '2025-01-01T00:40:00Z', lastUpdateTime: '2025-01-01T01:00:00Z' });
});
