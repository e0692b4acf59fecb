// Server-side printing: `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` turns objects into
// a meta.k8s.io/v1 Table with the columns kubectl users know, as kube-apiserver's printers do.

import { labelSelectorToString, type ResourceInfo } from '@kubets/api';
import type { KubeObject } from '../storage/interface.js';
import { age } from './human-duration.js';

interface Column {
  name: string;
  type: 'string' | 'integer' | 'date';
  format?: string;
  description: string;
  /** 0: shown by default; 1: shown with `-o wide`. */
  priority: number;
  cell: (obj: any, now: number) => string | number;
}

const col = (name: string, description: string, cell: Column['cell'], type: Column['type'] = 'string', priority = 0, format?: string): Column => ({
  name, type, description, priority, cell, ...(format ? { format } : {}),
});

const nameCol = col('Name', 'Name must be unique within a namespace.', (o) => o.metadata?.name ?? '', 'string', 0, 'name');
const ageCol = col('Age', 'The time since the object was created.', (o, now) => age(o.metadata?.creationTimestamp, now));
const none = (s: string | undefined) => (s === undefined || s === '' ? '<none>' : s);

function containersOf(template: any): any[] {
  return template?.spec?.containers ?? [];
}

const wideWorkload = [
  col('Containers', 'Names of each container in the template.', (o) => containersOf(o.spec?.template).map((c) => c.name).join(','), 'string', 1),
  col('Images', 'Images referenced by each container in the template.', (o) => containersOf(o.spec?.template).map((c) => c.image).join(','), 'string', 1),
  col('Selector', 'Label selector for pods.', (o) => none(o.spec?.selector ? labelSelectorToString(o.spec.selector) : ''), 'string', 1),
];

