// TaintToleration: a pod may go only to nodes whose NoSchedule and NoExecute taints it tolerates;
// among those it prefers nodes with fewer PreferNoSchedule taints it does not tolerate.

import { type FilterPlugin, type PreScorePlugin, type ScorePlugin, success, type Toleration, unresolvable } from '../framework/types.js';
import { defaultNormalizeScore } from './normalize-score.js';
import { findUntoleratedTaint, tolerationsTolerateTaint } from './tolerations.js';

export const taintTolerationName = 'TaintToleration';
const preScoreStateKey = `PreScore${taintTolerationName}`;

/** Upstream's reason names the first untolerated taint: `node(s) had untolerated taint {key: value}`. */
export const untoleratedTaintReason = (key: string, value = '') => `node(s) had untolerated taint {${key}: ${value}}`;

/** Tolerations that can tolerate a PreferNoSchedule taint: that effect, or every effect. */
const preferNoScheduleTolerations = (tolerations: readonly Toleration[] = []) =>
  tolerations.filter((t) => !t.effect || t.effect === 'PreferNoSchedule');

export function newTaintToleration(): FilterPlugin & PreScorePlugin & ScorePlugin {
  return {
    name: taintTolerationName,
    filter(_state, pod, node) {
      const taint = findUntoleratedTaint(node.node.spec?.taints, pod.spec.tolerations);
      return taint === undefined ? success : unresolvable(untoleratedTaintReason(taint.key, taint.value));
    },
    preScore(state, pod) {
      state.write(preScoreStateKey, preferNoScheduleTolerations(pod.spec.tolerations));
      return success;
    },
    /** The raw score counts the intolerable PreferNoSchedule taints; normalizeScore turns fewer into more. */
    score(state, pod, node) {
      const tolerations = state.read<Toleration[]>(preScoreStateKey) ?? preferNoScheduleTolerations(pod.spec.tolerations);
      const taints = node.node.spec?.taints ?? [];
      return taints.filter((taint) => taint.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(tolerations, taint)).length;
    },
    normalizeScore(_state, _pod, scores) {
      defaultNormalizeScore(scores, true);
    },
  };
}
