// The Node the kubelet registers and the status it reports, as pure functions: registration
// fields, allocatable, labels and taints, condition transitions with upstream's reasons, and what
// counts as a change worth writing.
import t from 'tap';
import { nextConditions } from '../src/node/conditions.js';
import { goArch, osImageFrom } from '../src/node/machine-info.js';
import { defaultLabelsPatch, desiredStatus, initialNode, kubeletVersion, type NodeSettings, nodeStatusChanged } from '../src/node/node-object.js';
import { allocatableOf, machineCapacity } from '../src/node/resources.js';
import type { MachineInfo } from '../src/node/types.js';

const Gi = 1024 ** 3;
const machine: MachineInfo = {
  cpuCores: 4, memoryBytes: 8 * Gi, ephemeralStorageBytes: 100 * Gi, machineID: 'm-1', systemUUID: 'u-1', bootID: 'b-1',
  kernelVersion: '6.1.0', osImage: 'Debian GNU/Linux 12 (bookworm)', operatingSystem: 'linux', architecture: 'amd64',
};
const settings: NodeSettings = {
  nodeName: 'node-a', hostname: 'node-a', nodeIP: '127.0.1.1', port: 10250, labels: { tier: 'edge' }, taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }],
  maxPods: 110, capacityOverrides: {}, systemReserved: {}, kubeReserved: {}, runtimeVersion: 'kubets-process://0.1.0',
};
const healthy = { pressure: { memory: false, disk: false, pid: false }, notReadyReason: undefined };
const T0 = '2026-12-01T00:00:00Z';
const T1 = '2026-12-01T00:00:10Z';

t.test('the registered Node carries labels, taints, addresses, capacity, nodeInfo and the kubelet port', async (t) => {
  const node = initialNode(settings, machine, healthy, T0);
  t.equal(node.metadata?.name, 'node-a');
  t.same(node.metadata?.labels, {
    'kubernetes.io/hostname': 'node-a', 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64', tier: 'edge',
  });
  t.same(node.spec?.taints, [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }]);
  t.same(node.status?.addresses, [{ type: 'InternalIP', address: '127.0.1.1' }, { type: 'Hostname', address: 'node-a' }]);
  t.same(node.status?.capacity, { cpu: '4', memory: '8Gi', 'ephemeral-storage': '100Gi', pods: '110' });
  t.same(node.status?.daemonEndpoints, { kubeletEndpoint: { Port: 10250 } });
  t.same(node.status?.nodeInfo, {
    machineID: 'm-1', systemUUID: 'u-1', bootID: 'b-1', kernelVersion: '6.1.0', osImage: 'Debian GNU/Linux 12 (bookworm)', containerRuntimeVersion: 'kubets-process://0.1.0',
    kubeletVersion, kubeProxyVersion: kubeletVersion, operatingSystem: 'linux', architecture: 'amd64',
  });
  t.same(node.status?.conditions?.map((c) => [c.type, c.status, c.reason]), [
    ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'], ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'], ['PIDPressure', 'False', 'KubeletHasSufficientPID'], ['Ready', 'True', 'KubeletReady'],
  ]);
  t.same(initialNode({ ...settings, taints: [] }, machine, healthy, T0).spec, {}, 'no taints, no taints field');
  t.equal(initialNode({ ...settings, labels: { 'kubernetes.io/hostname': 'other' } }, machine, healthy, T0).metadata?.labels?.['kubernetes.io/hostname'], 'other', '--node-labels win, as upstream');
});

t.test('allocatable is capacity less system-reserved, kube-reserved and the hard eviction thresholds', async (t) => {
  const capacity = machineCapacity(machine, 110, { pods: '50' });
  t.same(capacity, { cpu: '4', memory: '8Gi', 'ephemeral-storage': '100Gi', pods: '50' }, 'a flag replaces a machine figure');
  t.same(allocatableOf(capacity, [{}, {}]), { cpu: '4', memory: '8092Mi', 'ephemeral-storage': '90Gi', pods: '50' }, 'memory.available 100Mi, nodefs.available 10%');
  t.same(allocatableOf(capacity, [{ cpu: '500m', memory: '1Gi' }, { cpu: '250m', memory: '512Mi', pods: '10' }]), { cpu: '3250m', memory: '6556Mi', 'ephemeral-storage': '90Gi', pods: '40' });
  t.same(allocatableOf({ cpu: '1', memory: '50Mi' }, [{ cpu: '2' }]), { cpu: '0', memory: '0' }, 'never below zero');
});

