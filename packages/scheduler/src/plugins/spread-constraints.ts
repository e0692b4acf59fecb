// A pod's topology spread constraints, parsed for PodTopologySpread (upstream's internal
// topologySpreadConstraint): the pod's own, or the cluster's defaults for a pod without any.

import type { Pod, TopologySpreadConstraint } from '../framework/types.js';
import { controllerUid } from '../framework/node-info.js';
import { type Labels, labelValue, parseLabelSelector, withMatchLabels } from './label-selector.js';

export const labelHostname = 'kubernetes.io/hostname';
export const labelTopologyZone = 'topology.kubernetes.io/zone';

export type NodeInclusionPolicy = 'Honor' | 'Ignore';
export type WhenUnsatisfiable = TopologySpreadConstraint['whenUnsatisfiable'];

export interface SpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly minDomains: number;
  readonly nodeAffinityPolicy: NodeInclusionPolicy;
  readonly nodeTaintsPolicy: NodeInclusionPolicy;
  /** Whether a pod (of the incoming pod's namespace) counts towards the constraint. */
  readonly selects: (pod: Pod) => boolean;
  /** Set when it selects exactly the pods of this controller: counted from NodeInfo.podsByController. */
  readonly controllerUid?: string;
}

/** Upstream's system defaults: spread the pods of one owner over hosts, and a little over zones. */
export const systemDefaultConstraints: readonly TopologySpreadConstraint[] = [
  { topologyKey: labelHostname, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: labelTopologyZone, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
];

/**
 * The pod's constraints with `whenUnsatisfiable`, selectors parsed and matchLabelKeys merged
 * (upstream filterTopologySpreadConstraints); or the first invalid selector's message.
 */
export function podConstraints(pod: Pod, whenUnsatisfiable: WhenUnsatisfiable): SpreadConstraint[] | { error: string } {
  const out: SpreadConstraint[] = [];
  for (const c of pod.spec.topologySpreadConstraints ?? []) {
    if (c.whenUnsatisfiable !== whenUnsatisfiable) continue;
    const parsed = parseLabelSelector(c.labelSelector);
    if ('error' in parsed) return parsed;
    const keyLabels = labelsOf(pod.metadata.labels ?? {}, c.matchLabelKeys ?? []);
    const matcher = Object.keys(keyLabels).length > 0 ? withMatchLabels(parsed.matcher, keyLabels) : parsed.matcher;
    out.push(parsedConstraint(c, (p) => matcher.matches(p.metadata.labels)));
  }
  return out;
}

/**
 * The default constraints with `whenUnsatisfiable` for a pod without constraints of its own,
 * none for a pod without a controller. Upstream selects the pods that the Services,
 * ReplicationControllers, ReplicaSets and StatefulSets selecting this pod select; the
 * scheduler has no listers for those here, so it selects the pods of the same controller
 * (same controller ownerReference uid), which for a ReplicaSet or StatefulSet is the same set.
 */
export function defaultConstraints(pod: Pod, defaults: readonly TopologySpreadConstraint[], whenUnsatisfiable: WhenUnsatisfiable): SpreadConstraint[] {
  const owner = controllerUid(pod);
  if (owner === undefined) return [];
  const sameOwner = (p: Pod) => controllerUid(p) === owner;
  return defaults.filter((c) => c.whenUnsatisfiable === whenUnsatisfiable).map((c) => ({ ...parsedConstraint(c, sameOwner), controllerUid: owner }));
}

function parsedConstraint(c: TopologySpreadConstraint, selects: (pod: Pod) => boolean): SpreadConstraint {
  return {
    maxSkew: c.maxSkew,
    topologyKey: c.topologyKey,
    minDomains: c.minDomains ?? 1,
    nodeAffinityPolicy: c.nodeAffinityPolicy ?? 'Honor',
    nodeTaintsPolicy: c.nodeTaintsPolicy ?? 'Ignore',
    selects,
  };
}

function labelsOf(labels: Labels, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = labelValue(labels, key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** The pod's own constraints with `whenUnsatisfiable` if it has any constraint, else the defaults (upstream getConstraints). */
export function constraintsFor(
  pod: Pod,
  defaults: readonly TopologySpreadConstraint[],
  whenUnsatisfiable: WhenUnsatisfiable,
): SpreadConstraint[] | { error: string } {
  const own = pod.spec.topologySpreadConstraints ?? [];
  return own.length > 0 ? podConstraints(pod, whenUnsatisfiable) : defaultConstraints(pod, defaults, whenUnsatisfiable);
}
