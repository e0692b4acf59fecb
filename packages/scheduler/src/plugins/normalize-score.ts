// Upstream's helper.DefaultNormalizeScore: maps raw scores from [0, highest] onto [0, maxNodeScore],
// optionally reversed (for plugins whose raw score counts something bad, as untolerated taints).

import { maxNodeScore, type NodeScore } from '../framework/types.js';

/** Scales `scores` in place; raw scores are non-negative integers. All zero: 0 each, or maxNodeScore each when reversed. */
export function defaultNormalizeScore(scores: NodeScore[], reverse: boolean, max = maxNodeScore): void {
  const highest = scores.reduce((m, s) => Math.max(m, s.score), 0);
  for (const s of scores) {
    if (highest === 0) {
      if (reverse) s.score = max;
      continue;
    }
    const scaled = Math.floor((max * s.score) / highest);
    s.score = reverse ? max - scaled : scaled;
  }
}
