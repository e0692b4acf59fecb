// The meta kinds every API speaks: Status, DeleteOptions, List and WatchEvent.

import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { described } from './describe.js';
import { ListMeta } from './meta.js';

export const StatusSchema = Type.Object(
  {
    kind: Type.Optional(Type.Literal('Status', { description: 'Always Status.' })),
    apiVersion: Type.Optional(Type.String({ description: 'Always v1.' })),
    metadata: Type.Optional(described(ListMeta, 'List metadata; usually empty on a Status.')),
    status: Type.Optional(Type.String({ description: 'Success or Failure.' })),
    message: Type.Optional(Type.String({ description: 'A human-readable account of what happened.' })),
    reason: Type.Optional(Type.String({ description: 'A machine-readable CamelCase reason for a failure, such as NotFound, AlreadyExists, Conflict or Invalid.' })),
    details: Type.Optional(
      Type.Object({
        name: Type.Optional(Type.String({ description: 'The name of the object the status is about.' })),
        group: Type.Optional(Type.String({ description: 'The API group of that object.' })),
        kind: Type.Optional(Type.String({ description: 'The kind (or resource) of that object.' })),
        uid: Type.Optional(Type.String({ description: 'The UID of that object, when known.' })),
        causes: Type.Optional(
          Type.Array(
            Type.Object({
              reason: Type.Optional(Type.String({ description: 'A machine-readable cause, such as FieldValueInvalid or FieldValueRequired.' })),
              message: Type.Optional(Type.String({ description: 'A human-readable account of this cause.' })),
              field: Type.Optional(Type.String({ description: 'The path of the field at fault, such as spec.containers[0].name.' })),
            }),
            { description: 'Each problem found, one per field, when there were several.' },
          ),
        ),
        retryAfterSeconds: Type.Optional(Type.Integer({ description: 'Seconds a client should wait before it retries, when the server says so.' })),
      }, { description: 'More about the failure: which object and, for invalid input, each cause.' }),
    ),
    code: Type.Optional(Type.Integer({ description: 'The HTTP status code of the response, such as 404 or 422.' })),
  },
  { title: 'Status', description: 'The result of a call that does not return an object, and every error.' },
);

export const DeleteOptions = Type.Object(
  {
    kind: Type.Optional(Type.String({ description: 'Always DeleteOptions.' })),
    apiVersion: Type.Optional(Type.String({ description: 'Always v1.' })),
    gracePeriodSeconds: Type.Optional(Type.Integer({ description: "Seconds to give the object before it is deleted; 0 means now. Defaults to the kind's own grace period." })),
    preconditions: Type.Optional(
      Type.Object({
        uid: Type.Optional(Type.String({ description: 'Delete only if the object still has this UID.' })),
        resourceVersion: Type.Optional(Type.String({ description: 'Delete only if the object is still at this resourceVersion.' })),
      }, { description: 'Conditions the object must meet for the delete to go ahead (409 Conflict otherwise).' }),
    ),
    orphanDependents: Type.Optional(Type.Boolean({ description: 'Deprecated: use propagationPolicy. True leaves the dependents in place.' })),
    propagationPolicy: Type.Optional(Type.String({ description: 'What happens to dependents: Orphan (left in place), Background (deleted after the owner) or Foreground (deleted before the owner).' })),
    dryRun: Type.Optional(Type.Array(Type.String(), { description: 'All: check the delete but do not carry it out.' })),
  },
  { title: 'DeleteOptions', description: 'Options for a DELETE: grace period, preconditions, propagation policy.' },
);
export type DeleteOptions = Static<typeof DeleteOptions>;

/** `<Kind>List`: ListMeta plus items of one kind. */
export function listSchema<T extends TSchema>(itemKind: string, item: T) {
  return Type.Object(
    {
      apiVersion: Type.Optional(Type.String({ description: 'The versioned schema of the list, as of its items.' })),
      kind: Type.Optional(Type.String({ description: `Always ${itemKind}List.` })),
      metadata: Type.Optional(described(ListMeta, 'The version the list was read at and the token of its next page.')),
      items: Type.Array(item, { description: `The ${itemKind} objects.` }),
    },
    { title: `${itemKind}List`, description: `A list of ${itemKind} objects.` },
  );
}

export interface List<T> {
  apiVersion: string;
  kind: string;
  metadata: ListMeta;
  items: T[];
}

export const WatchEventTypes = ['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR'] as const;
export type WatchEventType = (typeof WatchEventTypes)[number];

export const WatchEvent = Type.Object(
  {
    type: Type.Union(WatchEventTypes.map((t) => Type.Literal(t)), { description: 'What happened: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.' }),
    object: Type.Unknown({ description: 'The object as it is after the change (before it, for DELETED); a Status for ERROR.' }),
  },
  { title: 'WatchEvent', description: 'One line of a watch stream.' },
);
export interface WatchEvent<T = unknown> {
  type: WatchEventType;
  object: T;
}
