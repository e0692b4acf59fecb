// The InterPodAffinity plugin (upstream pkg/scheduler/framework/plugins/interpodaffinity):
// required pod affinity and anti-affinity as a filter, preferred terms as a score.

import type { FilterPlugin, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../../framework/types.js';
import { filter, preFilter } from './filtering.js';
import { type ScoringArgs, normalizeScore, preScore, score } from './scoring.js';

export const interPodAffinityName = 'InterPodAffinity';

/** Upstream InterPodAffinityArgs. */
export interface InterPodAffinityArgs {
  /** The weight of an existing pod's required affinity term that selects the incoming pod, 0..100; default 1. */
  hardPodAffinityWeight?: number;
  /** Score only by the incoming pod's preferred terms, not by the existing pods' terms; default false. */
  ignorePreferredTermsOfExistingPods?: boolean;
}

export type InterPodAffinityPlugin = PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin;

export function newInterPodAffinity(args: InterPodAffinityArgs = {}): InterPodAffinityPlugin {
  const scoring = validatedArgs(args);
  return {
    name: interPodAffinityName,
    preFilter,
    filter,
    preScore: (state, pod, nodes, snapshot) => preScore(scoring, state, pod, nodes, snapshot),
    score,
    normalizeScore,
  };
}

/** Args with their defaults; invalid ones throw, worded as upstream's ValidateInterPodAffinityArgs. */
function validatedArgs(args: InterPodAffinityArgs): ScoringArgs {
  const weight = args.hardPodAffinityWeight ?? 1;
  if (!Number.isInteger(weight) || weight < 0 || weight > 100) {
    throw new Error(`hardPodAffinityWeight: Invalid value: ${weight}: not in valid range [0, 100]`);
  }
  return { hardPodAffinityWeight: weight, ignorePreferredTermsOfExistingPods: args.ignorePreferredTermsOfExistingPods ?? false };
}
