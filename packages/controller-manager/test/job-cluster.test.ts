// The Job and TTL-after-finished controllers on a real cluster (etcd + API server), with the
// fake kubelet binding pods and marking them Running; the test itself ends each pod by writing
// its phase Succeeded or Failed, as a kubelet would when the container exits.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Event, Pod } from '@kubets/api';
import { type Informer, isNotFound, SharedInformerFactory } from '@kubets/client';
import { eventually, kubectlBinary } from '@kubets/testing';
import t from 'tap';
import type { ControllerDescriptor } from '../src/controller/controller.js';
import { JobController, jobControllerDescriptor, jobsResource, TtlAfterFinishedController, ttlAfterFinishedControllerDescriptor, type Job } from '../src/controllers/job/index.js';
import { eventsAbout, startControllerCluster, type ControllerCluster } from './util-cluster.js';

const run = promisify(execFile);
const finalizer = 'batch.kubernetes.io/job-tracking';
// Upstream batches pod events for 1 s; a shorter batch keeps the test quick.
const descriptors: ControllerDescriptor[] = [
  { ...jobControllerDescriptor, create: (ctx) => new JobController(ctx, { syncBatchPeriodMs: 100 }) },
  { ...ttlAfterFinishedControllerDescriptor, create: (ctx) => new TtlAfterFinishedController(ctx) },
];

let c: ControllerCluster;
let watcher: SharedInformerFactory;
let pods: Informer<Pod>;

t.before(async () => {
  c = await startControllerCluster(descriptors);
  watcher = new SharedInformerFactory(c.cluster.client);
  pods = watcher.informerFor<Pod>('pods');
  watcher.start();
  await watcher.waitForCacheSync();
});
t.teardown(async () => {
  await watcher?.shutdown();
  await c?.stop();
});

const client = () => c.cluster.client;

async function createJob(name: string, spec: Partial<NonNullable<Job['spec']>>): Promise<Job> {
  const template = { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['true'] }] } };
  return client().create<Job>(jobsResource, 'default', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name }, spec: { template, ...spec } });
}

const getJob = (name: string) => client().get<Job>(jobsResource, 'default', name);

function podsOf(job: Job): Pod[] {
  return pods.list('default').filter((p) => p.metadata?.ownerReferences?.some((r) => r.uid === job.metadata?.uid));
}

const isActivePod = (p: Pod) => p.metadata?.deletionTimestamp === undefined && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

function condition(job: Job, type: string) {
  return job.status?.conditions?.find((x) => x.type === type && x.status === 'True');
}

/** Ends a running pod as its container's exit would: phase Succeeded or Failed, Ready False. */
async function finishPod(p: Pod, phase: 'Succeeded' | 'Failed'): Promise<void> {
  const fresh = await client().get<Pod>('pods', 'default', p.metadata!.name!);
  fresh.status = { ...fresh.status, phase, conditions: (fresh.status?.conditions ?? []).map((x) => (x.type === 'Ready' ? { ...x, status: 'False' } : x)) };
  await client().updateStatus('pods', 'default', fresh);
}

/** Ends every running pod of the Job with `phase` until `done` holds. */
async function finishRunningPodsUntil(job: Job, phase: 'Succeeded' | 'Failed', done: (j: Job) => boolean, timeoutMs = 20_000): Promise<Job> {
  let latest = job;
  const ended = new Set<string>();
  await eventually(async () => {
    latest = await getJob(job.metadata!.name!);
    if (done(latest)) return true;
    for (const p of podsOf(job)) {
      if (p.status?.phase !== 'Running' || p.metadata?.deletionTimestamp !== undefined || ended.has(p.metadata!.uid!)) continue;
      ended.add(p.metadata!.uid!);
      await finishPod(p, phase);
    }
    return false;
  }, `job ${job.metadata?.name} to reach its state`, timeoutMs);
  return latest;
}

async function reasons(name: string): Promise<Event[]> {
  return eventsAbout(client(), name);
}

t.test('a 5-completion, parallelism-2 Job completes with never more than 2 active pods', async (t) => {
  const job = await createJob('five', { completions: 5, parallelism: 2 });
  let maxActive = 0;
  const reg = pods.addEventHandler({ onAdd: () => (maxActive = Math.max(maxActive, podsOf(job).filter(isActivePod).length)), onUpdate: () => (maxActive = Math.max(maxActive, podsOf(job).filter(isActivePod).length)) });
  const done = await finishRunningPodsUntil(job, 'Succeeded', (j) => condition(j, 'Complete') !== undefined);
  reg.remove();
  t.equal(maxActive, 2, 'two at a time, never more');
  t.equal(done.status?.succeeded, 5);
  t.equal(done.status?.active ?? 0, 0);
  t.ok(condition(done, 'SuccessCriteriaMet'), 'the interim SuccessCriteriaMet condition came first');
  t.ok(done.status?.completionTime, 'completionTime is set');
  t.same(done.status?.uncountedTerminatedPods ?? {}, {});
  await eventually(() => podsOf(job).length === 5 && podsOf(job).every((p) => !p.metadata?.finalizers?.includes(finalizer)), 'finalizers removed from every pod');
  await eventually(async () => (await reasons('five')).some((e) => e.reason === 'Completed'), 'Completed event');
  const events = await reasons('five');
  t.equal(events.filter((e) => e.reason === 'SuccessfulCreate').length, 5);
  t.ok(events.every((e) => e.reason !== 'SuccessfulCreate' || /^Created pod: five-[a-z0-9]{5}$/.test(e.message ?? '')), 'Created pod: <name>');
  t.equal(events.find((e) => e.reason === 'Completed')?.message, 'Job completed');
});

