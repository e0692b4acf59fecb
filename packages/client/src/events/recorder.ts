// The EventRecorder every component reports through (client-go's tools/record, core v1 Events):
//
//   const recorder = new EventRecorder({ client, component: 'default-scheduler' });
//   recorder.event(pod, 'Normal', 'Scheduled', `Successfully assigned default/web to node-1`);
//   await recorder.shutdown();
//
// event() returns at once and never throws: the Event is made now (its time is the moment of
// the call) and written in the background by one writer, through the correlator (aggregation,
// de-duplication into count patches, the spam filter). A bad call (no object name, a type other
// than Normal or Warning) and a full queue are logged and the event dropped, as upstream.

import type { Clock } from '../clock/clock.js';
import { realClock } from '../clock/real-clock.js';
import { EventCorrelator } from './correlator.js';
import { EventNanoClock } from './event-time.js';
import { EventWriter } from './event-writer.js';
import { makeEvent, objectReference } from './make-event.js';
import { eventForLog } from './write-event.js';
import { type EventClient, type EventRecorderLogger, type EventType, type InvolvedObject, stderrLogger } from './types.js';

export interface EventRecorderOptions {
  client: EventClient;
  /** source.component and reportingComponent, e.g. default-scheduler, kubelet. */
  component: string;
  /** source.host and reportingInstance: the node the component runs on, if any. */
  host?: string;
  clock?: Clock;
  logger?: EventRecorderLogger;
  /** Between tries of a write that got no answer; default 10 000 ms (the first wait is jittered). */
  retryIntervalMs?: number;
  /** For the jitter, in [0, 1); Math.random by default. */
  random?: () => number;
  /** Events waiting to be written before new ones are dropped; default 1000. */
  maxQueuedEvents?: number;
  /** How long shutdown() may take to flush; default 10 000 ms. */
  shutdownTimeoutMs?: number;
}

export const recorderDefaults = {
  retryIntervalMs: 10_000,
  maxTriesPerEvent: 12,
  maxQueuedEvents: 1000,
  shutdownTimeoutMs: 10_000,
};

export class EventRecorder {
  private readonly source: { component: string; host?: string };
  private readonly nanoClock: EventNanoClock;
  private readonly logger: EventRecorderLogger;
  private readonly writer: EventWriter;
  private readonly shutdownTimeoutMs: number;

  constructor(opts: EventRecorderOptions) {
    this.source = opts.host === undefined ? { component: opts.component } : { component: opts.component, host: opts.host };
    const clock = opts.clock ?? realClock;
    this.nanoClock = new EventNanoClock(clock);
    this.logger = opts.logger ?? stderrLogger;
    this.shutdownTimeoutMs = opts.shutdownTimeoutMs ?? recorderDefaults.shutdownTimeoutMs;
    this.writer = new EventWriter({
      client: opts.client,
      correlator: new EventCorrelator(this.nanoClock),
      logger: this.logger,
      clock,
      random: opts.random ?? Math.random,
      maxQueued: opts.maxQueuedEvents ?? recorderDefaults.maxQueuedEvents,
      maxTries: recorderDefaults.maxTriesPerEvent,
      retryIntervalMs: opts.retryIntervalMs ?? recorderDefaults.retryIntervalMs,
    });
  }

  /** Records that `reason` happened to `object`; `message` is for people. Returns at once. */
  event(object: InvolvedObject, type: EventType, reason: string, message: string): void {
    const ref = objectReference(object);
    if (ref.name === undefined) {
      this.logger.error({ reason, message }, 'Could not construct reference, will not report event');
      return;
    }
    if (type !== 'Normal' && type !== 'Warning') {
      this.logger.error({ eventType: type }, 'Unsupported event type');
      return;
    }
    const ev = makeEvent(ref, this.source, type, reason, message, this.nanoClock);
    const queued = this.writer.enqueue(ev);
    if (queued === 'full') this.logger.error({ event: eventForLog(ev) }, 'Unable to record event: too many queued events, dropped event');
    if (queued === 'stopped') this.logger.error({ event: eventForLog(ev) }, 'Unable to record event (will not retry!): the recorder is shut down');
  }

  /** Resolves once every event recorded so far has been written or given up (for tests and drains). */
  whenIdle(): Promise<void> {
    return this.writer.whenIdle();
  }

  /** Stops recording: queued events get one try each, within shutdownTimeoutMs. Later events are dropped. */
  shutdown(): Promise<void> {
    return this.writer.stop(this.shutdownTimeoutMs);
  }
}