t.test('pressure and readiness conditions move with upstream reasons, messages and times', async (t) => {
  const first = nextConditions(undefined, healthy, T0);
  t.same(first.transitions.map((x) => x.event), ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID'], 'no NodeReady event for the first Ready');
  const ready = first.conditions.find((c) => c.type === 'Ready')!;
  t.same(ready, { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: T0, lastTransitionTime: T0 });

  const sick = nextConditions(first.conditions, { pressure: { memory: true, disk: true, pid: true }, notReadyReason: 'container runtime is down' }, T1);
  const byType = Object.fromEntries(sick.conditions.map((c) => [c.type, c]));
  t.same([byType.MemoryPressure!.reason, byType.MemoryPressure!.message], ['KubeletHasInsufficientMemory', 'kubelet has insufficient memory available']);
  t.same([byType.DiskPressure!.reason, byType.DiskPressure!.message], ['KubeletHasDiskPressure', 'kubelet has disk pressure']);
  t.same([byType.PIDPressure!.reason, byType.PIDPressure!.message], ['KubeletHasInsufficientPID', 'kubelet has insufficient PID available']);
  t.same([byType.Ready!.status, byType.Ready!.reason, byType.Ready!.message, byType.Ready!.lastTransitionTime], ['False', 'KubeletNotReady', 'container runtime is down', T1]);
  t.same(sick.transitions.map((x) => x.event), ['NodeHasInsufficientMemory', 'NodeHasDiskPressure', 'NodeHasInsufficientPID', 'NodeNotReady']);

  const again = nextConditions(sick.conditions, { pressure: { memory: true, disk: true, pid: true }, notReadyReason: 'network not ready' }, '2026-12-01T00:00:20Z');
  const r = again.conditions.find((c) => c.type === 'Ready')!;
  t.same([r.message, r.lastTransitionTime, r.lastHeartbeatTime], ['network not ready', T1, '2026-12-01T00:00:20Z'], 'same status: the transition time stays, the heartbeat moves');
  t.same(again.transitions, []);
  t.equal(nextConditions(again.conditions, healthy, T1).transitions.at(-1)?.event, 'NodeReady');
});

t.test('conditions of other owners are kept, and Ready stays last', async (t) => {
  const net = { type: 'NetworkUnavailable', status: 'False', reason: 'RouteCreated' };
  const { conditions } = nextConditions([net], healthy, T0);
  t.same(conditions[0], net);
  t.equal(conditions.at(-1)?.type, 'Ready');
});

t.test('a status differs only by more than its heartbeat times', async (t) => {
  const { status: s0 } = desiredStatus(undefined, settings, machine, healthy, T0);
  const { status: s1 } = desiredStatus(s0, settings, machine, healthy, T1);
  t.notOk(nodeStatusChanged(s0, s1), 'heartbeat only');
  t.notOk(nodeStatusChanged(s0, { ...s1, capacity: { ...s1.capacity, memory: '8192Mi' } }), '8Gi is 8192Mi');
  t.ok(nodeStatusChanged(s0, desiredStatus(s0, settings, machine, { ...healthy, notReadyReason: 'x' }, T1).status), 'a condition changed');
  t.ok(nodeStatusChanged(s0, desiredStatus(s0, { ...settings, nodeIP: '127.0.1.2' }, machine, healthy, T1).status), 'an address changed');
  t.ok(nodeStatusChanged(s0, desiredStatus(s0, { ...settings, maxPods: 10 }, machine, healthy, T1).status), 'capacity changed');
  const withExtended = { ...s0, capacity: { ...s0.capacity, 'example.com/gpu': '2' } };
  t.equal(desiredStatus(withExtended, settings, machine, healthy, T1).status.capacity?.['example.com/gpu'], '2', 'capacity others advertise stays');
});

t.test('re-registration puts back the default labels only', async (t) => {
  const initial = initialNode(settings, machine, healthy, T0);
  const existing = { metadata: { name: 'node-a', labels: { 'kubernetes.io/hostname': 'old', 'kubernetes.io/os': 'linux', tier: 'admin-edited' } } };
  t.same(defaultLabelsPatch(existing, initial, machine, 'node-a'), { 'kubernetes.io/hostname': 'node-a', 'kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64' });
  t.equal(defaultLabelsPatch(initial, initial, machine, 'node-a'), undefined);
});

t.test('machine facts in upstream spelling', async (t) => {
  t.equal(goArch('x64'), 'amd64');
  t.equal(goArch('arm64'), 'arm64');
  t.equal(osImageFrom('NAME="Debian"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'), 'Debian GNU/Linux 12 (bookworm)');
  t.equal(osImageFrom(''), 'Linux');
});
