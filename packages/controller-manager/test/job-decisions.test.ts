// The Job controller's pure decisions, as tables: pods to create or delete for a state, the
// indexes to create, completedIndexes text, the failure back-off, failure conditions, the
// pod made from the template, and the TTL after finished.
import type { Pod } from '@kubets/api';
import t from 'tap';
import { nextBackoffRecord, noFailures, podFinishedTime, remainingBackoffMs } from '../src/controllers/job/backoff.js';
import { decideFailure } from '../src/controllers/job/failure.js';
import { firstPendingIndexes, formatIntervals, hasIndex, parseIntervals, totalOf, withIndexes } from '../src/controllers/job/intervals.js';
import { planPods, podsToRemove, wantActive } from '../src/controllers/job/manage.js';
import { podForJob } from '../src/controllers/job/pod-template.js';
import { ttlDecision } from '../src/controllers/job/ttl-after-finished.js';
import type { Job } from '../src/controllers/job/types.js';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function job(spec: Partial<NonNullable<Job['spec']>> = {}, status: Job['status'] = {}): Job {
  return {
    metadata: { name: 'pi', namespace: 'default', uid: 'job-uid' },
    spec: { parallelism: 2, completions: 5, backoffLimit: 6, template: { metadata: { labels: { 'job-name': 'pi' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } }, ...spec },
    status,
  };
}

function pod(name: string, o: { phase?: string; index?: number; node?: string; deleting?: boolean; created?: number } = {}): Pod {
  const metadata: Pod['metadata'] = { name, uid: `uid-${name}`, creationTimestamp: iso(o.created ?? T0) };
  if (o.index !== undefined) metadata.annotations = { 'batch.kubernetes.io/job-completion-index': String(o.index) };
  if (o.deleting) metadata.deletionTimestamp = iso(T0);
  return { metadata, spec: { containers: [], ...(o.node ? { nodeName: o.node } : {}) }, status: { phase: o.phase ?? 'Pending' } };
}

const names = (pods: readonly Pod[]) => pods.map((p) => p.metadata?.name);

t.test('active pods wanted: parallelism, never more than the completions left; a work queue stops after one success', async (t) => {
  const rows: [Partial<NonNullable<Job['spec']>>, number, number, number][] = [
    // spec, active, succeeded, want
    [{ parallelism: 2, completions: 5 }, 0, 0, 2],
    [{ parallelism: 2, completions: 5 }, 2, 4, 1],
    [{ parallelism: 2, completions: 5 }, 1, 5, 0],
    [{ parallelism: 3, completions: undefined }, 1, 0, 3],
    [{ parallelism: 3, completions: undefined }, 1, 1, 1],
  ];
  for (const [spec, active, succeeded, want] of rows) t.equal(wantActive(job(spec), active, succeeded), want, JSON.stringify({ spec, active, succeeded }));
});

t.test('the plan creates the missing pods, deletes the surplus least-advanced first, or waits out the back-off', async (t) => {
  const base = { succeeded: 0, succeededIndexes: [], terminating: 0, backoffRemainingMs: 0 };
  t.same(planPods({ ...base, job: job(), activePods: [] }), { action: 'create', count: 2, indexes: undefined });
  t.same(planPods({ ...base, job: job(), activePods: [pod('a')], backoffRemainingMs: 5000 }), { action: 'wait', delayMs: 5000 });
  const running = pod('running', { phase: 'Running', node: 'n' });
  const pending = pod('pending', { node: 'n' });
  const unscheduled = pod('unscheduled');
  const plan = planPods({ ...base, job: job({ parallelism: 1 }), activePods: [running, pending, unscheduled] });
  t.equal(plan.action, 'delete');
  t.same(plan.action === 'delete' && names(plan.pods), ['unscheduled', 'pending'], 'unscheduled, then pending, go before running');
  const suspended = planPods({ ...base, job: job({ suspend: true }), activePods: [running, pending] });
  t.same(suspended.action === 'delete' && names(suspended.pods).sort(), ['pending', 'running'], 'suspend deletes every active pod');
  t.same(planPods({ ...base, job: job(), activePods: [running, pending] }), { action: 'none' });
});

t.test('replacement of terminating pods waits only with podReplacementPolicy Failed', async (t) => {
  const base = { succeeded: 0, succeededIndexes: [], backoffRemainingMs: 0, activePods: [] };
  t.same(planPods({ ...base, job: job(), terminating: 2 }), { action: 'create', count: 2, indexes: undefined });
  t.same(planPods({ ...base, job: job({ podReplacementPolicy: 'Failed' }), terminating: 2 }), { action: 'none' });
});

t.test('an Indexed Job creates the lowest indexes neither succeeded nor active, and removes repeated and out-of-range ones', async (t) => {
  const indexed = job({ completionMode: 'Indexed', parallelism: 3, completions: 6 });
  const plan = planPods({ job: indexed, activePods: [pod('a', { index: 1 })], succeeded: 2, succeededIndexes: parseIntervals('0,2', 6), terminating: 0, backoffRemainingMs: 0 });
  t.same(plan, { action: 'create', count: 2, indexes: [3, 4] });
  const dup = [pod('one-old', { index: 1, phase: 'Running', node: 'n' }), pod('one-new', { index: 1 }), pod('none'), pod('seven', { index: 7 }), pod('two', { index: 2 })];
  t.same(names(podsToRemove(indexed, dup, 0)).sort(), ['none', 'one-new', 'seven'], 'the better pod of index 1 stays');
});

t.test('completedIndexes: written as upstream writes it, parsed back, cut at completions', async (t) => {
  const rows: [number[], string][] = [
    [[], ''],
    [[0], '0'],
    [[0, 1], '0,1'],
    [[0, 1, 2], '0-2'],
    [[0, 1, 2, 5], '0-2,5'],
    [[1, 3, 4, 5, 7, 8], '1,3-5,7,8'],
  ];
  for (const [indexes, text] of rows) {
    t.equal(formatIntervals(withIndexes([], indexes)), text, `format ${JSON.stringify(indexes)}`);
    t.equal(formatIntervals(parseIntervals(text, 100)), text, `parse ${text}`);
    t.equal(totalOf(parseIntervals(text, 100)), indexes.length);
  }
  t.equal(formatIntervals(parseIntervals('0-2,4-9,12', 6)), '0-2,4,5', 'indexes at or past completions are dropped');
  t.equal(formatIntervals(parseIntervals('0,x,2-y,3', 10)), '0,3', 'malformed parts are skipped');
  t.equal(formatIntervals(withIndexes(parseIntervals('0,4', 10), [1, 2, 3])), '0-4', 'neighbours merge');
  t.ok(hasIndex(parseIntervals('1,3-5', 10), 4));
  t.notOk(hasIndex(parseIntervals('1,3-5', 10), 2));
  t.same(firstPendingIndexes(parseIntervals('0-2', 10), [4, 4, -1], 3, 6), [3, 5]);
});

t.test('back-off: 10 s doubling per failure since the last success, capped at 6 min, counted from the failure time', async (t) => {
  const rows: [number, number, number][] = [
    // failures, ms since the last failure, remaining
    [0, 0, 0],
    [1, 0, 10_000],
    [1, 4_000, 6_000],
    [2, 0, 20_000],
    [3, 30_000, 10_000],
    [6, 0, 320_000],
    [7, 0, 360_000],
    [20, 60_000, 300_000],
    [1, 11_000, 0],
  ];
  for (const [failures, since, remaining] of rows) {
    t.equal(remainingBackoffMs({ failuresAfterLastSuccess: failures, lastFailureTime: T0 }, T0 + since), remaining, `${failures} failures, ${since} ms ago`);
  }
});

t.test('back-off record: failures add up, a later success resets them, failures after the success still count', async (t) => {
  const failedAt = (name: string, ms: number) => ({ ...pod(name, { phase: 'Failed', created: ms }) });
  const one = nextBackoffRecord(noFailures, [], [failedAt('f1', T0 + 1000)]);
  t.same(one, { failuresAfterLastSuccess: 1, lastFailureTime: T0 + 1000 });
  const two = nextBackoffRecord(one, [], [failedAt('f2', T0 + 3000), failedAt('f3', T0 + 2000)]);
  t.same(two, { failuresAfterLastSuccess: 3, lastFailureTime: T0 + 3000 });
  t.same(nextBackoffRecord(two, [pod('s', { phase: 'Succeeded', created: T0 + 5000 })], []), noFailures);
  const mixed = nextBackoffRecord(two, [pod('s', { phase: 'Succeeded', created: T0 + 5000 })], [failedAt('before', T0 + 4000), failedAt('after', T0 + 6000)]);
  t.same(mixed, { failuresAfterLastSuccess: 1, lastFailureTime: T0 + 6000 });
});

t.test('a pod finished when its containers finished, else when Ready turned False, else at deletion less grace, else at creation', async (t) => {
  const p = pod('p', { created: T0 });
  t.equal(podFinishedTime(p), T0);
  p.metadata!.deletionTimestamp = iso(T0 + 40_000);
  p.metadata!.deletionGracePeriodSeconds = 30;
  t.equal(podFinishedTime(p), T0 + 10_000);
  p.status!.conditions = [{ type: 'Ready', status: 'False', lastTransitionTime: iso(T0 + 5_000) }];
  t.equal(podFinishedTime(p), T0 + 5_000);
  p.status!.containerStatuses = [
    { name: 'a', image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, finishedAt: iso(T0 + 2_000) } } },
    { name: 'b', image: 'x', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 1, finishedAt: iso(T0 + 3_000) } } },
  ] as NonNullable<Pod['status']>['containerStatuses'];
  t.equal(podFinishedTime(p), T0 + 3_000);
});

