// A node with the pods on it and their sums, as upstream's framework.NodeInfo: what the cache
// keeps per node and what each filter and score reads. Pods are added when assumed or seen
// bound, and removed when deleted or forgotten.

import { add, emptyResources, fromResourceList, podNonZeroRequests, podRequests, type Resources, subtract } from './resources.js';
import type { Node, Pod } from './types.js';

export interface PodInfo {
  pod: Pod;
  requests: Resources;
  nonZeroRequests: Resources;
}

/** A host port in use: `hostIP/protocol/port`, with 0.0.0.0 for every address. */
export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/**
 * The host ports a pod holds, as upstream's util.GetHostPorts: those of its containers and of its
 * sidecars (init containers with restartPolicy Always), which run for the pod's whole life. A
 * plain init container has exited before the containers start, so its ports are free again.
 */
export function hostPortsOf(pod: Pod): HostPort[] {
  const sidecars = (pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  return [...sidecars, ...pod.spec.containers].flatMap((c) =>
    (c.ports ?? [])
      .filter((p) => p.hostPort !== undefined && p.hostPort > 0)
      .map((p) => ({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort as number })),
  );
}

/** The uid of the pod's controller (its ownerReference with controller: true). */
export const controllerUid = (pod: Pod): string | undefined => pod.metadata.ownerReferences?.find((o) => o.controller === true)?.uid;

export const podKey = (pod: Pod): string => `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;

export class NodeInfo {
  readonly pods = new Map<string, PodInfo>();
  readonly requested: Resources = emptyResources();
  readonly nonZeroRequested: Resources = emptyResources();
  readonly usedPorts: HostPort[] = [];
  allocatable: Resources;
  /** Pods on this node with required or preferred (anti-)affinity terms, for InterPodAffinity. */
  readonly podsWithAffinity = new Set<string>();
  /** Pods with required anti-affinity terms. */
  readonly podsWithRequiredAntiAffinity = new Set<string>();
  /**
   * Pods not being deleted, counted by their controller's uid: PodTopologySpread's default
   * constraints count an owner's pods on every node each cycle, and this makes that a lookup.
   */
  readonly podsByController = new Map<string, number>();

  constructor(public node: Node) {
    this.allocatable = fromResourceList(node.status?.allocatable);
  }

  get name(): string {
    return this.node.metadata.name;
  }

  setNode(node: Node): void {
    this.node = node;
    this.allocatable = fromResourceList(node.status?.allocatable);
  }

  addPod(pod: Pod): void {
    const key = podKey(pod);
    if (this.pods.has(key)) this.removePod(key);
    const info: PodInfo = { pod, requests: podRequests(pod), nonZeroRequests: podNonZeroRequests(pod) };
    this.pods.set(key, info);
    add(this.requested, info.requests);
    add(this.nonZeroRequested, info.nonZeroRequests);
    this.usedPorts.push(...hostPortsOf(pod));
    const a = pod.spec.affinity;
    if (a?.podAffinity !== undefined || a?.podAntiAffinity !== undefined) this.podsWithAffinity.add(key);
    if ((a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).length > 0) this.podsWithRequiredAntiAffinity.add(key);
    this.countController(pod, 1);
  }

  private countController(pod: Pod, delta: number): void {
    const uid = controllerUid(pod);
    if (uid === undefined || pod.metadata.deletionTimestamp !== undefined) return;
    const n = (this.podsByController.get(uid) ?? 0) + delta;
    if (n === 0) this.podsByController.delete(uid);
    else this.podsByController.set(uid, n);
  }

  removePod(key: string): boolean {
    const info = this.pods.get(key);
    if (info === undefined) return false;
    this.pods.delete(key);
    subtract(this.requested, info.requests);
    subtract(this.nonZeroRequested, info.nonZeroRequests);
    for (const p of hostPortsOf(info.pod)) {
      const i = this.usedPorts.findIndex((u) => u.ip === p.ip && u.protocol === p.protocol && u.port === p.port);
      if (i >= 0) this.usedPorts.splice(i, 1);
    }
    this.podsWithAffinity.delete(key);
    this.podsWithRequiredAntiAffinity.delete(key);
    this.countController(info.pod, -1);
    return true;
  }

  /** A copy for a snapshot: the cache keeps changing while a cycle reads this. */
  clone(): NodeInfo {
    const c = new NodeInfo(this.node);
    for (const info of this.pods.values()) c.addPod(info.pod);
    return c;
  }
}

/** A snapshot from node infos (tests and the cache both build one). */
export function snapshotOf(nodes: NodeInfo[], namespaceLabels?: (ns: string) => Record<string, string> | undefined) {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  return {
    nodes,
    get: (name: string) => byName.get(name),
    nodesWithAffinityPods: nodes.filter((n) => n.podsWithAffinity.size > 0),
    ...(namespaceLabels ? { namespaceLabels } : {}),
  };
}

/** Test and bench helper: a NodeInfo for `node` with `pods` on it. */
export function nodeInfoOf(node: Node, pods: Pod[] = []): NodeInfo {
  const info = new NodeInfo(node);
  for (const p of pods) info.addPod(p);
  return info;
}
