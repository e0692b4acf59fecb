// What `kubets status` says of nodes and pods, checked against what kubectl's printNode and
// printPod say of the same objects.
import t from 'tap';
import type { ContainerStatus, Node, Pod } from '@kubets/api';
import { nodeRow, podRow } from '../src/status/object-rows.js';
import { renderStatus } from '../src/status/render.js';
import type { StatusReport } from '../src/status/report.js';

const now = Date.parse('2026-12-06T12:00:00Z');
const ago = (s: number) => new Date(now - s * 1000).toISOString();

function node(ready: 'True' | 'False' | 'Unknown' | undefined, extra: Partial<Node['spec']> = {}): Node {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name: 'node-1', creationTimestamp: ago(90) },
    spec: { podCIDR: '127.64.0.0/24', ...extra },
    status: {
      addresses: [{ type: 'Hostname', address: 'node-1' }, { type: 'InternalIP', address: '127.0.1.1' }],
      ...(ready !== undefined ? { conditions: [{ type: 'Ready', status: ready }] } : {}),
    },
  } as Node;
}

const running = (name: string, ready: boolean, restartCount = 0): ContainerStatus => ({ name, ready, restartCount, image: 'busybox', imageID: '', state: { running: { startedAt: ago(10) } } });
const waiting = (name: string, reason: string, restartCount = 0): ContainerStatus => ({ name, ready: false, restartCount, image: 'busybox', imageID: '', state: { waiting: { reason } } });
const ended = (name: string, exitCode: number, reason?: string, signal?: number): ContainerStatus => ({
  name, ready: false, restartCount: 0, image: 'busybox', imageID: '', state: { terminated: { exitCode, ...(reason !== undefined ? { reason } : {}), ...(signal !== undefined ? { signal } : {}) } },
});

function pod(status: Pod['status'], o: { containers?: number; init?: number; deleting?: boolean } = {}): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { namespace: 'default', name: 'web', creationTimestamp: ago(30), ...(o.deleting === true ? { deletionTimestamp: ago(1) } : {}) },
    spec: {
      nodeName: 'node-1',
      containers: Array.from({ length: o.containers ?? 1 }, (_, i) => ({ name: `c${i}`, image: 'busybox' })),
      ...(o.init !== undefined ? { initContainers: Array.from({ length: o.init }, (_, i) => ({ name: `i${i}`, image: 'busybox' })) } : {}),
    },
    status,
  } as Pod;
}

t.test('a node: Ready, NotReady or Unknown from its Ready condition, SchedulingDisabled when cordoned, its InternalIP, pod CIDR and age', async (t) => {
  t.same(nodeRow(node('True'), now), { name: 'node-1', status: 'Ready', ready: true, address: '127.0.1.1', podCidr: '127.64.0.0/24', ageSeconds: 90 });
  t.equal(nodeRow(node('False'), now).status, 'NotReady');
  t.equal(nodeRow(node('Unknown'), now).status, 'NotReady', 'kubectl: anything but True is Not<type>');
  t.equal(nodeRow(node(undefined), now).status, 'Unknown', 'no Ready condition yet');
  t.equal(nodeRow(node('True', { unschedulable: true }), now).status, 'Ready,SchedulingDisabled');
});

t.test('a pod: its phase, unless a container says more', async (t) => {
  t.same(podRow(pod({ phase: 'Running', podIP: '127.64.0.2', containerStatuses: [running('c0', true, 2)] }), now), {
    namespace: 'default', name: 'web', phase: 'Running', status: 'Running', readyContainers: 1, containers: 1, restarts: 2, podIp: '127.64.0.2', node: 'node-1', ageSeconds: 30,
  });
  t.equal(podRow(pod({ phase: 'Pending' }), now).status, 'Pending', 'no status from a kubelet yet');
  t.equal(podRow(pod({ phase: 'Running', containerStatuses: [running('c0', true), waiting('c1', 'CrashLoopBackOff', 4)] }, { containers: 2 }), now).status, 'CrashLoopBackOff');
  const crash = podRow(pod({ phase: 'Running', containerStatuses: [running('c0', true), waiting('c1', 'CrashLoopBackOff', 4)] }, { containers: 2 }), now);
  t.same([crash.readyContainers, crash.containers, crash.restarts], [1, 2, 4]);
  t.equal(podRow(pod({ phase: 'Pending', containerStatuses: [waiting('c0', 'ErrImagePull')] }), now).status, 'ErrImagePull');
  t.equal(podRow(pod({ phase: 'Succeeded', containerStatuses: [ended('c0', 0, 'Completed')] }), now).status, 'Completed');
  t.equal(podRow(pod({ phase: 'Failed', containerStatuses: [ended('c0', 137, undefined, 9)] }), now).status, 'Signal:9');
  t.equal(podRow(pod({ phase: 'Failed', containerStatuses: [ended('c0', 2)] }), now).status, 'ExitCode:2');
  t.equal(podRow(pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [running('c0', true), ended('c1', 0, 'Completed')] }, { containers: 2 }), now).status,
    'Running', 'one container completed beside a running one: still Running');
  t.equal(podRow(pod({ phase: 'Failed', reason: 'Evicted' }), now).status, 'Evicted', "the pod's own reason");
  t.equal(podRow(pod({ phase: 'Running', containerStatuses: [running('c0', true)] }, { deleting: true }), now).status, 'Terminating');
  t.equal(podRow(pod({ phase: 'Running', reason: 'NodeLost' }, { deleting: true }), now).status, 'Unknown');
});

