// Builders and runners for the topology plugins' table tests, in the spirit of upstream's
// st.MakePod()/st.MakeNode() and the per-extension-point loops of its plugin tests.

import { nodeInfoOf, snapshotOf } from '../src/framework/node-info.js';
import {
  type Affinity,
  CycleState,
  type FilterPlugin,
  type LabelSelector,
  type Node,
  type NodeScore,
  type Pod,
  type PodAffinityTerm,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
  type Snapshot,
  type Status,
  type Taint,
  type Toleration,
  type TopologySpreadConstraint,
  type WeightedPodAffinityTerm,
  success,
} from '../src/framework/types.js';

export const hostname = 'kubernetes.io/hostname';
export const zone = 'topology.kubernetes.io/zone';

export function node(name: string, labels: Record<string, string> = {}, taints?: Taint[]): Node {
  return { metadata: { name, labels }, ...(taints ? { spec: { taints } } : {}) };
}

export interface PodOptions {
  namespace?: string;
  labels?: Record<string, string>;
  nodeName?: string;
  affinity?: Affinity;
  spread?: TopologySpreadConstraint[];
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  /** uid of the controller ownerReference (a ReplicaSet). */
  owner?: string;
  terminating?: boolean;
}

export function pod(name: string, o: PodOptions = {}): Pod {
  return {
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      labels: o.labels ?? {},
      ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: o.owner, uid: o.owner, controller: true }] } : {}),
      ...(o.terminating ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}),
    },
    spec: {
      containers: [{ name: 'c' }],
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
      ...(o.affinity ? { affinity: o.affinity } : {}),
      ...(o.spread ? { topologySpreadConstraints: o.spread } : {}),
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      ...(o.tolerations ? { tolerations: o.tolerations } : {}),
    },
  };
}

let existingPods = 0;
/** `n` existing pods on `nodeName` with `labels`, each with a name of its own. */
export function podsOn(nodeName: string, n: number, labels: Record<string, string>, more: PodOptions = {}): Pod[] {
  return Array.from({ length: n }, () => pod(`${nodeName}-${++existingPods}`, { nodeName, labels, ...more }));
}

/** Existing pods go to the node their spec.nodeName names. */
export function snapshotWith(nodes: Node[], pods: Pod[] = [], namespaceLabels: Record<string, Record<string, string>> = {}): Snapshot {
  const infos = nodes.map((n) => nodeInfoOf(n, pods.filter((p) => p.spec.nodeName === n.metadata.name)));
  return snapshotOf(infos, (ns) => namespaceLabels[ns]);
}

// Label selectors.
export const exists = (key: string): LabelSelector => ({ matchExpressions: [{ key, operator: 'Exists' }] });
export const labelIn = (key: string, ...values: string[]): LabelSelector => ({ matchExpressions: [{ key, operator: 'In', values }] });
export const labelNotIn = (key: string, ...values: string[]): LabelSelector => ({ matchExpressions: [{ key, operator: 'NotIn', values }] });

// Pod affinity.
export const term = (topologyKey: string, labelSelector: LabelSelector | undefined, more: Partial<PodAffinityTerm> = {}): PodAffinityTerm => ({
  topologyKey,
  ...(labelSelector ? { labelSelector } : {}),
  ...more,
});
export const weighted = (weight: number, podAffinityTerm: PodAffinityTerm): WeightedPodAffinityTerm => ({ weight, podAffinityTerm });

export interface AffinityTerms {
  required?: PodAffinityTerm[];
  preferred?: WeightedPodAffinityTerm[];
  antiRequired?: PodAffinityTerm[];
  antiPreferred?: WeightedPodAffinityTerm[];
}

export function affinity(t: AffinityTerms): Affinity {
  const a: Affinity = {};
  if (t.required || t.preferred) {
    a.podAffinity = { requiredDuringSchedulingIgnoredDuringExecution: t.required ?? [], preferredDuringSchedulingIgnoredDuringExecution: t.preferred ?? [] };
  }
  if (t.antiRequired || t.antiPreferred) {
    a.podAntiAffinity = { requiredDuringSchedulingIgnoredDuringExecution: t.antiRequired ?? [], preferredDuringSchedulingIgnoredDuringExecution: t.antiPreferred ?? [] };
  }
  return a;
}

// Topology spread.
export function spread(
  maxSkew: number,
  topologyKey: string,
  whenUnsatisfiable: TopologySpreadConstraint['whenUnsatisfiable'],
  labelSelector?: LabelSelector,
  more: Partial<TopologySpreadConstraint> = {},
): TopologySpreadConstraint {
  return { maxSkew, topologyKey, whenUnsatisfiable, ...(labelSelector ? { labelSelector } : {}), ...more };
}

/**
 * Runs PreFilter then Filter on every node, as the framework would: a Skip passes every node,
 * another failed PreFilter fails every node with its status.
 */
export function filterNodes(plugin: PreFilterPlugin & FilterPlugin, incoming: Pod, snapshot: Snapshot): Record<string, Status> {
  const state = new CycleState();
  const pre = plugin.preFilter(state, incoming, snapshot);
  const out: Record<string, Status> = {};
  for (const n of snapshot.nodes) {
    out[n.name] = pre.code === 'Skip' ? success : pre.code !== 'Success' ? pre : plugin.filter(state, incoming, n);
  }
  return out;
}

/** Codes per node, the shape upstream's tables compare (wantStatusCode). */
export const codes = (statuses: Record<string, Status>) => Object.fromEntries(Object.entries(statuses).map(([n, s]) => [n, s.code]));

export interface ScoreRun {
  status: Status;
  scores: NodeScore[];
}

/** Runs PreScore on the feasible nodes (all by default), then Score and NormalizeScore on each. */
export function scoreNodes(plugin: PreScorePlugin & ScorePlugin, incoming: Pod, snapshot: Snapshot, feasible?: string[]): ScoreRun {
  const state = new CycleState();
  const nodes = snapshot.nodes.filter((n) => feasible === undefined || feasible.includes(n.name));
  const status = plugin.preScore(state, incoming, nodes, snapshot);
  if (status.code !== 'Success') return { status, scores: [] };
  const scores = nodes.map((n) => ({ name: n.name, score: plugin.score(state, incoming, n) }));
  plugin.normalizeScore?.(state, incoming, scores);
  return { status, scores };
}

/** Scores as `{ node: score }`, for compact expectations. */
export const byNode = (scores: NodeScore[]) => Object.fromEntries(scores.map((s) => [s.name, s.score]));
