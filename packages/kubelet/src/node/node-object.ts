// The Node the kubelet registers and the status it reports, as pure functions of its settings,
// its machine and the time, as upstream's initialNode and setNodeStatus with its setters.
import { isDeepStrictEqual } from 'node:util';
import type { Node, Taint } from '@kubets/api';
import { conditionsChanged, nextConditions, type ConditionTransition, type NodeHealth } from './conditions.js';
import { allocatableOf, machineCapacity, sameResources } from './resources.js';
import type { MachineInfo, NodeStatus, ResourceList } from './types.js';

/** The kubelet's version in nodeInfo: the API server's gitVersion, as upstream reports its own build. */
export const kubeletVersion = 'v1.32.0-kubets';

export interface NodeSettings {
  nodeName: string;
  /** The kubernetes.io/hostname label and the Hostname address. */
  hostname: string;
  nodeIP: string;
  /** The kubelet's port, daemonEndpoints.kubeletEndpoint.Port. */
  port: number;
  /** --node-labels. */
  labels: Record<string, string>;
  /** --register-with-taints. */
  taints: Taint[];
  maxPods: number;
  /** Capacity entries that replace what the machine says (flags). */
  capacityOverrides: ResourceList;
  systemReserved: ResourceList;
  kubeReserved: ResourceList;
  /** e.g. kubets-process://0.1.0. */
  runtimeVersion: string;
}

export const hostnameLabel = 'kubernetes.io/hostname';

/** The labels the kubelet owns, upstream's default labels; re-registration puts them back. */
export function defaultLabels(hostname: string, machine: MachineInfo): Record<string, string> {
  return {
    [hostnameLabel]: hostname,
    'kubernetes.io/os': machine.operatingSystem,
    'kubernetes.io/arch': machine.architecture,
    'beta.kubernetes.io/os': machine.operatingSystem,
    'beta.kubernetes.io/arch': machine.architecture,
  };
}

/** Everything in the status but the conditions: what the machine and the settings say. */
export function machineStatus(settings: NodeSettings, machine: MachineInfo): Omit<NodeStatus, 'conditions'> {
  const capacity = machineCapacity(machine, settings.maxPods, settings.capacityOverrides);
  return {
    addresses: [
      { type: 'InternalIP', address: settings.nodeIP },
      { type: 'Hostname', address: settings.hostname },
    ],
    capacity,
    allocatable: allocatableOf(capacity, [settings.systemReserved, settings.kubeReserved]),
    daemonEndpoints: { kubeletEndpoint: { Port: settings.port } },
    nodeInfo: {
      machineID: machine.machineID,
      systemUUID: machine.systemUUID,
      bootID: machine.bootID,
      kernelVersion: machine.kernelVersion,
      osImage: machine.osImage,
      containerRuntimeVersion: settings.runtimeVersion,
      kubeletVersion,
      kubeProxyVersion: kubeletVersion,
      operatingSystem: machine.operatingSystem,
      architecture: machine.architecture,
    },
  };
}

/** The status to report now, from the one the API server has; conditions move as upstream's setters move them. */
export function desiredStatus(current: NodeStatus | undefined, settings: NodeSettings, machine: MachineInfo, health: NodeHealth, now: string): { status: NodeStatus; transitions: ConditionTransition[] } {
  const { conditions, transitions } = nextConditions(current?.conditions, health, now);
  // Capacity entries the kubelet does not compute (extended resources others advertise) stay.
  const base = machineStatus(settings, machine);
  const status: NodeStatus = {
    ...current,
    ...base,
    capacity: { ...current?.capacity, ...base.capacity },
    allocatable: { ...current?.allocatable, ...base.allocatable },
    conditions,
  };
  return { status, transitions };
}

/** The Node as first created: labels, taints and a whole status (upstream initialNode). */
export function initialNode(settings: NodeSettings, machine: MachineInfo, health: NodeHealth, now: string): Node {
  const labels = { ...defaultLabels(settings.hostname, machine), ...settings.labels };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: settings.nodeName, labels },
    spec: settings.taints.length > 0 ? { taints: settings.taints } : {},
    status: desiredStatus(undefined, settings, machine, health, now).status,
  };
}

/**
 * The default labels the existing Node must change to match ours (upstream updateDefaultLabels):
 * only those; --node-labels and taints apply at creation, as upstream, so a cluster admin's
 * edits to them are not undone by a kubelet restart. Undefined when nothing needs changing.
 */
export function defaultLabelsPatch(existing: Node, initial: Node, machine: MachineInfo, hostname: string): Record<string, string> | undefined {
  const have = existing.metadata?.labels ?? {};
  const want = initial.metadata?.labels ?? {};
  const patch: Record<string, string> = {};
  for (const key of Object.keys(defaultLabels(hostname, machine))) {
    const value = want[key];
    if (value !== undefined && have[key] !== value) patch[key] = value;
  }
  return Object.keys(patch).length === 0 ? undefined : patch;
}

/** Whether the status differs in anything but heartbeat times (upstream nodeStatusHasChanged). */
export function nodeStatusChanged(a: NodeStatus | undefined, b: NodeStatus | undefined): boolean {
  if (conditionsChanged(a?.conditions, b?.conditions)) return true;
  if (!sameResources(a?.capacity, b?.capacity) || !sameResources(a?.allocatable, b?.allocatable)) return true;
  const rest = (s: NodeStatus | undefined) => ({ ...s, conditions: undefined, capacity: undefined, allocatable: undefined });
  return !isDeepStrictEqual(JSON.parse(JSON.stringify(rest(a))), JSON.parse(JSON.stringify(rest(b))));
}

/** RFC 3339 in whole seconds, as metav1.Time. */
export function apiTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
