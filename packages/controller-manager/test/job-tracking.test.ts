// The pod-tracking finalizer protocol step by step: a finished pod is recorded in
// uncountedTerminatedPods, then loses its finalizer, then is counted; a controller that stops
// between any two steps and starts again from what was written counts every pod exactly once.
import type { Pod } from '@kubets/api';
import t from 'tap';
import { newCondition } from '../src/controllers/job/conditions.js';
import { countPodsWithoutFinalizer, maxUncountedPods, recordFinishedPods, uidsWithFinalizer } from '../src/controllers/job/tracking.js';
import type { Job } from '../src/controllers/job/types.js';

const finalizer = 'batch.kubernetes.io/job-tracking';

function job(status: Job['status'] = {}, spec: Partial<NonNullable<Job['spec']>> = {}): Job {
  return { metadata: { name: 'j', namespace: 'default', uid: 'j' }, spec: { completions: 10, parallelism: 10, ...spec }, status: { uncountedTerminatedPods: {}, ...status } };
}

function pod(name: string, phase: string, o: { finalizer?: boolean; index?: number; deleting?: boolean } = {}): Pod {
  const metadata: Pod['metadata'] = { name, uid: name, finalizers: o.finalizer === false ? [] : [finalizer] };
  if (o.index !== undefined) metadata.annotations = { 'batch.kubernetes.io/job-completion-index': String(o.index) };
  if (o.deleting) metadata.deletionTimestamp = '2025-01-01T00:00:00Z';
  return { metadata, status: { phase } };
}

const none = new Set<string>();
const names = (pods: readonly Pod[]) => pods.map((p) => p.metadata?.name);

t.test('step 1: a finished pod with its finalizer goes into the uncounted lists, not the counters', async (t) => {
  const j = job();
  const step = recordFinishedPods(j, [pod('ok', 'Succeeded'), pod('bad', 'Failed'), pod('running', 'Running')], none, undefined, []);
  t.same(j.status?.uncountedTerminatedPods, { succeeded: ['ok'], failed: ['bad'] });
  t.same(names(step.podsToRemoveFinalizer), ['ok', 'bad'], 'a running pod keeps its finalizer');
  t.ok(step.changed);
  t.equal(j.status?.succeeded, undefined);
});

t.test('step 3: an uncounted UID whose pod lost its finalizer (or is gone) is counted once and dropped from the list', async (t) => {
  const status = { succeeded: 2, failed: 1, uncountedTerminatedPods: { succeeded: ['a', 'b'], failed: ['c'] } };
  t.ok(countPodsWithoutFinalizer(status, new Set(['b'])));
  t.same(status, { succeeded: 3, failed: 2, uncountedTerminatedPods: { succeeded: ['b'] } });
  t.notOk(countPodsWithoutFinalizer(status, new Set(['b'])), 'nothing more to count');
});

t.test('a pod already recorded is not recorded again; one whose removal is expected is left alone', async (t) => {
  const j = job({ uncountedTerminatedPods: { succeeded: ['ok'] } });
  const step = recordFinishedPods(j, [pod('ok', 'Succeeded')], none, undefined, []);
  t.same(j.status?.uncountedTerminatedPods, { succeeded: ['ok'] });
  t.notOk(step.changed);
  t.same(names(step.podsToRemoveFinalizer), ['ok'], 'its finalizer removal is tried again');
  const expecting = recordFinishedPods(job(), [pod('ok', 'Succeeded')], new Set(['ok']), undefined, []);
  t.same(expecting.podsToRemoveFinalizer, []);
  t.same(uidsWithFinalizer([pod('ok', 'Succeeded'), pod('gone', 'Succeeded', { finalizer: false })], new Set(['ok'])), new Set());
});

t.test('a deleted pod that did not succeed counts as failed; once the Job fails every unfinished pod does', async (t) => {
  const j = job();
  recordFinishedPods(j, [pod('evicted', 'Running', { deleting: true })], none, undefined, []);
  t.same(j.status?.uncountedTerminatedPods, { failed: ['evicted'] });
  const failing = job();
  const target = newCondition('FailureTarget', 'True', 'DeadlineExceeded', 'x', 0);
  const step = recordFinishedPods(failing, [pod('running', 'Running'), pod('done', 'Succeeded')], none, target, []);
  t.same(failing.status?.uncountedTerminatedPods, { failed: ['running'], succeeded: ['done'] });
  t.same(names(step.podsToRemoveFinalizer), ['running', 'done']);
  const succeeding = job();
  recordFinishedPods(succeeding, [pod('running', 'Running')], none, newCondition('SuccessCriteriaMet', 'True', '', '', 0), []);
  t.same(succeeding.status?.uncountedTerminatedPods, {}, 'a succeeding Job does not count its leftovers as failed');
});

t.test('an Indexed Job records a success as its index, once, and ignores indexes out of range', async (t) => {
  const j = job({}, { completionMode: 'Indexed', completions: 3 });
  const step = recordFinishedPods(j, [pod('b', 'Succeeded', { index: 2 }), pod('a', 'Succeeded', { index: 0 }), pod('a2', 'Succeeded', { index: 0 }), pod('x', 'Succeeded', { index: 5 })], none, undefined, [{ first: 1, last: 1 }]);
  t.same(step.newSucceededIndexes, [0, 2]);
  t.same(j.status?.uncountedTerminatedPods, {}, 'no UIDs for Indexed successes');
});

t.test('at most maxUncountedPods are recorded per sync, and the sync says so', async (t) => {
  const pods = Array.from({ length: maxUncountedPods + 10 }, (_, i) => pod(`p${i}`, 'Succeeded'));
  const j = job({}, { completions: 1000, parallelism: 1000 });
  const step = recordFinishedPods(j, pods, none, undefined, []);
  t.equal(j.status?.uncountedTerminatedPods?.succeeded?.length, maxUncountedPods);
  t.ok(step.reachedMax);
});

/** One sync's three steps on a persisted status, stopping after `stopAfter` of them. */
function syncSteps(persisted: NonNullable<Job['status']>, pods: Pod[], stopAfter: number): NonNullable<Job['status']> {
  const j = job(structuredClone(persisted));
  const withFinalizer = uidsWithFinalizer(pods, none);
  countPodsWithoutFinalizer(j.status!, withFinalizer);
  const step = recordFinishedPods(j, pods, none, undefined, []);
  let written = structuredClone(j.status!);
  if (stopAfter === 1) return written;
  for (const p of step.podsToRemoveFinalizer) {
    p.metadata!.finalizers = [];
    withFinalizer.delete(p.metadata!.uid!);
  }
  if (stopAfter === 2) return written;
  countPodsWithoutFinalizer(j.status!, withFinalizer);
  written = structuredClone(j.status!);
  return written;
}

t.test('a restart between any two steps neither loses nor double-counts a pod', async (t) => {
  for (const stopAfter of [1, 2, 3]) {
    const pods = [pod('s1', 'Succeeded'), pod('s2', 'Succeeded'), pod('f1', 'Failed'), pod('r', 'Running')];
    let status = syncSteps({ succeeded: 1, uncountedTerminatedPods: {} }, pods, stopAfter);
    // The restarted controller syncs again (twice, to let every step happen) from what was written.
    status = syncSteps(status, pods, 3);
    status = syncSteps(status, pods, 3);
    t.same({ succeeded: status.succeeded, failed: status.failed, uncounted: status.uncountedTerminatedPods }, { succeeded: 3, failed: 1, uncounted: {} }, `stopped after step ${stopAfter}`);
  }
});
