// The Event a recorder writes for `event(object, type, reason, message)`, as client-go's
// recorder makes it: the object's reference as involvedObject, in the object's namespace (in
// "default" for a cluster-scoped object such as a Node), count 1, first and last timestamp now,
// and the source both in the old form (source.component/host) and the new
// (reportingComponent/reportingInstance).

import type { Event, ObjectReference } from '@kubets/api';
import { eventName } from './event-name.js';
import { formatEventTime, type EventNanoClock } from './event-time.js';
import type { EventType, InvolvedObject } from './types.js';

/** events.k8s.io's limit on a note; kube-scheduler cuts its own messages to it the same way. */
export const maxMessageBytes = 1024;

export interface EventSource {
  component: string;
  host?: string;
}

/** The reference client-go's GetReference makes; a reference passed in is taken as it is. */
export function objectReference(obj: InvolvedObject): ObjectReference {
  if (!('metadata' in obj) || obj.metadata === undefined) return { ...(obj as ObjectReference) };
  const ref: ObjectReference = {};
  const m = obj.metadata;
  const fields: [keyof ObjectReference, unknown][] = [
    ['kind', obj.kind],
    ['namespace', m.namespace],
    ['name', m.name],
    ['uid', m.uid],
    ['apiVersion', obj.apiVersion],
    ['resourceVersion', m.resourceVersion],
  ];
  for (const [k, v] of fields) if (typeof v === 'string' && v !== '') ref[k] = v;
  return ref;
}

/** At most maxMessageBytes of UTF-8, ending " ..." when cut (never inside a character). */
export function truncateMessage(message: string): string {
  const bytes = Buffer.from(message, 'utf8');
  if (bytes.length <= maxMessageBytes) return message;
  const suffix = ' ...';
  let end = maxMessageBytes - suffix.length;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // back off a continuation byte
  return bytes.subarray(0, end).toString('utf8') + suffix;
}

export function makeEvent(ref: ObjectReference, source: EventSource, type: EventType, reason: string, message: string, nanoClock: EventNanoClock): Event {
  const time = formatEventTime(nanoClock.clock.now());
  const host = source.host ?? '';
  const ev: Event = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: eventName(ref.name ?? '', nanoClock.nowNanos()), namespace: ref.namespace || 'default' },
    involvedObject: ref,
    reason,
    message: truncateMessage(message),
    source: host === '' ? { component: source.component } : { component: source.component, host },
    firstTimestamp: time,
    lastTimestamp: time,
    count: 1,
    type,
    reportingComponent: source.component,
  };
  if (host !== '') ev.reportingInstance = host;
  return ev;
}
