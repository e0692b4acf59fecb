// Builders for the pods and nodes of plugin tests, in the manner of upstream's
// pkg/scheduler/testing wrappers (st.MakePod().Req(...).Obj()), and helpers that run a plugin's
// extension points for one pod the way the framework's runner does.

import type { Test } from 'tap';
import { type NodeInfo, nodeInfoOf, snapshotOf } from '../src/framework/node-info.js';
import {
  type Affinity,
  type Container,
  type ContainerPort,
  CycleState,
  type FilterPlugin,
  type Node,
  type NodeScore,
  type NodeSelectorRequirement,
  type NodeSelectorTerm,
  type Pod,
  type PodAffinityTerm,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ResourceList,
  type ScorePlugin,
  type Snapshot,
  type Status,
  success,
  type Taint,
  type Toleration,
  type TopologySpreadConstraint,
} from '../src/framework/types.js';

export class PodWrapper {
  private readonly pod: Pod;

  constructor(name: string, namespace = 'default') {
    this.pod = { metadata: { name, namespace, uid: `${namespace}/${name}` }, spec: { containers: [] } };
  }

  namespace(ns: string): this {
    this.pod.metadata.namespace = ns;
    return this;
  }

  uid(uid: string): this {
    this.pod.metadata.uid = uid;
    return this;
  }

  label(key: string, value: string): this {
    this.pod.metadata.labels = { ...this.pod.metadata.labels, [key]: value };
    return this;
  }

  labels(labels: Record<string, string>): this {
    this.pod.metadata.labels = { ...this.pod.metadata.labels, ...labels };
    return this;
  }

  /** Sets spec.nodeName: a bound pod, or one that names its node. */
  node(name: string): this {
    this.pod.spec.nodeName = name;
    return this;
  }

  priority(p: number): this {
    this.pod.spec.priority = p;
    return this;
  }

  /** A controller ownerReference, as a ReplicaSet's pods carry. */
  owner(kind: string, name: string, uid = `${kind}/${name}`): this {
    this.pod.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind, name, uid, controller: true }];
    return this;
  }

  /** Adds a container requesting `requests` (st's Req). */
  req(requests: ResourceList = {}): this {
    return this.container({ resources: { requests } });
  }

  container(c: Partial<Container> = {}): this {
    this.pod.spec.containers.push({ name: `c${this.pod.spec.containers.length}`, ...c });
    return this;
  }

  /** Adds an init container; `sidecar` makes it restartable (restartPolicy Always). */
  initReq(requests: ResourceList, sidecar = false): this {
    const init = this.pod.spec.initContainers ?? [];
    init.push({ name: `i${init.length}`, resources: { requests }, ...(sidecar ? { restartPolicy: 'Always' } : {}) });
    this.pod.spec.initContainers = init;
    return this;
  }

  overhead(list: ResourceList): this {
    this.pod.spec.overhead = list;
    return this;
  }

  /** Adds a container holding a host port (hostIP '' means every address, protocol '' TCP). */
  hostPort(port: number, protocol = 'TCP', hostIP = ''): this {
    return this.container({ ports: [hostPortOf(port, protocol, hostIP)] });
  }

  /** Adds a sidecar (or a plain init container) holding a host port. */
  initHostPort(port: number, sidecar: boolean, protocol = 'TCP', hostIP = ''): this {
    const init = this.pod.spec.initContainers ?? [];
    init.push({ name: `i${init.length}`, ports: [hostPortOf(port, protocol, hostIP)], ...(sidecar ? { restartPolicy: 'Always' } : {}) });
    this.pod.spec.initContainers = init;
    return this;
  }

  nodeSelector(selector: Record<string, string>): this {
    this.pod.spec.nodeSelector = selector;
    return this;
  }

  /** Sets requiredDuringScheduling node affinity to these terms (ORed). */
  requiredNodeTerms(...terms: NodeSelectorTerm[]): this {
    const nodeAffinity = { ...this.affinityOf().nodeAffinity, requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } };
    return this.affinity({ ...this.affinityOf(), nodeAffinity });
  }

  preferredNodeTerm(weight: number, preference: NodeSelectorTerm): this {
    const nodeAffinity = this.affinityOf().nodeAffinity ?? {};
    const preferred = [...(nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution ?? []), { weight, preference }];
    return this.affinity({ ...this.affinityOf(), nodeAffinity: { ...nodeAffinity, preferredDuringSchedulingIgnoredDuringExecution: preferred } });
  }

  /** Adds a required (weight undefined) or preferred pod affinity term. */
  podAffinity(term: PodAffinityTerm, weight?: number): this {
    return this.podAffinityOf('podAffinity', term, weight);
  }

  podAntiAffinity(term: PodAffinityTerm, weight?: number): this {
    return this.podAffinityOf('podAntiAffinity', term, weight);
  }

  affinity(affinity: Affinity): this {
    this.pod.spec.affinity = affinity;
    return this;
  }

  toleration(t: Toleration): this {
    this.pod.spec.tolerations = [...(this.pod.spec.tolerations ?? []), t];
    return this;
  }

  spreadConstraint(c: TopologySpreadConstraint): this {
    this.pod.spec.topologySpreadConstraints = [...(this.pod.spec.topologySpreadConstraints ?? []), c];
    return this;
  }

  obj(): Pod {
    return structuredClone(this.pod);
  }

  private affinityOf(): Affinity {
    return this.pod.spec.affinity ?? {};
  }

  private podAffinityOf(kind: 'podAffinity' | 'podAntiAffinity', term: PodAffinityTerm, weight?: number): this {
    const current = this.affinityOf()[kind] ?? {};
    const next =
      weight === undefined
        ? { ...current, requiredDuringSchedulingIgnoredDuringExecution: [...(current.requiredDuringSchedulingIgnoredDuringExecution ?? []), term] }
        : {
            ...current,
            preferredDuringSchedulingIgnoredDuringExecution: [...(current.preferredDuringSchedulingIgnoredDuringExecution ?? []), { weight, podAffinityTerm: term }],
          };
    return this.affinity({ ...this.affinityOf(), [kind]: next });
  }
}

