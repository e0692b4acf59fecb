// A controller's selector as a matcher. An invalid one (the API validates selectors, so only
// objects stored before a validation change) selects nothing rather than stopping the sync.

import { LabelMatcher, labelSelectorFromObject, type LabelSelectorInput } from '@kubets/api';

export function selectorOf(selector: LabelSelectorInput | null | undefined): LabelMatcher {
  try {
    return labelSelectorFromObject(selector);
  } catch {
    // Invalid: upstream logs it and skips the object; selecting nothing has the same effect.
    return LabelMatcher.nothing();
  }
}
