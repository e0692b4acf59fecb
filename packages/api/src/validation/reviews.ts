// Validation of the review kinds, as kube-apiserver 1.32 words it (pkg/apis/authorization/validation):
// an access review asks about exactly one of a resource or a non-resource path, a
// SubjectAccessReview names a user or a group, and a review carries no object metadata.

import { type FieldError, FieldPath, fieldErrors } from '../errors/field.js';
import type { NonResourceAttributes, ResourceAttributes } from '../schemas/authorization.js';

interface AccessReviewSpec {
  resourceAttributes?: ResourceAttributes;
  nonResourceAttributes?: NonResourceAttributes;
}

function validateAttributes(spec: AccessReviewSpec): FieldError[] {
  const at = FieldPath.root('spec');
  if (spec.resourceAttributes !== undefined && spec.nonResourceAttributes !== undefined) {
    return [fieldErrors.invalid(at.child('nonResourceAttributes'), spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes')];
  }
  if (spec.resourceAttributes === undefined && spec.nonResourceAttributes === undefined) {
    return [fieldErrors.invalid(at.child('resourceAttributes'), null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified')];
  }
  return [];
}

/** A review is a question, not an object: managedFields aside, its metadata must be empty. */
function validateEmptyMetadata(metadata: Record<string, unknown> | undefined): FieldError[] {
  const rest = Object.keys(metadata ?? {}).filter((k) => k !== 'managedFields');
  return rest.length === 0 ? [] : [fieldErrors.invalid(FieldPath.root('metadata'), metadata, 'must be empty')];
}

export function validateSelfSubjectAccessReview(review: { metadata?: Record<string, unknown>; spec: AccessReviewSpec }): FieldError[] {
  return [...validateAttributes(review.spec), ...validateEmptyMetadata(review.metadata)];
}

export function validateSubjectAccessReview(review: { metadata?: Record<string, unknown>; spec: AccessReviewSpec & { user?: string; groups?: string[] } }): FieldError[] {
  const errs = validateAttributes(review.spec);
  if ((review.spec.user ?? '') === '' && (review.spec.groups ?? []).length === 0) {
    errs.push(fieldErrors.invalid(FieldPath.root('spec').child('user'), review.spec.user ?? '', 'at least one of user or group must be specified'));
  }
  return [...errs, ...validateEmptyMetadata(review.metadata)];
}
