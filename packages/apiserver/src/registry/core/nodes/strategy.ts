// Nodes: nothing special on writes; the columns of `kubectl get nodes`.

import { defineStrategy } from '../../default-strategy.js';
import { ageCol, col, nameCol, none } from '../../printing/columns.js';

function nodeStatus(node: any): string {
  const ready = (node.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
  const parts = [ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : ready.status === 'False' ? 'NotReady' : 'Unknown'];
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(node: any): string {
  const roles = Object.keys(node.metadata?.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .filter((r) => r !== '');
  return roles.length === 0 ? '<none>' : roles.sort().join(',');
}

function nodeAddress(node: any, type: string): string {
  return none((node.status?.addresses ?? []).find((a: any) => a.type === type)?.address);
}

export const nodeStrategy = defineStrategy({
  columns: [
    nameCol,
    col('Status', 'The status of the node.', (o) => nodeStatus(o)),
    col('Roles', 'The roles of the node.', (o) => nodeRoles(o)),
    ageCol,
    col('Version', 'Kubelet version.', (o) => o.status?.nodeInfo?.kubeletVersion ?? ''),
    col('Internal-IP', 'Internal IP of the node.', (o) => nodeAddress(o, 'InternalIP'), 'string', 1),
    col('External-IP', 'External IP of the node.', (o) => nodeAddress(o, 'ExternalIP'), 'string', 1),
    col('OS-Image', 'OS image reported by the node.', (o) => o.status?.nodeInfo?.osImage ?? '<unknown>', 'string', 1),
    col('Kernel-Version', 'Kernel version reported by the node.', (o) => o.status?.nodeInfo?.kernelVersion ?? '<unknown>', 'string', 1),
    col('Container-Runtime', 'Container runtime reported by the node.', (o) => o.status?.nodeInfo?.containerRuntimeVersion ?? '<unknown>', 'string', 1),
  ],
});
