// The scheduler's cache, as upstream's (pkg/scheduler/internal/cache): every node with the pods
// on it, kept from the informers, plus the pods this scheduler has chosen a node for but whose
// binding the informers have not confirmed yet ("assumed"). Counting a pod on its node from the
// moment it is chosen keeps a burst of pods from all going to the same node.
//
// Life of an assumed pod: assumePod when chosen; finishBinding when the bind returns, which
// starts its expiry; the informer's add confirms it (its copy replaces the assumed one), or a
// failed bind forgets it. One that is never confirmed expires, so a lost confirmation cannot
// hold a node's room for ever.
//
// A scheduling cycle runs synchronously from the snapshot to assumePod, and nothing else runs on
// the event loop meanwhile, so the snapshot is the cache itself, not a copy.

import { type Clock, realClock, type TimerHandle } from '@kubets/client/clock';
import { notReadyTaintOf } from '../core/node-readiness.js';
import { every } from '../util/every.js';
import { controllerUid, NodeInfo, podKey } from '../framework/node-info.js';
import type { Node, Pod, Snapshot } from '../framework/types.js';
import { interleaveByZone, zoneOf } from './node-order.js';

export interface CacheOptions {
  clock?: Clock;
  /** How long after its bind returned an unconfirmed assumed pod is dropped (0: never). */
  assumedPodTtlMs?: number;
  cleanupIntervalMs?: number;
  onExpired?: (pod: Pod) => void;
}

interface PodState {
  pod: Pod;
  /** Set once the bind returned; an assumed pod expires after it. */
  deadline?: number;
}

export class SchedulerCache {
  private readonly clock: Clock;
  private readonly ttlMs: number;
  /** Nodes by name; a node deleted while pods remain on it stays, with known=false, until they go. */
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly known = new Set<string>();
  private readonly podStates = new Map<string, PodState>();
  private readonly assumed = new Set<string>();
  private ordered: NodeInfo[] | undefined;
  /** Indexes kept as pods come and go, so a cycle does not walk every node to find these. */
  private readonly withAffinity = new Set<string>();
  private withAffinityList: NodeInfo[] | undefined;
  private readonly byController = new Map<string, Set<NodeInfo>>();
  private ready: NodeInfo[] | undefined;
  private readonly cleanupTimer: TimerHandle | undefined;

  constructor(private readonly options: CacheOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.ttlMs = options.assumedPodTtlMs ?? 60_000;
    this.cleanupTimer = this.ttlMs > 0 ? every(this.clock, options.cleanupIntervalMs ?? 1000, () => this.cleanupAssumedPods()) : undefined;
  }

  // ---- nodes

  addNode(node: Node): void {
    const info = this.nodes.get(node.metadata.name);
    if (info === undefined) this.nodes.set(node.metadata.name, new NodeInfo(node));
    else {
      if (zoneOf(info) !== zoneOf(new NodeInfo(node))) this.ordered = undefined;
      if (notReadyTaintOf(info.node) !== notReadyTaintOf(node)) this.ready = undefined;
      info.setNode(node);
    }
    if (!this.known.has(node.metadata.name)) {
      this.ordered = undefined;
      this.withAffinityList = undefined;
    }
    this.known.add(node.metadata.name);
  }

  updateNode(node: Node): void {
    this.addNode(node);
  }

  removeNode(name: string): void {
    this.known.delete(name);
    this.ordered = undefined;
    this.withAffinityList = undefined;
    if (this.nodes.get(name)?.pods.size === 0) this.nodes.delete(name);
  }

  // ---- pods

  /** A pod chosen for spec.nodeName, counted there before its binding is confirmed. */
  assumePod(pod: Pod): void {
    const key = podKey(pod);
    if (this.podStates.has(key)) throw new Error(`pod ${key} is in the cache, so can't be assumed`);
    this.addToNode(pod);
    this.podStates.set(key, { pod });
    this.assumed.add(key);
  }

  /** The bind returned: the assumed pod's expiry starts. */
  finishBinding(pod: Pod): void {
    const state = this.podStates.get(podKey(pod));
    if (state !== undefined && this.assumed.has(podKey(pod))) state.deadline = this.clock.now() + this.ttlMs;
  }

