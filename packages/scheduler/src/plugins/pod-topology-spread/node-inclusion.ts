// Which nodes count for a spread constraint (its node inclusion policies): those matching the
// pod's nodeSelector and required node affinity (nodeAffinityPolicy Honor), and those whose
// NoSchedule/NoExecute taints the pod tolerates (nodeTaintsPolicy Honor). Minimal versions of
// what NodeAffinity and TaintToleration decide.

import type { Node, NodeSelectorRequirement, NodeSelectorTerm, Pod, Taint, Toleration } from '../../framework/types.js';
import { labelValue } from '../label-selector.js';

// unify with the NodeAffinity/TaintToleration helpers when both land
/** The pod's nodeSelector and required node affinity (terms ORed, requirements ANDed) match the node. */
export function matchesNodeSelectorAndAffinity(pod: Pod, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  const selector = pod.spec.nodeSelector ?? {};
  if (!Object.keys(selector).every((key) => labelValue(labels, key) === selector[key])) return false;
  const required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return required === undefined || required.nodeSelectorTerms.some((term) => termMatches(term, node));
}

// unify with the NodeAffinity/TaintToleration helpers when both land
/** The pod tolerates every taint of the node whose effect is one of `effects`. */
export function toleratesNodeTaints(pod: Pod, node: Node, effects: readonly string[]): boolean {
  const tolerations = pod.spec.tolerations ?? [];
  return (node.spec?.taints ?? []).every((taint) => !effects.includes(taint.effect) || tolerations.some((t) => tolerates(t, taint)));
}

/** An empty term matches nothing, as upstream. */
function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  return (
    expressions.every((r) => requirementMatches(r, labelValue(node.metadata.labels, r.key))) &&
    fields.every((r) => r.key === 'metadata.name' && (r.operator === 'In' || r.operator === 'NotIn') && requirementMatches(r, node.metadata.name))
  );
}

function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt':
      return compareIntegers(r.operator, value, values);
  }
}

/** Gt and Lt take one integer value and compare the label as an integer. */
function compareIntegers(operator: 'Gt' | 'Lt', value: string | undefined, values: string[]): boolean {
  const isInteger = (s: string | undefined): s is string => s !== undefined && /^[+-]?\d+$/.test(s);
  const wanted = values[0];
  if (values.length !== 1 || !isInteger(wanted) || !isInteger(value)) return false;
  return operator === 'Gt' ? BigInt(value) > BigInt(wanted) : BigInt(value) < BigInt(wanted);
}

/** Upstream Toleration.ToleratesTaint: an empty key with Exists tolerates every taint; an empty effect every effect. */
function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  return (t.operator === undefined || t.operator === '' || t.operator === 'Equal') && (t.value ?? '') === (taint.value ?? '');
}
