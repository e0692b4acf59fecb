import { type Static, Type } from '@sinclair/typebox';
import { ObjectReference, Time, objectSchema } from './meta.js';

export const Event = objectSchema(
  'Event',
  {
    involvedObject: ObjectReference,
    reason: Type.Optional(Type.String()),
    message: Type.Optional(Type.String()),
    source: Type.Optional(Type.Object({ component: Type.Optional(Type.String()), host: Type.Optional(Type.String()) })),
    firstTimestamp: Type.Optional(Type.Union([Time, Type.Null()])),
    lastTimestamp: Type.Optional(Type.Union([Time, Type.Null()])),
    count: Type.Optional(Type.Integer()),
    type: Type.Optional(Type.String()),
    eventTime: Type.Optional(Type.Union([Time, Type.Null()])),
    series: Type.Optional(Type.Object({ count: Type.Optional(Type.Integer()), lastObservedTime: Type.Optional(Time) })),
    action: Type.Optional(Type.String()),
    related: Type.Optional(ObjectReference),
    reportingComponent: Type.Optional(Type.String()),
    reportingInstance: Type.Optional(Type.String()),
  },
  'A report of something that happened to an object.',
);
export type Event = Static<typeof Event>;
