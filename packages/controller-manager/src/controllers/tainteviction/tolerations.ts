// Which NoExecute taints a pod tolerates and for how long, and so when (if ever) it must leave
// its node. Pure: the caller passes the node's taints, the pod and the time each taint came.

import type { Pod, Taint, Toleration } from '@kubets/api';

/** Upstream's ToleratesTaint: same effect (or any), same key (or any with Exists), and Exists or an equal value. */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect !== undefined && toleration.effect !== '' && toleration.effect !== taint.effect) return false;
  if (toleration.key !== undefined && toleration.key !== '' && toleration.key !== taint.key) return false;
  const operator = toleration.operator ?? 'Equal';
  if (operator === 'Exists') return true;
  return operator === 'Equal' && (toleration.value ?? '') === (taint.value ?? '');
}

export function noExecuteTaints(taints: readonly Taint[] | undefined): Taint[] {
  return (taints ?? []).filter((t) => t.effect === 'NoExecute');
}

/** How long a toleration lets the pod stay: undefined is forever, 0 or less is not at all. */
function toleratedMs(t: Toleration): number | undefined {
  if (t.tolerationSeconds === undefined || t.tolerationSeconds === null) return undefined;
  return Math.max(0, t.tolerationSeconds) * 1000;
}

export type EvictionDecision =
  /** No NoExecute taint, or all tolerated forever: the pod stays. */
  | { evict: false }
  /** The pod must go at `at` (ms); at or before now means at once. */
  | { evict: true; at: number };

/**
 * When the pod must leave a node with these NoExecute taints. A taint no toleration matches
 * evicts at once; otherwise each taint allows the first matching toleration's seconds from
 * when the taint came (`since`), but not from before the pod was created, and the earliest
 * such deadline wins.
 */
export function evictionDecision(pod: Pod, taints: readonly Taint[], since: (t: Taint) => number, podCreatedMs: number): EvictionDecision {
  let at = Infinity;
  for (const taint of taints) {
    const toleration = (pod.spec?.tolerations ?? []).find((tol) => toleratesTaint(tol, taint));
    if (toleration === undefined) return { evict: true, at: -Infinity };
    const ms = toleratedMs(toleration);
    if (ms !== undefined) at = Math.min(at, Math.max(since(taint), podCreatedMs) + ms);
  }
  return at === Infinity ? { evict: false } : { evict: true, at };
}