t.test('a pod with init containers: Init:<done>/<all>, or the first one that has not succeeded', async (t) => {
  const init = (statuses: ContainerStatus[]) => podRow(pod({ phase: 'Pending', initContainerStatuses: statuses, containerStatuses: [waiting('c0', 'PodInitializing')] }, { init: 2 }), now);
  t.equal(init([running('i0', false), waiting('i1', 'PodInitializing')]).status, 'Init:0/2');
  t.equal(init([ended('i0', 0, 'Completed'), running('i1', false)]).status, 'Init:1/2');
  t.equal(init([ended('i0', 1, 'Error'), waiting('i1', 'PodInitializing')]).status, 'Init:Error');
  t.equal(init([waiting('i0', 'CrashLoopBackOff', 3), waiting('i1', 'PodInitializing')]).status, 'Init:CrashLoopBackOff');
  t.equal(init([waiting('i0', 'CrashLoopBackOff', 3), waiting('i1', 'PodInitializing')]).restarts, 3, 'restarts of the init containers while they run');
  const done = podRow(pod({
    phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }],
    initContainerStatuses: [ended('i0', 0, 'Completed'), ended('i1', 0, 'Completed')], containerStatuses: [running('c0', true)],
  }, { init: 2 }), now);
  t.equal(done.status, 'Running');
});

t.test('kubets status lists the nodes and the pods, at most podsListed pods', async (t) => {
  const pods = Array.from({ length: 22 }, (_, i) => podRow({ ...pod({ phase: 'Running', podIP: `127.64.0.${i + 2}`, containerStatuses: [running('c0', true)] }), metadata: { namespace: 'default', name: `p${i}`, creationTimestamp: ago(5) } } as Pod, now));
  const report: StatusReport = {
    name: 'kubets', dataDir: '/d', exists: true, running: true, phase: 'running', supervisorPid: 1, uptimeSeconds: 60, kubeconfig: '/d/kubeconfig',
    processes: [], etcd: { mode: 'kubets', members: [], servers: [] }, apiservers: { ready: 1, total: 1 },
    objects: { reachable: true, leaders: {}, nodes: [nodeRow(node('True'), now), { ...nodeRow(node('Unknown'), now), name: 'node-2', address: '127.0.1.2' }], pods, podsByPhase: { Running: 22 } },
  };
  const text = renderStatus(report);
  t.match(text, /nodes: 1\/2 ready/);
  t.match(text, /NODE\s+STATUS\s+ADDRESS\s+POD CIDR\s+AGE\n/);
  t.match(text, /node-1\s+Ready\s+127\.0\.1\.1\s+127\.64\.0\.0\/24\s+90s\n/);
  t.match(text, /node-2\s+NotReady\s+127\.0\.1\.2/);
  t.match(text, /POD\s+STATUS\s+READY\s+RESTARTS\s+POD IP\s+NODE\s+AGE\n/);
  t.match(text, /default\/p0\s+Running\s+1\/1\s+0\s+127\.64\.0\.2\s+node-1\s+5s\n/);
  t.notMatch(text, /default\/p20\b/, 'the 21st pod is counted, not listed');
  t.match(text, /\.\.\. and 2 more \(kubectl get pods -A -o wide\)/);
});
