// ObjectMeta, ListMeta and the small shared shapes of k8s.io/apimachinery/pkg/apis/meta/v1.
// Schemas allow unknown properties (as upstream's JSON decoding does by default); strict
// field validation, when a client asks for it, is the API server's job.

import { type Static, type TSchema, type TString, Type } from '@sinclair/typebox';
import { described } from './describe.js';

/** RFC 3339 time, as metav1.Time (seconds) is serialised; each field that holds one says what it is. */
export const Time = Type.String({ format: 'date-time' });

/** Marks a MicroTime schema, for decoding to find (validation/micro-time.ts); JSON (OpenAPI) never shows it. */
export const MicroTimeMark = Symbol('kubets.MicroTime');

/**
 * metav1.MicroTime: RFC 3339 with exactly six fractional digits, as upstream parses it; decoding
 * stores it in UTC (`2024-05-01T08:00:00.123456Z`). OpenAPI shows it as upstream does, a date-time string.
 */
export const MicroTime: TString = Object.assign(Type.String({ format: 'date-time' }), { [MicroTimeMark]: true as const });

/** A value that is either an integer or a string, as intstr.IntOrString ("25%" or 8080 or "http"). */
export const IntOrString = Type.Union([Type.Integer(), Type.String()], { 'x-kubernetes-int-or-string': true });
export type IntOrString = Static<typeof IntOrString>;

/** A resource quantity ("100m", "128Mi"); JSON numbers are accepted too, as upstream does. */
export const QuantityValue = Type.Union([Type.String(), Type.Number()], { 'x-kubernetes-int-or-string': true });
export type QuantityValue = Static<typeof QuantityValue>;

export const StringMap = Type.Record(Type.String(), Type.String());

export const OwnerReference = Type.Object({
  apiVersion: Type.String({ description: 'The API version of the owner, such as apps/v1.' }),
  kind: Type.String({ description: 'The kind of the owner, such as ReplicaSet.' }),
  name: Type.String({ description: 'The name of the owner, in the same namespace as this object (or cluster-scoped).' }),
  uid: Type.String({ description: 'The UID of the owner: the reference holds only while that very object exists.' }),
  controller: Type.Optional(Type.Boolean({ description: 'True on the one owner that manages this object (its controller); at most one reference may say so.' })),
  blockOwnerDeletion: Type.Optional(Type.Boolean({ description: 'If true, a foreground deletion of the owner waits until this object is gone. Default false.' })),
}, { description: 'Names an object this one belongs to; when every owner is gone, the garbage collector deletes this object.' });
export type OwnerReference = Static<typeof OwnerReference>;

export const ManagedFieldsEntry = Type.Object({
  manager: Type.Optional(Type.String({ description: 'The name of the client that manages these fields (its fieldManager).' })),
  operation: Type.Optional(Type.String({ description: 'How the fields were written: Apply (server-side apply) or Update (any other write).' })),
  apiVersion: Type.Optional(Type.String({ description: 'The API version the fields were written in; field sets are specific to a version.' })),
  time: Type.Optional(described(Time, 'When this entry last changed (RFC 3339, UTC).')),
  fieldsType: Type.Optional(Type.String({ description: 'The format of the field set; FieldsV1 is the only one.' })),
  fieldsV1: Type.Optional(Type.Unknown({ description: 'The set of fields this manager owns, as a tree of f:<name>, k:<key> and v:<value> entries.' })),
  subresource: Type.Optional(Type.String({ description: 'The subresource the write went to (status, scale), or empty for the object itself.' })),
}, { description: 'The fields one manager owns through one kind of operation, as server-side apply records them.' });

export const ObjectMeta = Type.Object({
  name: Type.Optional(Type.String({ description: 'The name of the object, unique per kind within its namespace; it cannot be changed. Required on create unless generateName is set.' })),
  generateName: Type.Optional(Type.String({ description: 'A prefix from which the server makes a unique name (prefix plus five random characters) when name is empty.' })),
  namespace: Type.Optional(Type.String({ description: 'The namespace the object lives in; empty for cluster-scoped kinds. Defaults to the namespace of the request URL.' })),
  selfLink: Type.Optional(Type.String({ description: 'Deprecated and no longer set: the URL of this object.' })),
  uid: Type.Optional(Type.String({ description: 'A unique identifier the server gives the object on create; it never changes and is never reused. Read-only.' })),
  resourceVersion: Type.Optional(Type.String({ description: 'An opaque version that changes on every write; sending it back makes an update fail with 409 Conflict if the object changed meanwhile. Read-only.' })),
  generation: Type.Optional(Type.Integer({ description: 'A number the server increments each time the desired state (spec) changes. Read-only.' })),
  creationTimestamp: Type.Optional(Type.Union([Time, Type.Null()], { description: 'When the server created the object (RFC 3339, UTC, whole seconds). Read-only.' })),
  deletionTimestamp: Type.Optional(described(Time, 'When the object will be (or started to be) deleted: set by the server on a delete request that has to wait for finalizers or a grace period. Read-only.')),
  deletionGracePeriodSeconds: Type.Optional(Type.Integer({ description: 'Seconds the object has left to terminate gracefully once deletionTimestamp is set. Read-only.' })),
  labels: Type.Optional(described(StringMap, 'Key/value pairs that selectors (of Services, ReplicaSets, kubectl -l ...) match on.')),
  annotations: Type.Optional(described(StringMap, 'Key/value pairs for tools and people; unlike labels, never used to select objects.')),
  ownerReferences: Type.Optional(Type.Array(OwnerReference, { description: 'The objects this one depends on; the garbage collector deletes it when all of them are gone.' })),
  finalizers: Type.Optional(Type.Array(Type.String(), { description: 'Names of tasks that must finish before the object is removed: a delete only sets deletionTimestamp until this list is empty.' })),
  managedFields: Type.Optional(Type.Array(ManagedFieldsEntry, { description: 'Which manager owns which fields, kept by the server for server-side apply.' })),
}, { description: 'The metadata every persisted object has: name, namespace, labels, annotations, owners and the versions the server keeps.' });
export type ObjectMeta = Static<typeof ObjectMeta>;