  /** The bind failed: the pod leaves its node. */
  forgetPod(pod: Pod): void {
    const key = podKey(pod);
    if (!this.assumed.has(key)) return;
    const state = this.podStates.get(key)!;
    this.removeFromNode(state.pod);
    this.podStates.delete(key);
    this.assumed.delete(key);
  }

  isAssumed(key: string): boolean {
    return this.assumed.has(key);
  }

  /** A bound pod the informer saw: confirms an assumed one (its copy wins, node included) or adds it. */
  addPod(pod: Pod): void {
    const key = podKey(pod);
    const state = this.podStates.get(key);
    if (state !== undefined) this.removeFromNode(state.pod);
    this.addToNode(pod);
    this.podStates.set(key, { pod });
    this.assumed.delete(key);
  }

  updatePod(pod: Pod): void {
    this.addPod(pod);
  }

  removePod(pod: Pod): void {
    const key = podKey(pod);
    const state = this.podStates.get(key);
    if (state === undefined) return;
    this.removeFromNode(state.pod);
    this.podStates.delete(key);
    this.assumed.delete(key);
  }

  /** Drops assumed pods whose binding finished longer ago than the TTL and was never confirmed. */
  cleanupAssumedPods(): void {
    const now = this.clock.now();
    for (const key of this.assumed) {
      const state = this.podStates.get(key)!;
      if (state.deadline === undefined || state.deadline > now) continue;
      this.forgetPod(state.pod);
      this.options.onExpired?.(state.pod);
    }
  }

  // ---- reading

  /** The cluster for one synchronous scheduling cycle: known nodes, zones interleaved. */
  snapshot(namespaceLabels?: (ns: string) => Record<string, string> | undefined): Snapshot {
    if (this.ordered === undefined) {
      this.ordered = interleaveByZone([...this.nodes.values()].filter((n) => this.known.has(n.name)));
      this.ready = undefined;
    }
    const nodes = this.ordered;
    const get = (name: string) => (this.known.has(name) ? this.nodes.get(name) : undefined);
    const known = this.known;
    const byController = this.byController;
    return {
      nodes,
      readyNodes: (this.ready ??= nodes.filter((n) => notReadyTaintOf(n.node) === undefined)),
      get,
      nodesWithAffinityPods: (this.withAffinityList ??= [...this.withAffinity].flatMap((n) => get(n) ?? [])),
      *nodesWithController(uid) {
        for (const info of byController.get(uid) ?? []) if (known.has(info.name)) yield info;
      },
      ...(namespaceLabels ? { namespaceLabels } : {}),
    };
  }

  get nodeCount(): number {
    return this.known.size;
  }

  get podCount(): number {
    return this.podStates.size;
  }

  get assumedCount(): number {
    return this.assumed.size;
  }

  close(): void {
    this.cleanupTimer?.cancel();
  }

  private addToNode(pod: Pod): void {
    const name = pod.spec.nodeName!;
    let info = this.nodes.get(name);
    if (info === undefined) {
      // The pod's node has not been seen yet: hold the pods until it comes.
      info = new NodeInfo({ metadata: { name } });
      this.nodes.set(name, info);
    }
    info.addPod(pod);
    this.reindex(info, pod);
  }

  private reindex(info: NodeInfo, pod: Pod): void {
    const hasAffinity = info.podsWithAffinity.size > 0;
    if (hasAffinity !== this.withAffinity.has(info.name)) {
      if (hasAffinity) this.withAffinity.add(info.name);
      else this.withAffinity.delete(info.name);
      this.withAffinityList = undefined;
    }
    const uid = controllerUid(pod);
    if (uid === undefined) return;
    const nodes = this.byController.get(uid) ?? new Set<NodeInfo>();
    if (info.podsByController.has(uid)) nodes.add(info);
    else nodes.delete(info);
    if (nodes.size === 0) this.byController.delete(uid);
    else this.byController.set(uid, nodes);
  }

  private removeFromNode(pod: Pod): void {
    const name = pod.spec.nodeName!;
    const info = this.nodes.get(name);
    if (info === undefined) return;
    info.removePod(podKey(pod));
    this.reindex(info, pod);
    if (info.pods.size === 0 && !this.known.has(name)) this.nodes.delete(name);
  }
}