/** The STATUS column of `kubectl get pods`, derived as kubectl's pod printer does. */
export function podStatus(pod: any): string {
  let reason: string = pod.status?.reason || pod.status?.phase || 'Unknown';
  const inits: any[] = pod.status?.initContainerStatuses ?? [];
  let initializing = false;
  inits.forEach((c, i) => {
    if (initializing) return;
    const t = c.state?.terminated;
    if (t && t.exitCode === 0) return;
    initializing = true;
    if (t) reason = t.reason ? `Init:${t.reason}` : t.signal ? `Init:Signal:${t.signal}` : `Init:ExitCode:${t.exitCode}`;
    else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') reason = `Init:${c.state.waiting.reason}`;
    else reason = `Init:${i}/${(pod.spec?.initContainers ?? []).length}`;
  });
  if (!initializing) {
    let hasRunning = false;
    for (const c of [...(pod.status?.containerStatuses ?? [])].reverse()) {
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason;
      else if (c.state?.terminated) {
        const t = c.state.terminated;
        reason = t.reason || (t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`);
      } else if (c.ready && c.state?.running) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) reason = 'Running';
  }
  if (pod.metadata?.deletionTimestamp) reason = pod.status?.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

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

function servicePorts(svc: any): string {
  const ports: any[] = svc.spec?.ports ?? [];
  if (ports.length === 0) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

function externalIP(svc: any): string {
  const type = svc.spec?.type ?? 'ClusterIP';
  if (type === 'ExternalName') return svc.spec?.externalName ?? '<none>';
  const ips: string[] = [...(svc.spec?.externalIPs ?? [])];
  if (type === 'LoadBalancer') {
    for (const i of svc.status?.loadBalancer?.ingress ?? []) ips.push(i.ip ?? i.hostname);
    if (ips.length === 0) return '<pending>';
  }
  return ips.length === 0 ? '<none>' : ips.join(',');
}

function endpointsCell(ep: any): string {
  const all: string[] = [];
  for (const s of ep.subsets ?? []) {
    for (const a of s.addresses ?? []) for (const p of s.ports ?? [{ port: undefined }]) all.push(p.port === undefined ? a.ip : `${a.ip}:${p.port}`);
  }
  if (all.length === 0) return '<none>';
  return all.length > 3 ? `${all.slice(0, 3).join(',')} + ${all.length - 3} more...` : all.join(',');
}

const columns: Record<string, Column[]> = {
  pods: [
    nameCol,
    col('Ready', 'The aggregate readiness state of this pod for accepting traffic.', (o) => {
      const statuses: any[] = o.status?.containerStatuses ?? [];
      return `${statuses.filter((c) => c.ready).length}/${(o.spec?.containers ?? []).length}`;
    }),
    col('Status', 'The aggregate status of the containers in this pod.', (o) => podStatus(o)),
    col('Restarts', 'The number of times the containers in this pod have been restarted.', (o) =>
      String((o.status?.containerStatuses ?? []).reduce((n: number, c: any) => n + (c.restartCount ?? 0), 0)), 'string'),
    ageCol,
    col('IP', 'IP address allocated to the pod.', (o) => none(o.status?.podIP), 'string', 1),
    col('Node', 'Name of the node the pod is assigned to.', (o) => none(o.spec?.nodeName), 'string', 1),
    col('Nominated Node', 'Name of the node where the pod is nominated.', (o) => none(o.status?.nominatedNodeName), 'string', 1),
    col('Readiness Gates', 'Pod readiness gates.', () => '<none>', 'string', 1),
  ],
  deployments: [
    nameCol,
    col('Ready', 'Number of the pod with ready state.', (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`),
    col('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.', (o) => o.status?.updatedReplicas ?? 0, 'integer'),
    col('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.', (o) => o.status?.availableReplicas ?? 0, 'integer'),
    ageCol,
    ...wideWorkload,
  ],
  replicasets: [
    nameCol,
    col('Desired', 'Number of desired pods.', (o) => o.spec?.replicas ?? 0, 'integer'),
    col('Current', 'Number of actual replicas.', (o) => o.status?.replicas ?? 0, 'integer'),
    col('Ready', 'Number of ready replicas.', (o) => o.status?.readyReplicas ?? 0, 'integer'),
    ageCol,
    ...wideWorkload,
  ],
  services: [
    nameCol,
    col('Type', 'The type of the service.', (o) => o.spec?.type ?? 'ClusterIP'),
    col('Cluster-IP', 'The cluster IP of the service.', (o) => none(o.spec?.clusterIP)),
    col('External-IP', 'The external IPs of the service.', (o) => externalIP(o)),
    col('Port(s)', 'The ports of the service.', (o) => servicePorts(o)),
    ageCol,
    col('Selector', 'The label selector of the service.', (o) => none(Object.entries(o.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).sort().join(',')), 'string', 1),
  ],
  nodes: [
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
  namespaces: [nameCol, col('Status', 'The status of the namespace.', (o) => o.status?.phase ?? 'Active'), ageCol],
  endpoints: [nameCol, col('Endpoints', 'Endpoints of the service.', (o) => endpointsCell(o)), ageCol],
  configmaps: [nameCol, col('Data', 'Number of keys.', (o) => Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length, 'integer'), ageCol],
  secrets: [
    nameCol,
    col('Type', 'The type of the secret.', (o) => o.type ?? 'Opaque'),
    col('Data', 'Number of keys.', (o) => Object.keys(o.data ?? {}).length, 'integer'),
    ageCol,
  ],
  events: [
    col('Last Seen', 'Time since the event was last seen.', (o, now) => age(o.lastTimestamp ?? o.eventTime ?? o.metadata?.creationTimestamp, now)),
    col('Type', 'Normal or Warning.', (o) => o.type ?? ''),
    col('Reason', 'Why the event happened.', (o) => o.reason ?? ''),
    col('Object', 'The object the event is about.', (o) => `${(o.involvedObject?.kind ?? '').toLowerCase()}/${o.involvedObject?.name ?? ''}`),
    col('Message', 'A human-readable description.', (o) => o.message ?? ''),
  ],
  leases: [nameCol, col('Holder', 'The holder of the lease.', (o) => o.spec?.holderIdentity ?? ''), ageCol],
};

/**
 * Subresources printed with columns of their own (`kubectl get deploy web --subresource=scale`);
 * any other subresource (status) prints as its resource does. Scale's Name column has no
 * `name` format upstream.
 */
const subresourceColumns: Record<string, Column[]> = {
  scale: [
    col('Name', 'Name must be unique within a namespace.', (o) => o.metadata?.name ?? ''),
    col('Desired', 'replicas is the desired number of instances for the scaled object.', (o) => o.spec?.replicas ?? 0, 'integer'),
    col('Available', 'replicas is the actual number of observed instances of the scaled object.', (o) => o.status?.replicas ?? 0, 'integer'),
    ageCol,
  ],
};

const defaultColumns: Column[] = [nameCol, col('Created At', 'When the object was created.', (o) => o.metadata?.creationTimestamp ?? '', 'date')];

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** True when the Accept header asks for a meta.k8s.io Table (any of its alternatives). */
export function wantsTable(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  return accept.split(',').some((alt) => {
    const params = alt.split(';').map((p) => p.trim());
    return params.includes('as=Table') && params.includes('g=meta.k8s.io') && params.some((p) => p === 'v=v1' || p === 'v=v1beta1');
  });
}

function tableApiVersion(accept: string | undefined): string {
  return accept?.includes('v=v1beta1') && !accept.includes('v=v1;') && !accept.endsWith('v=v1') ? 'meta.k8s.io/v1beta1' : 'meta.k8s.io/v1';
}

function rowObject(obj: KubeObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

function columnsOf(info: ResourceInfo, subresource?: string): Column[] {
  return (subresource !== undefined ? subresourceColumns[subresource] : undefined) ?? columns[info.resource] ?? defaultColumns;
}

export function tableRows(info: ResourceInfo, objs: KubeObject[], include: IncludeObject, now = Date.now(), subresource?: string) {
  const cols = columnsOf(info, subresource);
  return objs.map((o) => {
    const row: { cells: (string | number)[]; object?: unknown } = { cells: cols.map((c) => c.cell(o, now)) };
    const object = rowObject(o, include);
    if (object !== undefined) row.object = object;
    return row;
  });
}

export function toTable(
  info: ResourceInfo,
  objs: KubeObject[],
  listMeta: { resourceVersion?: string; continue?: string; remainingItemCount?: number },
  accept: string | undefined,
  include: IncludeObject,
  /** The subresource the objects are of (`scale`), when not the resource itself. */
  subresource?: string,
) {
  const cols = columnsOf(info, subresource);
  return {
    kind: 'Table',
    apiVersion: tableApiVersion(accept),
    metadata: listMeta,
    columnDefinitions: cols.map(({ name, type, format, description, priority }) => ({ name, type, format: format ?? '', description, priority })),
    rows: tableRows(info, objs, include, Date.now(), subresource),
  };
}