t.test('failure: more failed pods than backoffLimit, or past activeDeadlineSeconds, gives FailureTarget with upstream reason and message', async (t) => {
  const over = decideFailure(job({ backoffLimit: 1 }), [], 2, T0);
  t.match(over.condition, { type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
  t.equal(decideFailure(job({ backoffLimit: 1 }), [], 1, T0).condition, undefined, 'at the limit is not over it');
  const started = job({ activeDeadlineSeconds: 10 }, { startTime: iso(T0) });
  t.match(decideFailure(started, [], 0, T0 + 10_000).condition, { type: 'FailureTarget', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' });
  t.same(decideFailure(started, [], 0, T0 + 4_000), { condition: undefined, recheckInMs: 6_000 }, 'before the deadline: look again when it passes');
  t.same(decideFailure(job({ activeDeadlineSeconds: 10, suspend: true }, { startTime: iso(T0) }), [], 0, T0 + 60_000), { condition: undefined, recheckInMs: undefined }, 'no deadline while suspended');
  const restarting = pod('r', { phase: 'Running' });
  restarting.status!.containerStatuses = [{ name: 'c', image: 'x', imageID: '', ready: true, restartCount: 2 }] as NonNullable<Pod['status']>['containerStatuses'];
  const onFailure = job({ backoffLimit: 2, template: { spec: { restartPolicy: 'OnFailure', containers: [] } } });
  t.match(decideFailure(onFailure, [restarting], 0, T0).condition, { reason: 'BackoffLimitExceeded' }, 'OnFailure counts container restarts');
});

t.test('a pod from the template: generateName, controller reference, tracking finalizer; Indexed adds index, hostname and JOB_COMPLETION_INDEX', async (t) => {
  const p = podForJob(job(), undefined);
  t.equal(p.metadata?.generateName, 'pi-');
  t.same(p.metadata?.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: 'job-uid', controller: true, blockOwnerDeletion: true }]);
  t.same(p.metadata?.finalizers, ['batch.kubernetes.io/job-tracking']);
  t.same(p.metadata?.labels, { 'job-name': 'pi' });
  const ix = podForJob(job({ completionMode: 'Indexed' }), 3);
  t.equal(ix.metadata?.generateName, 'pi-3-');
  t.equal(ix.metadata?.annotations?.['batch.kubernetes.io/job-completion-index'], '3');
  t.equal(ix.metadata?.labels?.['batch.kubernetes.io/job-completion-index'], '3');
  t.equal(ix.spec?.hostname, 'pi-3');
  t.same(ix.spec?.containers[0]?.env, [{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } } }]);
  t.notOk(job().spec?.template?.metadata?.labels?.['batch.kubernetes.io/job-completion-index'], 'the template is not changed');
});

t.test('TTL after finished: deleted ttlSecondsAfterFinished after the Complete or Failed transition; unfinished or without TTL: left', async (t) => {
  const finished = (type: string, ttl: number | undefined) => job({ ttlSecondsAfterFinished: ttl }, { conditions: [{ type, status: 'True', lastTransitionTime: iso(T0) }] });
  t.same(ttlDecision(finished('Complete', 30), T0 + 10_000), { action: 'wait', ms: 20_000 });
  t.same(ttlDecision(finished('Failed', 30), T0 + 30_000), { action: 'delete', expiredAt: T0 + 30_000 });
  t.same(ttlDecision(finished('Complete', 0), T0), { action: 'delete', expiredAt: T0 });
  t.same(ttlDecision(finished('SuccessCriteriaMet', 30), T0 + 60_000), { action: 'ignore' }, 'not finished yet');
  t.same(ttlDecision(finished('Complete', undefined), T0 + 60_000), { action: 'ignore' });
});
