// The meta kinds every API speaks: Status, DeleteOptions, List and WatchEvent.

import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { ListMeta } from './meta.js';

export const StatusSchema = Type.Object(
  {
    kind: Type.Optional(Type.Literal('Status')),
    apiVersion: Type.Optional(Type.String()),
    metadata: Type.Optional(ListMeta),
    status: Type.Optional(Type.String()),
    message: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String()),
    details: Type.Optional(
      Type.Object({
        name: Type.Optional(Type.String()),
        group: Type.Optional(Type.String()),
        kind: Type.Optional(Type.String()),
        uid: Type.Optional(Type.String()),
        causes: Type.Optional(
          Type.Array(
            Type.Object({
              reason: Type.Optional(Type.String()),
              message: Type.Optional(Type.String()),
              field: Type.Optional(Type.String()),
            }),
          ),
        ),
        retryAfterSeconds: Type.Optional(Type.Integer()),
      }),
    ),
    code: Type.Optional(Type.Integer()),
  },
  { title: 'Status', description: 'The result of a call that does not return an object, and every error.' },
);

export const DeleteOptions = Type.Object(
  {
    kind: Type.Optional(Type.String()),
    apiVersion: Type.Optional(Type.String()),
    gracePeriodSeconds: Type.Optional(Type.Integer()),
    preconditions: Type.Optional(
      Type.Object({ uid: Type.Optional(Type.String()), resourceVersion: Type.Optional(Type.String()) }),
    ),
    orphanDependents: Type.Optional(Type.Boolean()),
    propagationPolicy: Type.Optional(Type.String()),
    dryRun: Type.Optional(Type.Array(Type.String())),
  },
  { title: 'DeleteOptions', description: 'Options for a DELETE: grace period, preconditions, propagation policy.' },
);
export type DeleteOptions = Static<typeof DeleteOptions>;

/** `<Kind>List`: ListMeta plus items of one kind. */
export function listSchema<T extends TSchema>(itemKind: string, item: T) {
  return Type.Object(
    {
      apiVersion: Type.Optional(Type.String()),
      kind: Type.Optional(Type.String()),
      metadata: Type.Optional(ListMeta),
      items: Type.Array(item),
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
    type: Type.Union(WatchEventTypes.map((t) => Type.Literal(t))),
    object: Type.Unknown(),
  },
  { title: 'WatchEvent', description: 'One line of a watch stream.' },
);
export interface WatchEvent<T = unknown> {
  type: WatchEventType;
  object: T;
}
