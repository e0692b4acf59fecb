// ObjectMeta, ListMeta and the small shared shapes of k8s.io/apimachinery/pkg/apis/meta/v1.
// Schemas allow unknown properties (as upstream's JSON decoding does by default); strict
// field validation, when a client asks for it, is the API server's job.

import { type Static, type TSchema, Type } from '@sinclair/typebox';

/** RFC 3339 time, as metav1.Time (seconds) and metav1.MicroTime (microseconds) are serialised. */
export const Time = Type.String({ format: 'date-time', description: 'RFC 3339 timestamp' });

/** A value that is either an integer or a string, as intstr.IntOrString ("25%" or 8080 or "http"). */
export const IntOrString = Type.Union([Type.Integer(), Type.String()], { 'x-kubernetes-int-or-string': true });
export type IntOrString = Static<typeof IntOrString>;

/** A resource quantity ("100m", "128Mi"); JSON numbers are accepted too, as upstream does. */
export const QuantityValue = Type.Union([Type.String(), Type.Number()], { 'x-kubernetes-int-or-string': true });
export type QuantityValue = Static<typeof QuantityValue>;

export const StringMap = Type.Record(Type.String(), Type.String());

export const OwnerReference = Type.Object({
  apiVersion: Type.String(),
  kind: Type.String(),
  name: Type.String(),
  uid: Type.String(),
  controller: Type.Optional(Type.Boolean()),
  blockOwnerDeletion: Type.Optional(Type.Boolean()),
});
export type OwnerReference = Static<typeof OwnerReference>;

export const ManagedFieldsEntry = Type.Object({
  manager: Type.Optional(Type.String()),
  operation: Type.Optional(Type.String()),
  apiVersion: Type.Optional(Type.String()),
  time: Type.Optional(Time),
  fieldsType: Type.Optional(Type.String()),
  fieldsV1: Type.Optional(Type.Unknown()),
  subresource: Type.Optional(Type.String()),
});

export const ObjectMeta = Type.Object({
  name: Type.Optional(Type.String()),
  generateName: Type.Optional(Type.String()),
  namespace: Type.Optional(Type.String()),
  selfLink: Type.Optional(Type.String()),
  uid: Type.Optional(Type.String()),
  resourceVersion: Type.Optional(Type.String()),
  generation: Type.Optional(Type.Integer()),
  creationTimestamp: Type.Optional(Type.Union([Time, Type.Null()])),
  deletionTimestamp: Type.Optional(Time),
  deletionGracePeriodSeconds: Type.Optional(Type.Integer()),
  labels: Type.Optional(StringMap),
  annotations: Type.Optional(StringMap),
  ownerReferences: Type.Optional(Type.Array(OwnerReference)),
  finalizers: Type.Optional(Type.Array(Type.String())),
  managedFields: Type.Optional(Type.Array(ManagedFieldsEntry)),
});
export type ObjectMeta = Static<typeof ObjectMeta>;

export const ListMeta = Type.Object({
  resourceVersion: Type.Optional(Type.String()),
  continue: Type.Optional(Type.String()),
  remainingItemCount: Type.Optional(Type.Integer()),
  selfLink: Type.Optional(Type.String()),
});
export type ListMeta = Static<typeof ListMeta>;

export const LabelSelectorRequirement = Type.Object({
  key: Type.String(),
  operator: Type.String(),
  values: Type.Optional(Type.Array(Type.String())),
});

export const LabelSelector = Type.Object({
  matchLabels: Type.Optional(StringMap),
  matchExpressions: Type.Optional(Type.Array(LabelSelectorRequirement)),
});
export type LabelSelectorObject = Static<typeof LabelSelector>;

export const ObjectReference = Type.Object({
  kind: Type.Optional(Type.String()),
  namespace: Type.Optional(Type.String()),
  name: Type.Optional(Type.String()),
  uid: Type.Optional(Type.String()),
  apiVersion: Type.Optional(Type.String()),
  resourceVersion: Type.Optional(Type.String()),
  fieldPath: Type.Optional(Type.String()),
});
export type ObjectReference = Static<typeof ObjectReference>;

/** A condition as most kinds report it (type, status True/False/Unknown, reason, message). */
export function conditionSchema(extra: Record<string, TSchema> = {}) {
  return Type.Object({
    type: Type.String(),
    status: Type.String(),
    lastTransitionTime: Type.Optional(Time),
    reason: Type.Optional(Type.String()),
    message: Type.Optional(Type.String()),
    ...extra,
  });
}

/** apiVersion, kind and metadata, then the kind's own fields: the shape of every top-level object. */
export function objectSchema<P extends Record<string, TSchema>>(kind: string, props: P, description: string) {
  return Type.Object(
    {
      apiVersion: Type.Optional(Type.String()),
      kind: Type.Optional(Type.String()),
      metadata: Type.Optional(ObjectMeta),
      ...props,
    },
    { title: kind, description },
  );
}
