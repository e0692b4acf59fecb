// The scheduling framework's vocabulary, as kube-scheduler's (pkg/scheduler/framework): the
// typed views of Pods and Nodes the plugins read, a plugin's Status, the cycle state plugins
// share within one pod's scheduling cycle, and the extension points. Plugins are pure: they
// read a snapshot of the cluster and the pod, and return Statuses and scores.

import type { NodeInfo } from './node-info.js';

export type ResourceList = Record<string, string | number>;

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

export interface PodAffinityTerm {
  labelSelector?: LabelSelector;
  namespaces?: string[];
  namespaceSelector?: LabelSelector;
  topologyKey: string;
  matchLabelKeys?: string[];
  mismatchLabelKeys?: string[];
}

export interface WeightedPodAffinityTerm {
  weight: number;
  podAffinityTerm: PodAffinityTerm;
}

export interface Affinity {
  nodeAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: NodeSelectorTerm[] };
    preferredDuringSchedulingIgnoredDuringExecution?: { weight: number; preference: NodeSelectorTerm }[];
  };
  podAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
    preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[];
  };
  podAntiAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: PodAffinityTerm[];
    preferredDuringSchedulingIgnoredDuringExecution?: WeightedPodAffinityTerm[];
  };
}

export interface TopologySpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  labelSelector?: LabelSelector;
  minDomains?: number;
  nodeAffinityPolicy?: 'Honor' | 'Ignore';
  nodeTaintsPolicy?: 'Honor' | 'Ignore';
  matchLabelKeys?: string[];
}

export interface ContainerPort {
  containerPort: number;
  hostPort?: number;
  hostIP?: string;
  protocol?: string;
}

export interface Container {
  name: string;
  image?: string;
  resources?: { requests?: ResourceList; limits?: ResourceList };
  ports?: ContainerPort[];
  /** `Always` on an init container makes it a sidecar that keeps running. */
  restartPolicy?: string;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
}

/** The parts of a Pod the scheduler reads. */
export interface Pod {
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    labels?: Record<string, string>;
    ownerReferences?: OwnerReference[];
    creationTimestamp?: string;
    deletionTimestamp?: string;
    resourceVersion?: string;
  };
  spec: {
    nodeName?: string;
    schedulerName?: string;
    priority?: number;
    preemptionPolicy?: string;
    nodeSelector?: Record<string, string>;
    affinity?: Affinity;
    tolerations?: Toleration[];
    topologySpreadConstraints?: TopologySpreadConstraint[];
    containers: Container[];
    initContainers?: Container[];
    overhead?: ResourceList;
  };
  status?: { phase?: string; conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

/** The parts of a Node the scheduler reads. */
export interface Node {
  metadata: { name: string; labels?: Record<string, string>; uid?: string; resourceVersion?: string };
  spec?: { unschedulable?: boolean; taints?: Taint[] };
  status?: {
    allocatable?: ResourceList;
    capacity?: ResourceList;
    conditions?: { type: string; status: string }[];
    images?: { names?: string[]; sizeBytes?: number }[];
  };
}

/**
 * A plugin's answer, as upstream's framework.Status: Success, or why the pod cannot go there.
 * Unschedulable may change with the cluster (a pod freed resources); UnschedulableAndUnresolvable
 * will not (the node's labels do not match), so preemption would not help.
 */
export type Code = 'Success' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Error' | 'Skip';

export interface Status {
  code: Code;
  /** The reasons in upstream's words, such as `Insufficient cpu`; they make up the pod's message. */
  reasons: string[];
  /** The plugin that said it, filled in by the framework. */
  plugin?: string;
}

export const success: Status = Object.freeze({ code: 'Success', reasons: [] }) as Status;

export const unschedulable = (...reasons: string[]): Status => ({ code: 'Unschedulable', reasons });
export const unresolvable = (...reasons: string[]): Status => ({ code: 'UnschedulableAndUnresolvable', reasons });
export const skip: Status = Object.freeze({ code: 'Skip', reasons: [] }) as Status;

export const isSuccess = (s: Status | undefined) => s === undefined || s.code === 'Success';

/** What plugins share within one pod's scheduling cycle (PreFilter results read by Filter, and so on), by key. */
export class CycleState {
  private readonly data = new Map<string, unknown>();

  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }

  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }
}

/** The cluster as one scheduling cycle sees it: every node with the pods on it (assumed ones included). */
export interface Snapshot {
  nodes: readonly NodeInfo[];
  /** The nodes whose Ready condition is not False or Unknown, when the cache keeps that list. */
  readyNodes?: readonly NodeInfo[];
  get(nodeName: string): NodeInfo | undefined;
  /** Nodes where some pod has (anti-)affinity terms: InterPodAffinity walks only these for existing pods' terms. */
  nodesWithAffinityPods?: readonly NodeInfo[];
  /**
   * The nodes holding pods of this controller (uid), when the cache keeps that index: a
   * constraint that selects one owner's pods need not walk the nodes without any.
   */
  nodesWithController?(uid: string): Iterable<NodeInfo>;
  /** Namespace labels, for namespaceSelector in pod affinity terms. */
  namespaceLabels?(namespace: string): Record<string, string> | undefined;
}

export interface Plugin {
  readonly name: string;
}

/** Runs once per pod before the filters; may precompute state, or rule the pod out on every node. */
export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: Pod, snapshot: Snapshot): Status;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: Pod, node: NodeInfo): Status;
}

export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[], snapshot: Snapshot): Status;
}

export interface NodeScore {
  name: string;
  score: number;
}

export const maxNodeScore = 100;

export interface ScorePlugin extends Plugin {
  score(state: CycleState, pod: Pod, node: NodeInfo): number;
  /** Maps raw scores onto 0..maxNodeScore in place, where the plugin's raw scores are not already on it. */
  normalizeScore?(state: CycleState, pod: Pod, scores: NodeScore[]): void;
}
