// Cluster events, as upstream's framework.ClusterEvent: what changed in the cluster that could
// make a parked pod fit. Each plugin names the events that can undo its rejection (upstream's
// EventsToRegister), so a node's new label wakes the pods NodeAffinity turned away and leaves
// those waiting for cpu parked.

import type { Node, Pod } from '../framework/types.js';

export type EventResource = 'Node' | 'AssignedPod' | 'UnscheduledPod' | 'Any';

export type ActionType =
  | 'Add'
  | 'Delete'
  | 'UpdateNodeAllocatable'
  | 'UpdateNodeLabel'
  | 'UpdateNodeTaint'
  | 'UpdateNodeCondition'
  | 'UpdatePodLabel'
  | 'UpdatePodScaleDown'
  | 'UpdatePod';

export interface ClusterEvent {
  resource: EventResource;
  actions: readonly ActionType[];
  /** For logs and the incoming-pods metric, as upstream labels it (NodeAdd, AssignedPodDelete ...). */
  label: string;
}

export const nodeAdd: ClusterEvent = { resource: 'Node', actions: ['Add'], label: 'NodeAdd' };
export const nodeDelete: ClusterEvent = { resource: 'Node', actions: ['Delete'], label: 'NodeDelete' };
export const assignedPodAdd: ClusterEvent = { resource: 'AssignedPod', actions: ['Add'], label: 'AssignedPodAdd' };
export const assignedPodDelete: ClusterEvent = { resource: 'AssignedPod', actions: ['Delete'], label: 'AssignedPodDelete' };
/** Pods parked longer than the leftover period go back whatever rejected them. */
export const unschedulableTimeout: ClusterEvent = { resource: 'Any', actions: [], label: 'UnschedulableTimeout' };
export const forceActivate: ClusterEvent = { resource: 'Any', actions: [], label: 'ForceActivate' };

/** What a node update changed, as upstream's nodeSchedulingPropertiesChange; undefined when nothing the scheduler reads did. */
export function nodeUpdateEvent(old: Node, node: Node): ClusterEvent | undefined {
  const actions: ActionType[] = [];
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  if (!same(old.status?.allocatable, node.status?.allocatable)) actions.push('UpdateNodeAllocatable');
  if (!same(old.metadata.labels, node.metadata.labels)) actions.push('UpdateNodeLabel');
  if (!same(old.spec?.taints, node.spec?.taints) || Boolean(old.spec?.unschedulable) !== Boolean(node.spec?.unschedulable)) actions.push('UpdateNodeTaint');
  const conditions = (n: Node) => (n.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`).sort();
  if (!same(conditions(old), conditions(node))) actions.push('UpdateNodeCondition');
  return actions.length === 0 ? undefined : { resource: 'Node', actions, label: `NodeUpdate(${actions.join(',')})` };
}

/** What an assigned pod's update changed that could free room or change affinity; undefined when nothing. */
export function assignedPodUpdateEvent(old: Pod, pod: Pod): ClusterEvent | undefined {
  const actions: ActionType[] = [];
  if (JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(pod.metadata.labels ?? {})) actions.push('UpdatePodLabel');
  // A pod that finished keeps its node but no longer holds its resources.
  const done = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
  if (done(pod) && !done(old)) actions.push('UpdatePodScaleDown');
  return actions.length === 0 ? undefined : { resource: 'AssignedPod', actions, label: `AssignedPodUpdate(${actions.join(',')})` };
}

/** An interest a plugin registers: events of one resource, with any of these actions ('All' for every one). */
export interface EventInterest {
  resource: Exclude<EventResource, 'Any'>;
  actions: readonly ActionType[] | 'All';
}

const node = (...actions: ActionType[]): EventInterest => ({ resource: 'Node', actions });
const assignedPod = (...actions: ActionType[]): EventInterest => ({ resource: 'AssignedPod', actions });

/** Upstream's EventsToRegister of each filter, and of the readiness check before them ('NodeReady'). */
export const pluginEvents: Record<string, readonly EventInterest[]> = {
  NodeReady: [node('Add', 'UpdateNodeCondition', 'UpdateNodeTaint')],
  NodeUnschedulable: [node('Add', 'UpdateNodeTaint')],
  NodeName: [node('Add')],
  TaintToleration: [node('Add', 'UpdateNodeTaint')],
  NodeAffinity: [node('Add', 'UpdateNodeLabel')],
  NodePorts: [assignedPod('Delete'), node('Add', 'UpdateNodeAllocatable')],
  NodeResourcesFit: [assignedPod('Delete', 'UpdatePodScaleDown'), node('Add', 'UpdateNodeAllocatable')],
  InterPodAffinity: [{ resource: 'AssignedPod', actions: 'All' }, node('Add', 'UpdateNodeLabel')],
  PodTopologySpread: [assignedPod('Add', 'Delete', 'UpdatePodLabel'), node('Add', 'Delete', 'UpdateNodeLabel', 'UpdateNodeTaint')],
};

/**
 * Whether the event could make a pod that these plugins rejected fit. A pod no plugin rejected
 * (it failed on an error) and the catch-all events move every pod, as upstream.
 */
export function eventCanHelp(event: ClusterEvent, rejectedBy: ReadonlySet<string>): boolean {
  if (event.resource === 'Any' || rejectedBy.size === 0) return true;
  for (const plugin of rejectedBy) {
    const interests = pluginEvents[plugin];
    if (interests === undefined) return true; // a plugin we know nothing of: do not strand its pods
    for (const i of interests) {
      if (i.resource !== event.resource) continue;
      if (i.actions === 'All' || event.actions.some((a) => (i.actions as readonly ActionType[]).includes(a))) return true;
    }
  }
  return false;
}
