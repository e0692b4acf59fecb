// computePodActions: what one sync of a pod does, from the pod and what the runtime has. Each case
// names the kubelet rule it checks.
import t from 'tap';
import type { Pod } from '@kubets/api';
import { computePodActions, type DecisionContext, type StartFailure } from '../src/pod/actions.js';
import { Backoff, formatBackoff } from '../src/pod/backoff.js';
import type { PodRuntimeState } from '../src/pod/runtime-state.js';
import type { ContainerStatus } from '../src/runtime/types.js';

const pod = (spec: Partial<NonNullable<Pod['spec']>> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', uid: 'u1' },
  spec: { containers: [{ name: 'app', image: 'busybox' }], ...spec },
});

const sandbox = { id: 's1', state: 'ready' as const, createdAt: 1, config: { uid: 'u1', name: 'web', namespace: 'default', attempt: 0, hostname: 'web', podIP: '127.64.0.2', logDirectory: '/x', labels: {}, annotations: {} } };

function run(name: string, attempt: number, state: ContainerStatus['state'], extra: Partial<ContainerStatus> = {}): ContainerStatus {
  return { id: `${name}-${attempt}`, sandboxId: 's1', name, attempt, state, createdAt: 1, startedAt: 2, finishedAt: state === 'exited' ? 3 : 0, image: 'busybox', imageRef: 'x', logPath: '/l', labels: {}, annotations: {}, ...extra };
}

function ctx(over: Partial<DecisionContext> = {}): DecisionContext {
  return { nowMs: 10_000, backoffRemainingMs: () => 0, backoffMs: () => 0, livenessFailure: () => undefined, startFailures: new Map(), ...over };
}

const withSandbox = (...containers: ContainerStatus[]): PodRuntimeState => ({ sandbox, containers });

t.test('a new pod gets a sandbox and all its app containers at once', async (t) => {
  const a = computePodActions(pod({ containers: [{ name: 'a', image: 'busybox' }, { name: 'b', image: 'busybox' }] }), { containers: [] }, ctx());
  t.equal(a.createSandbox, true);
  t.same(a.start.map((s) => [s.container.name, s.attempt, s.init]), [['a', 0, false], ['b', 0, false]]);
});

t.test('init containers run one at a time, in order, each to success, before any app container', async (t) => {
  const p = pod({ initContainers: [{ name: 'i1', image: 'busybox' }, { name: 'i2', image: 'busybox' }] });
  t.same(computePodActions(p, withSandbox(), ctx()).start.map((s) => s.container.name), ['i1']);
  t.same(computePodActions(p, withSandbox(run('i1', 0, 'running')), ctx()).start, [], 'nothing while i1 runs');
  t.same(computePodActions(p, withSandbox(run('i1', 0, 'exited', { exitCode: 0 })), ctx()).start.map((s) => s.container.name), ['i2']);
  const done = withSandbox(run('i1', 0, 'exited', { exitCode: 0 }), run('i2', 0, 'exited', { exitCode: 0 }));
  t.same(computePodActions(p, done, ctx()).start.map((s) => s.container.name), ['app']);
});

t.test('a failed init container is retried (Always, OnFailure) or ends the pod (Never)', async (t) => {
  const failed = withSandbox(run('i1', 0, 'exited', { exitCode: 1 }));
  const always = computePodActions(pod({ initContainers: [{ name: 'i1', image: 'busybox' }] }), failed, ctx());
  t.same(always.start.map((s) => [s.container.name, s.attempt]), [['i1', 1]]);
  const never = computePodActions(pod({ restartPolicy: 'Never', initContainers: [{ name: 'i1', image: 'busybox' }] }), failed, ctx());
  t.same(never.start, []);
});

t.test('restartPolicy decides which exited containers start again', async (t) => {
  const exited = (code: number) => withSandbox(run('app', 0, 'exited', { exitCode: code }));
  t.equal(computePodActions(pod({ restartPolicy: 'Always' }), exited(0), ctx()).start.length, 1, 'Always restarts a success');
  t.equal(computePodActions(pod({ restartPolicy: 'OnFailure' }), exited(0), ctx()).start.length, 0, 'OnFailure leaves a success');
  t.equal(computePodActions(pod({ restartPolicy: 'OnFailure' }), exited(2), ctx()).start.length, 1, 'OnFailure restarts a failure');
  t.equal(computePodActions(pod({ restartPolicy: 'Never' }), exited(2), ctx()).start.length, 0, 'Never restarts nothing');
  t.equal(computePodActions(pod(), exited(1), ctx()).start[0]!.attempt, 1, 'the next attempt');
});

