// Whether a pod's tolerations tolerate a node's taints, as upstream's v1.Toleration.ToleratesTaint
// and FindMatchingUntoleratedTaint (k8s.io/component-helpers/scheduling/corev1). TaintToleration,
// NodeUnschedulable and PodTopologySpread's nodeTaintsPolicy all ask this question.

import type { Node, Pod, Taint, Toleration } from '../framework/types.js';

/** The effects a pod must tolerate to be placed on a node (PreferNoSchedule only lowers its score). */
export const doNotScheduleEffects: readonly string[] = ['NoSchedule', 'NoExecute'];

/**
 * An empty effect matches every effect and an empty key every key (validation allows an empty key
 * only with Exists, so that is "tolerate everything"); Equal, the default operator, needs equal values.
 */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  const operator = toleration.operator || 'Equal';
  if (operator === 'Exists') return true;
  if (operator === 'Equal') return (toleration.value ?? '') === (taint.value ?? '');
  return false;
}

export function tolerationsTolerateTaint(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/** The first of `taints` with one of `effects` that no toleration tolerates, if any. */
export function findUntoleratedTaint(
  taints: readonly Taint[] | undefined,
  tolerations: readonly Toleration[] | undefined,
  effects: readonly string[] = doNotScheduleEffects,
): Taint | undefined {
  return (taints ?? []).find((taint) => effects.includes(taint.effect) && !tolerationsTolerateTaint(tolerations, taint));
}

/** Does `pod` tolerate every taint of `node` with one of `effects` (NoSchedule and NoExecute unless told)? */
export function toleratesNodeTaints(pod: Pod, node: Node, effects: readonly string[] = doNotScheduleEffects): boolean {
  return findUntoleratedTaint(node.spec?.taints, pod.spec.tolerations, effects) === undefined;
}
