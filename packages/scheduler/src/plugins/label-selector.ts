// metav1.LabelSelector matching for the scheduler's plugins, on top of @kubets/api's
// selectors (one implementation of upstream's labels package for the whole project):
// an absent selector matches nothing, an empty one everything, as LabelSelectorAsSelector.

import { LabelMatcher, type Labels, labelSelectorFromObject, labelSelectorFromSet } from '@kubets/api';
import type { LabelSelector } from '../framework/types.js';

export { LabelMatcher, type Labels };

/** The selector `selector` stands for, or the reason it is invalid (an unknown operator, a bad key or value). */
export type ParsedSelector = { matcher: LabelMatcher } | { error: string };

export function parseLabelSelector(selector: LabelSelector | undefined): ParsedSelector {
  try {
    return { matcher: labelSelectorFromObject(selector) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * `selector` ANDed with `key=value` for each of `labels`, as upstream's mergeLabelSetWithSelector
 * (matchLabelKeys): the labels alone where the selector matches nothing.
 */
export function withMatchLabels(selector: LabelMatcher, labels: Labels): LabelMatcher {
  const fromSet = labelSelectorFromSet(labels);
  return selector.matchesNothing() ? fromSet : fromSet.add(...selector.requirements);
}

/** The value of label `key`, if set (own properties only: labels come from JSON objects). */
export function labelValue(labels: Labels | undefined, key: string): string | undefined {
  return labels !== undefined && Object.hasOwn(labels, key) ? labels[key] : undefined;
}
