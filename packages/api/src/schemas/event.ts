import { type Static, Type } from '@sinclair/typebox';
import { MicroTime, ObjectReference, Time, objectSchema } from './meta.js';
import { described } from './describe.js';

export const Event = objectSchema(
  'Event',
  {
    involvedObject: described(ObjectReference, 'The object the event is about.'),
    reason: Type.Optional(Type.String({ description: 'A short CamelCase reason, such as Scheduled, Pulled or BackOff.' })),
    message: Type.Optional(Type.String({ description: 'A human-readable account of what happened.' })),
    source: Type.Optional(Type.Object({
      component: Type.Optional(Type.String({ description: 'The component that reported the event, such as kubelet or default-scheduler.' })),
      host: Type.Optional(Type.String({ description: 'The node the reporting component runs on.' })),
    }, { description: 'Who reported the event (the older form of reportingComponent and reportingInstance).' })),
    firstTimestamp: Type.Optional(Type.Union([Time, Type.Null()], { description: 'When the event was first seen (RFC 3339, whole seconds).' })),
    lastTimestamp: Type.Optional(Type.Union([Time, Type.Null()], { description: 'When the event was most recently seen (RFC 3339, whole seconds).' })),
    count: Type.Optional(Type.Integer({ description: 'How many times the event has happened.' })),
    type: Type.Optional(Type.String({ description: 'Normal or Warning.' })),
    eventTime: Type.Optional(Type.Union([MicroTime, Type.Null()], { description: 'When the event was first observed (RFC 3339 with microseconds, stored in UTC).' })),
    series: Type.Optional(Type.Object({
      count: Type.Optional(Type.Integer({ description: 'How many times the event has happened in this series.' })),
      lastObservedTime: Type.Optional(described(MicroTime, 'When the last event of the series was observed (RFC 3339 with microseconds, stored in UTC).')),
    }, { description: 'A run of repeated events, when the event has happened more than once.' })),
    action: Type.Optional(Type.String({ description: 'What was done, or failed to be done, to the object, such as Binding.' })),
    related: Type.Optional(described(ObjectReference, 'A second object the event involves, such as the node of a scheduling event.')),
    reportingComponent: Type.Optional(Type.String({ description: 'The controller that reported the event, such as kubernetes.io/kubelet.' })),
    reportingInstance: Type.Optional(Type.String({ description: 'Which instance of that controller reported it, such as kubelet-node-1.' })),
  },
  'A report of something that happened to an object.',
);
export type Event = Static<typeof Event>;