t.test('failures beyond backoffLimit fail the Job with BackoffLimitExceeded', async (t) => {
  const job = await createJob('flaky', { completions: 4, parallelism: 2, backoffLimit: 1 });
  const done = await finishRunningPodsUntil(job, 'Failed', (j) => condition(j, 'Failed') !== undefined);
  t.equal(condition(done, 'Failed')?.reason, 'BackoffLimitExceeded');
  t.equal(condition(done, 'Failed')?.message, 'Job has reached the specified backoff limit');
  t.equal(condition(done, 'FailureTarget')?.reason, 'BackoffLimitExceeded', 'FailureTarget came first');
  t.equal(done.status?.failed, 2);
  t.notOk(done.status?.completionTime);
  await eventually(() => podsOf(job).every((p) => !p.metadata?.finalizers?.includes(finalizer)), 'finalizers removed');
  await eventually(async () => (await reasons('flaky')).some((e) => e.reason === 'BackoffLimitExceeded' && e.type === 'Warning'), 'BackoffLimitExceeded event');
});

t.test('an Indexed Job runs each index once, with its index label, annotation, hostname and env', async (t) => {
  const job = await createJob('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' });
  await eventually(() => podsOf(job).length === 3, 'three pods');
  const byIndex = new Map(podsOf(job).map((p) => [p.metadata?.annotations?.['batch.kubernetes.io/job-completion-index'], p]));
  t.same([...byIndex.keys()].sort(), ['0', '1', '2'], 'one pod per index');
  const p1 = byIndex.get('1')!;
  t.equal(p1.metadata?.labels?.['batch.kubernetes.io/job-completion-index'], '1');
  t.equal(p1.spec?.hostname, 'idx-1');
  t.match(p1.metadata?.name, /^idx-1-[a-z0-9]{5}$/);
  t.equal(p1.spec?.containers[0]?.env?.find((e) => e.name === 'JOB_COMPLETION_INDEX')?.valueFrom?.fieldRef?.fieldPath, "metadata.labels['batch.kubernetes.io/job-completion-index']");
  const done = await finishRunningPodsUntil(job, 'Succeeded', (j) => condition(j, 'Complete') !== undefined);
  t.equal(done.status?.completedIndexes, '0-2');
  t.equal(done.status?.succeeded, 3);
  t.equal(podsOf(job).length, 3, 'no index ran twice');
});

t.test('activeDeadlineSeconds fails the Job with DeadlineExceeded and deletes its active pods', async (t) => {
  const job = await createJob('slow', { completions: 1, parallelism: 1, activeDeadlineSeconds: 2 });
  await eventually(() => podsOf(job).some((p) => p.status?.phase === 'Running'), 'the pod runs');
  await eventually(async () => condition(await getJob('slow'), 'Failed') !== undefined, 'Failed', 15_000);
  const done = await getJob('slow');
  t.equal(condition(done, 'Failed')?.reason, 'DeadlineExceeded');
  t.equal(condition(done, 'Failed')?.message, 'Job was active longer than specified deadline');
  t.equal(done.status?.failed, 1, 'the deleted pod counts as failed');
  t.equal(done.status?.active ?? 0, 0);
  await eventually(() => podsOf(job).length === 0, 'the pod is gone');
  const events = await reasons('slow');
  t.ok(events.some((e) => e.reason === 'SuccessfulDelete' && /^Deleted pod: slow-/.test(e.message ?? '')));
  t.ok(events.some((e) => e.reason === 'DeadlineExceeded' && e.type === 'Warning'));
});

t.test('a suspended Job runs no pods and says so; resumed, it runs them', async (t) => {
  const job = await createJob('paused', { completions: 1, parallelism: 1, suspend: true });
  await eventually(async () => condition(await getJob('paused'), 'Suspended')?.reason === 'JobSuspended', 'Suspended condition');
  t.equal(podsOf(job).length, 0);
  t.notOk((await getJob('paused')).status?.startTime, 'no startTime while suspended');
  await client().patch(jobsResource, 'default', 'paused', { spec: { suspend: false } });
  await eventually(() => podsOf(job).length === 1, 'a pod after resuming');
  await eventually(async () => (await getJob('paused')).status?.active === 1, 'the status counts it');
  const resumed = await getJob('paused');
  t.match(resumed.status?.conditions?.find((x) => x.type === 'Suspended'), { status: 'False', reason: 'JobResumed', message: 'Job resumed' });
  t.ok(resumed.status?.startTime);
});

t.test('ttlSecondsAfterFinished deletes the finished Job', async (t) => {
  const job = await createJob('short-lived', { completions: 1, ttlSecondsAfterFinished: 1 });
  await finishRunningPodsUntil(job, 'Succeeded', (j) => condition(j, 'Complete') !== undefined);
  await eventually(async () => {
    try {
      await getJob('short-lived');
      return false;
    } catch (e) {
      if (isNotFound(e)) return true;
      throw e;
    }
  }, 'the Job deleted', 15_000);
  t.pass('deleted');
});

t.test('kubectl wait --for=condition=complete returns once the Job completes', async (t) => {
  const job = await createJob('waited', { completions: 1 });
  const waiting = run(kubectlBinary(), ['--kubeconfig', c.cluster.kubeconfig, 'wait', '--for=condition=complete', 'job/waited', '--timeout=30s']);
  await finishRunningPodsUntil(job, 'Succeeded', (j) => condition(j, 'Complete') !== undefined);
  const { stdout } = await waiting;
  t.equal(stdout.trim(), 'job.batch/waited condition met');
});