const hostPortOf = (port: number, protocol: string, hostIP: string): ContainerPort => ({
  containerPort: port,
  hostPort: port,
  ...(protocol ? { protocol } : {}),
  ...(hostIP ? { hostIP } : {}),
});

export class NodeWrapper {
  private readonly node: Node;

  constructor(name: string) {
    this.node = { metadata: { name, labels: { 'kubernetes.io/hostname': name } } };
  }

  label(key: string, value: string): this {
    this.node.metadata.labels = { ...this.node.metadata.labels, [key]: value };
    return this;
  }

  labels(labels: Record<string, string>): this {
    this.node.metadata.labels = { ...this.node.metadata.labels, ...labels };
    return this;
  }

  /** Sets capacity and allocatable alike (st's Capacity). */
  capacity(list: ResourceList): this {
    this.node.status = { ...this.node.status, capacity: { ...list }, allocatable: { ...list } };
    return this;
  }

  taint(key: string, value: string, effect: string): this {
    const taint: Taint = { key, value, effect };
    this.node.spec = { ...this.node.spec, taints: [...(this.node.spec?.taints ?? []), taint] };
    return this;
  }

  unschedulable(): this {
    this.node.spec = { ...this.node.spec, unschedulable: true };
    return this;
  }

  obj(): Node {
    return structuredClone(this.node);
  }
}

export const makePod = (name = 'p', namespace = 'default') => new PodWrapper(name, namespace);
export const makeNode = (name = 'node') => new NodeWrapper(name);

export const requirement = (key: string, operator: NodeSelectorRequirement['operator'], ...values: string[]): NodeSelectorRequirement => ({
  key,
  operator,
  ...(values.length > 0 ? { values } : {}),
});

/** A node with `cpu` and `memory` allocatable, room for 110 pods, and any `extra` resources. */
export const nodeWithResources = (name: string, cpu: string, memory: string, extra: ResourceList = {}): Node =>
  makeNode(name).capacity({ cpu, memory, pods: '110', ...extra }).obj();

let bound = 0;
/** A pod bound to `node`, requesting `requests` in one container, named apart from every other. */
export const podOn = (node: string, requests: ResourceList): Pod => makePod(`existing-${++bound}`).node(node).req(requests).obj();

/** NodeInfos for `nodes` with each pod placed on the node its spec.nodeName names. */
export function nodeInfosOf(nodes: Node[], pods: Pod[] = []): NodeInfo[] {
  return nodes.map((n) => nodeInfoOf(n, pods.filter((p) => p.spec.nodeName === n.metadata.name)));
}

type AnyPlugin = Partial<PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin> & { name: string };

/**
 * PreFilter (over `snapshot`, the node alone unless given) then Filter for one node, as the runner
 * does: a PreFilter Skip means Filter is not needed (success); another non-success PreFilter
 * status stands for every node.
 */
export function runFilter(plugin: AnyPlugin, pod: Pod, node: NodeInfo, snapshot: Snapshot = snapshotOf([node])): Status {
  const state = new CycleState();
  const pre = plugin.preFilter?.(state, pod, snapshot) ?? success;
  if (pre.code === 'Skip') return success;
  if (pre.code !== 'Success') return pre;
  return plugin.filter?.(state, pod, node) ?? success;
}

/**
 * PreScore, Score on every one of `nodes` (the feasible ones), then normalizeScore: the scores the
 * runner would weigh, or PreScore's status if not Success. `snapshot` is every node, `nodes` unless given.
 */
export function runScore(plugin: AnyPlugin, pod: Pod, nodes: NodeInfo[], snapshot: Snapshot = snapshotOf(nodes)): { status: Status; scores: NodeScore[] } {
  const state = new CycleState();
  const status = plugin.preScore?.(state, pod, nodes, snapshot) ?? success;
  const score = plugin.score;
  if (status.code !== 'Success' || score === undefined) return { status, scores: [] };
  const scores = nodes.map((n) => ({ name: n.name, score: score(state, pod, n) }));
  plugin.normalizeScore?.(state, pod, scores);
  return { status, scores };
}

/** Checks a plugin's final scores for `pod` on `nodes`, in node order; or, where `want` is a Status, that PreScore returned it. */
export function checkScores(t: Test, plugin: AnyPlugin, pod: Pod, nodes: NodeInfo[], want: number[] | Status, snapshot?: Snapshot): void {
  const { status, scores } = runScore(plugin, pod, nodes, snapshot);
  t.same(status, Array.isArray(want) ? success : want, 'PreScore status');
  if (Array.isArray(want)) {
    t.same(
      scores.map((s) => s.score),
      want,
      'scores',
    );
  }
}