t.test('a restart waits out the back-off as CrashLoopBackOff, and the worker syncs again when it ends', async (t) => {
  const a = computePodActions(pod(), withSandbox(run('app', 3, 'exited', { exitCode: 1, finishedAt: 9_000 })), ctx({ backoffRemainingMs: () => 19_000, backoffMs: () => 20_000 }));
  t.same(a.start, []);
  t.equal(a.waiting.app?.reason, 'CrashLoopBackOff');
  t.equal(a.waiting.app?.message, 'back-off 20s restarting failed container=app pod=web_default(u1)');
  t.equal(a.resyncAfterMs, 19_000);
});

t.test('the back-off: first restart at once, then 10 s doubling to 5 minutes, reset after 10 minutes', async (t) => {
  const b = new Backoff();
  t.equal(b.remainingMs('k', 0, 0), 0, 'no entry: restart at once');
  b.next('k', 0);
  t.equal(b.remainingMs('k', 1_000, 1_000), 10_000, 'the next exit waits 10 s');
  const waits: number[] = [];
  let at = 1_000;
  for (let i = 0; i < 7; i++) {
    b.next('k', at);
    waits.push(b.current('k'));
    at += b.current('k');
  }
  t.same(waits, [20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  t.equal(b.remainingMs('k', at + 601_000, at + 601_000), 0, 'ten minutes of running reset it');
  b.next('k', at + 601_000);
  t.equal(b.current('k'), 10_000);
  t.equal(formatBackoff(10_000), '10s');
  t.equal(formatBackoff(80_000), '1m20s');
  t.equal(formatBackoff(300_000), '5m0s');
});

t.test('a liveness or startup failure kills the running container; a changed image too', async (t) => {
  const running = withSandbox(run('app', 0, 'running'));
  const live = computePodActions(pod(), running, ctx({ livenessFailure: () => 'Container app failed liveness probe, will be restarted' }));
  t.same(live.kill, [{ containerId: 'app-0', name: 'app', message: 'Container app failed liveness probe, will be restarted' }]);
  t.same(live.start, [], 'started again by the sync that sees it exited');
  const startup = computePodActions(pod(), running, ctx({ livenessFailure: () => 'Container app failed startup probe, will be restarted' }));
  t.equal(startup.kill[0]!.message, 'Container app failed startup probe, will be restarted');
  const changed = computePodActions(pod({ containers: [{ name: 'app', image: 'node:20' }] }), running, ctx());
  t.equal(changed.kill[0]!.message, 'Container app definition changed, will be restarted');
  t.same(computePodActions(pod(), running, ctx()).kill, [], 'a healthy container is left alone');
});

t.test('a start that failed waits its back-off with its own reason (ErrImagePull becomes ImagePullBackOff)', async (t) => {
  const failures = new Map<string, StartFailure>([['app', { reason: 'ErrImagePull', message: 'image "nope" is not in the table', atMs: 9_000 }]]);
  const waiting = computePodActions(pod(), withSandbox(), ctx({ startFailures: failures, backoffRemainingMs: () => 5_000 }));
  t.same(waiting.start, []);
  t.same(waiting.waiting.app, { reason: 'ImagePullBackOff', message: 'image "nope" is not in the table' });
  const config = new Map<string, StartFailure>([['app', { reason: 'CreateContainerConfigError', message: 'configmap "c" not found', atMs: 9_000 }]]);
  t.equal(computePodActions(pod(), withSandbox(), ctx({ startFailures: config, backoffRemainingMs: () => 5_000 })).waiting.app?.reason, 'CreateContainerConfigError');
  t.equal(computePodActions(pod(), withSandbox(), ctx({ startFailures: failures })).start.length, 1, 'tried again once the back-off ends');
});

t.test('a Never pod whose containers ran gets no new sandbox', async (t) => {
  const gone: PodRuntimeState = { containers: [run('app', 0, 'exited', { exitCode: 0 })] };
  const a = computePodActions(pod({ restartPolicy: 'Never' }), gone, ctx());
  t.equal(a.createSandbox, false);
  t.same(a.start, []);
});
