// The status the kubelet reports: phase, conditions and container states from the pod, the
// runtime and the probes (upstream's generateAPIPodStatus and getPhase).
import t from 'tap';
import type { Pod } from '@kubets/api';
import { generatePodStatus, type StatusInput } from '../src/status/generate.js';
import { qosClass } from '../src/status/phase.js';
import type { ContainerStatus } from '../src/runtime/types.js';

const sandbox = { id: 's1', state: 'ready' as const, createdAt: 1, config: { uid: 'u1', name: 'web', namespace: 'default', attempt: 0, hostname: 'web', podIP: '127.64.0.2', logDirectory: '/x', labels: {}, annotations: {} } };
const T = Date.parse('2026-12-06T10:00:00Z');

function run(name: string, attempt: number, state: ContainerStatus['state'], extra: Partial<ContainerStatus> = {}): ContainerStatus {
  return { id: `${name}-${attempt}`, sandboxId: 's1', name, attempt, state, createdAt: T, startedAt: T + 1000, finishedAt: state === 'exited' ? T + 5000 : 0, image: 'busybox', imageRef: 'kubets-process://busybox', logPath: '/l', labels: {}, annotations: {}, ...extra };
}

function input(spec: Partial<NonNullable<Pod['spec']>>, containers: ContainerStatus[], over: Partial<StatusInput> = {}): StatusInput {
  return {
    pod: { metadata: { name: 'web', namespace: 'default', uid: 'u1' }, spec: { containers: [{ name: 'app', image: 'busybox' }], ...spec } },
    state: { sandbox, containers },
    waiting: {},
    isReady: () => true,
    isStarted: () => true,
    podIPs: ['127.64.0.2'],
    hostIPs: ['127.0.1.1'],
    runtimeName: 'kubets-process',
    now: new Date(T + 10_000),
    ...over,
  };
}

const cond = (s: ReturnType<typeof generatePodStatus>, type: string) => s.conditions?.find((c) => c.type === type);

t.test('a running, ready container: Running, every condition True, addresses and ids as the API shows them', async (t) => {
  const s = generatePodStatus(input({}, [run('app', 0, 'running')]));
  t.equal(s.phase, 'Running');
  for (const type of ['PodScheduled', 'PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready']) t.equal(cond(s, type)?.status, 'True', type);
  t.equal(s.podIP, '127.64.0.2');
  t.same(s.podIPs, [{ ip: '127.64.0.2' }]);
  t.equal(s.hostIP, '127.0.1.1');
  t.same(s.containerStatuses![0], { name: 'app', state: { running: { startedAt: '2026-12-06T10:00:01Z' } }, lastState: {}, ready: true, restartCount: 0, image: 'busybox', imageID: 'kubets-process://busybox', started: true, containerID: 'kubets-process://app-0' });
  t.equal(s.qosClass, 'BestEffort');
});

t.test('not ready: ContainersReady and Ready False with upstream\'s reason and message', async (t) => {
  const s = generatePodStatus(input({}, [run('app', 0, 'running')], { isReady: () => false }));
  t.match(cond(s, 'Ready'), { status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' });
  t.equal(s.containerStatuses![0]!.ready, false);
});

t.test('before anything ran: Pending, ContainerCreating (PodInitializing behind init containers)', async (t) => {
  t.same(generatePodStatus(input({}, [])).containerStatuses![0]!.state, { waiting: { reason: 'ContainerCreating' } });
  const s = generatePodStatus(input({ initContainers: [{ name: 'init', image: 'busybox' }] }, []));
  t.equal(s.phase, 'Pending');
  t.same(s.containerStatuses![0]!.state, { waiting: { reason: 'PodInitializing' } });
  t.same(s.initContainerStatuses![0]!.state, { waiting: { reason: 'PodInitializing' } });
  t.match(cond(s, 'Initialized'), { status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [init]' });
});

t.test('a crash loop: waiting CrashLoopBackOff, lastState the failed run, restartCount its attempt', async (t) => {
  const s = generatePodStatus(input({}, [run('app', 2, 'exited', { exitCode: 1, reason: 'Error' })], { waiting: { app: { reason: 'CrashLoopBackOff', message: 'back-off 20s restarting failed container=app pod=web_default(u1)' } } }));
  const c = s.containerStatuses![0]!;
  t.equal(c.state?.waiting?.reason, 'CrashLoopBackOff');
  t.match(c.lastState?.terminated, { exitCode: 1, reason: 'Error', containerID: 'kubets-process://app-2' });
  t.equal(c.restartCount, 2);
  t.equal(s.phase, 'Running', 'a container waiting to restart counts as stopped, and Always keeps the pod Running');
});

t.test('finished pods: Succeeded when all exit 0 under Never/OnFailure, Failed when one fails under Never', async (t) => {
  const done = (code: number, policy: 'Never' | 'OnFailure') => generatePodStatus(input({ restartPolicy: policy }, [run('app', 0, 'exited', { exitCode: code, reason: code === 0 ? 'Completed' : 'Error' })]));
  t.equal(done(0, 'Never').phase, 'Succeeded');
  t.equal(done(0, 'OnFailure').phase, 'Succeeded');
  t.equal(done(3, 'Never').phase, 'Failed');
  t.match(cond(done(0, 'Never'), 'Ready'), { status: 'False', reason: 'PodCompleted' });
  t.match(done(3, 'Never').containerStatuses![0]!.state?.terminated, { exitCode: 3, reason: 'Error', startedAt: '2026-12-06T10:00:01Z', finishedAt: '2026-12-06T10:00:05Z' });
});

t.test('a signal is reported by number; lastTransitionTime holds while a condition holds', async (t) => {
  const killed = generatePodStatus(input({ restartPolicy: 'Never' }, [run('app', 0, 'exited', { exitCode: 137, signal: 'SIGKILL', reason: 'Error' })]));
  t.equal(killed.containerStatuses![0]!.state?.terminated?.signal, 9);
  const first = generatePodStatus(input({}, [run('app', 0, 'running')]));
  const later = generatePodStatus(input({}, [run('app', 0, 'running')], { now: new Date(T + 60_000), pod: { metadata: { name: 'web', namespace: 'default', uid: 'u1' }, spec: { containers: [{ name: 'app', image: 'busybox' }] }, status: first } }));
  t.same(later.conditions, first.conditions);
  t.equal(later.startTime, first.startTime);
});

t.test('QoS class as upstream computes it', async (t) => {
  const q = (resources: Record<string, Record<string, string>>) => qosClass({ spec: { containers: [{ name: 'a', image: 'x', resources }] } });
  t.equal(q({}), 'BestEffort');
  t.equal(q({ limits: { cpu: '1', memory: '1Gi' } }), 'Guaranteed', 'requests default to limits');
  t.equal(q({ requests: { cpu: '1000m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }), 'Guaranteed', 'equal quantities, different spellings');
  t.equal(q({ requests: { cpu: '100m' } }), 'Burstable');
});