export const ListMeta = Type.Object({
  resourceVersion: Type.Optional(Type.String({ description: 'The version the list was read at; a watch from it sees every later change.' })),
  continue: Type.Optional(Type.String({ description: 'Set when the list was cut short by limit: send it back as ?continue= to get the next page.' })),
  remainingItemCount: Type.Optional(Type.Integer({ description: 'How many items the later pages hold, when the server knows it.' })),
  selfLink: Type.Optional(Type.String({ description: 'Deprecated and no longer set: the URL of this list.' })),
}, { description: 'The metadata of a list: the version it was read at and the token of its next page.' });
export type ListMeta = Static<typeof ListMeta>;

export const LabelSelectorRequirement = Type.Object({
  key: Type.String({ description: 'The label key the requirement is about.' }),
  operator: Type.String({ description: 'How the key relates to the values: In, NotIn, Exists or DoesNotExist.' }),
  values: Type.Optional(Type.Array(Type.String(), { description: 'The values for In and NotIn (at least one); must be empty for Exists and DoesNotExist.' })),
}, { description: 'One condition on a label: a key, an operator and values.' });

export const LabelSelector = Type.Object({
  matchLabels: Type.Optional(described(StringMap, 'Labels an object must have, each with exactly this value.')),
  matchExpressions: Type.Optional(Type.Array(LabelSelectorRequirement, { description: 'Further conditions on labels; all of them must hold, as must matchLabels.' })),
}, { description: 'Picks objects by their labels; an empty selector matches every object.' });
export type LabelSelectorObject = Static<typeof LabelSelector>;

export const ObjectReference = Type.Object({
  kind: Type.Optional(Type.String({ description: 'The kind of the object referred to, such as Pod.' })),
  namespace: Type.Optional(Type.String({ description: 'The namespace of the object referred to.' })),
  name: Type.Optional(Type.String({ description: 'The name of the object referred to.' })),
  uid: Type.Optional(Type.String({ description: 'The UID of the object referred to.' })),
  apiVersion: Type.Optional(Type.String({ description: 'The API version of the object referred to.' })),
  resourceVersion: Type.Optional(Type.String({ description: 'The version of the object the reference was made against, if it matters.' })),
  fieldPath: Type.Optional(Type.String({ description: 'A part of the object rather than all of it, such as spec.containers{web}.' })),
}, { description: 'Points at another object by kind, namespace and name (and optionally UID and version).' });
export type ObjectReference = Static<typeof ObjectReference>;

/** A condition as most kinds report it (type, status True/False/Unknown, reason, message). */
export function conditionSchema<E extends Record<string, TSchema> = {}>(extra: E = {} as E) {
  return Type.Object({
    type: Type.String({ description: 'The kind of condition, such as Ready or Available.' }),
    status: Type.String({ description: 'Whether the condition holds: True, False or Unknown.' }),
    lastTransitionTime: Type.Optional(described(Time, 'When status last changed from one value to another.')),
    reason: Type.Optional(Type.String({ description: 'A one-word CamelCase reason for the last transition.' })),
    message: Type.Optional(Type.String({ description: 'A human-readable account of the last transition.' })),
    ...extra,
  }, { description: 'One observation of the state of the object, as a type with a True/False/Unknown status.' });
}

/** apiVersion, kind and metadata, then the kind's own fields: the shape of every top-level object. */
export function objectSchema<P extends Record<string, TSchema>>(kind: string, props: P, description: string) {
  return Type.Object(
    {
      apiVersion: Type.Optional(Type.String({ description: 'The versioned schema of this object, such as v1 or apps/v1; the server fills it in.' })),
      kind: Type.Optional(Type.String({ description: 'The kind of this object, in CamelCase, such as Pod; the server fills it in.' })),
      metadata: Type.Optional(described(ObjectMeta, "The object's metadata: name, namespace, labels, annotations, owners.")),
      ...props,
    },
    { title: kind, description },
  );
}
