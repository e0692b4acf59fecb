import t from 'tap';
import { resolveResource } from '@kubets/api';
import { humanDuration } from '../src/http/human-duration.js';
import { toTable, wantsTable } from '../src/http/table.js';
import { podStatus } from '../src/registry/core/pods/printer.js';
import { parsePortRange, parseServiceCIDR } from '../src/admission/ranges.js';

t.test('ages read as kubectl prints them', async (t) => {
  const s = 1000;
  t.equal(humanDuration(45 * s), '45s');
  t.equal(humanDuration(119 * s), '119s');
  t.equal(humanDuration(150 * s), '2m30s');
  t.equal(humanDuration(75 * 60 * s), '75m');
  t.equal(humanDuration(220 * 60 * s), '3h40m');
  t.equal(humanDuration(30 * 3600 * s), '30h');
  t.equal(humanDuration(53 * 3600 * s), '2d5h');
  t.equal(humanDuration(300 * 86400 * s), '300d');
});

t.test('Accept headers that ask for tables', async (t) => {
  t.ok(wantsTable('application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json'));
  t.notOk(wantsTable('application/json'));
  t.notOk(wantsTable(undefined));
});

t.test('pod and deployment tables carry the columns kubectl users know', async (t) => {
  const pods = resolveResource('pods')!;
  const pod = {
    metadata: { name: 'web-1', creationTimestamp: new Date(Date.now() - 90_000).toISOString() },
    spec: { containers: [{ name: 'a' }, { name: 'b' }], nodeName: 'n1' },
    status: { phase: 'Running', podIP: '127.0.0.5', containerStatuses: [{ name: 'a', ready: true, restartCount: 2, state: { running: {} } }, { name: 'b', ready: false, restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff' } } }] },
  };
  const table = toTable(pods, [pod], { resourceVersion: '7' }, undefined, 'Metadata');
  t.same(table.columnDefinitions.filter((c) => c.priority === 0).map((c) => c.name), ['Name', 'Ready', 'Status', 'Restarts', 'Age']);
  t.same(table.rows[0]!.cells.slice(0, 4), ['web-1', '1/2', 'CrashLoopBackOff', '3']);
  t.match(table.rows[0]!.cells[4], /^\d+s$/);
  t.same((table.rows[0]!.object as any).kind, 'PartialObjectMetadata');
  t.equal(podStatus({ metadata: { deletionTimestamp: 'x' }, status: { phase: 'Running' } }), 'Terminating');
  t.equal(podStatus({ status: { phase: 'Pending' } }), 'Pending');
  t.equal(podStatus({ status: { phase: 'Failed', containerStatuses: [{ state: { terminated: { exitCode: 3 } } }] } }), 'ExitCode:3');
  const deploy = toTable(resolveResource('deploy')!, [{ metadata: { name: 'web' }, spec: { replicas: 3 }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } }], {}, undefined, 'None');
  t.same(deploy.columnDefinitions.filter((c) => c.priority === 0).map((c) => c.name), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age']);
  t.same(deploy.rows[0]!.cells.slice(0, 4), ['web', '2/3', 3, 2]);
  t.equal(deploy.rows[0]!.object, undefined);
  const svc = toTable(resolveResource('svc')!, [{ metadata: { name: 'web' }, spec: { type: 'NodePort', clusterIP: '10.96.0.10', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] } }], {}, undefined, 'None');
  t.same(svc.rows[0]!.cells.slice(0, 5), ['web', 'NodePort', '10.96.0.10', '<none>', '80:30080/TCP']);
  const node = toTable(resolveResource('no')!, [{ metadata: { name: 'n1', labels: { 'node-role.kubernetes.io/control-plane': '' } }, spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.32.0-kubets' } } }], {}, undefined, 'None');
  t.same([node.rows[0]!.cells[0], node.rows[0]!.cells[1], node.rows[0]!.cells[2], node.rows[0]!.cells[4]], ['n1', 'Ready,SchedulingDisabled', 'control-plane', 'v1.32.0-kubets']);
});

t.test('service ranges', async (t) => {
  t.same(parseServiceCIDR('10.96.0.0/12'), { cidr: '10.96.0.0/12', first: 0x0a600001, last: 0x0a6ffffe });
  t.same(parseServiceCIDR('10.96.0.5/24').cidr, '10.96.0.0/24');
  t.throws(() => parseServiceCIDR('10.96.0.0/31'), /between \/8 and \/30/);
  t.throws(() => parseServiceCIDR('nonsense'), /IPv4 CIDR/);
  t.same(parsePortRange('30000-32767'), { text: '30000-32767', first: 30000, last: 32767 });
  t.throws(() => parsePortRange('5-1'), /expected/);
});
