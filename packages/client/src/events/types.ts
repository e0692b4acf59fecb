// What the recorder needs from the world: a client that can create and patch Events (a
// KubeClient is one; a test passes a small fake), and a logger (a pino Logger is one).

import type { Event, ObjectReference } from '@kubets/api';
import type { KubeObject } from '../rest/client.js';

export type EventType = 'Normal' | 'Warning';

/** The object an event is about: any object with apiVersion, kind and metadata, or a reference to one. */
export type InvolvedObject = KubeObject | ObjectReference;

export interface EventClient {
  create(resource: 'events', namespace: string, event: Event, opts: { signal?: AbortSignal }): Promise<Event>;
  /** A merge patch (KubeClient's default). */
  patch(resource: 'events', namespace: string, name: string, patch: object, opts: { signal?: AbortSignal }): Promise<Event>;
}

export interface EventRecorderLogger {
  error(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

/** Without a logger of the component's, failures still show: one line each on stderr. */
export const stderrLogger: EventRecorderLogger = {
  error: (obj, msg) => console.error(msg, JSON.stringify(obj)),
  debug: () => {},
};
