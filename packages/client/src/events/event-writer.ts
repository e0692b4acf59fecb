// The one background writer behind a recorder (client-go's broadcaster queue and its
// recordToSink watcher). Guarantees:
// - enqueue never blocks and never throws: it queues the event, or drops it when maxQueued
//   events already wait, as upstream drops when its queue of 1000 is full;
// - events are correlated and written one at a time, in the order they were queued; an event
//   whose write gets no answer is tried up to maxTries times, retryIntervalMs apart (the first
//   wait is jittered over [0, interval) so that clients cut off together do not come back
//   together), and holds up the queue meanwhile, as upstream;
// - stop(): nothing more is queued; a retrying event gives up at once and every queued event
//   gets one try; at the deadline, the write in flight is abandoned and the rest dropped.

import type { Event } from '@kubets/api';
import { sleep, type Clock } from '../clock/clock.js';
import type { EventCorrelator } from './correlator.js';
import type { EventClient, EventRecorderLogger } from './types.js';
import { eventForLog, writeEvent, type WriteContext } from './write-event.js';

export interface EventWriterOptions {
  client: EventClient;
  correlator: EventCorrelator;
  logger: EventRecorderLogger;
  clock: Clock;
  random: () => number;
  maxQueued: number;
  maxTries: number;
  retryIntervalMs: number;
}

export class EventWriter {
  private readonly queue: Event[] = [];
  private draining: Promise<void> | undefined;
  private stopped = false;
  /** Aborted by stop(): retry waits end, each event gets one try. */
  private readonly stopRetrying = new AbortController();
  /** Aborted at stop()'s deadline: the write in flight is abandoned. */
  private readonly abandon = new AbortController();
  private readonly ctx: WriteContext;

  constructor(private readonly opts: EventWriterOptions) {
    this.ctx = { client: opts.client, correlator: opts.correlator, logger: opts.logger, signal: this.abandon.signal };
  }

  /** Queues the event, or says why it was dropped. */
  enqueue(ev: Event): 'queued' | 'full' | 'stopped' {
    if (this.stopped) return 'stopped';
    if (this.queue.length >= this.opts.maxQueued) return 'full';
    this.queue.push(ev);
    this.draining ??= this.drain();
    return 'queued';
  }

  /** Resolves once every queued event has been written or given up. */
  async whenIdle(): Promise<void> {
    while (this.draining !== undefined) await this.draining;
  }

  /** Stops taking events, gives the queued ones one try each, and abandons what is left at the deadline. */
  async stop(deadlineMs: number): Promise<void> {
    this.stopped = true;
    this.stopRetrying.abort();
    const deadline = this.opts.clock.setTimer(deadlineMs, () => this.abandonRest());
    await this.whenIdle();
    deadline.cancel();
  }

  private abandonRest(): void {
    this.abandon.abort();
    const dropped = this.queue.splice(0);
    if (dropped.length > 0) this.opts.logger.error({ dropped: dropped.length }, 'Unable to write events (recorder shut down before they were written)');
  }

  private async drain(): Promise<void> {
    // Let enqueue (and so the caller's event()) return before any work starts.
    await Promise.resolve();
    for (let ev = this.queue.shift(); ev !== undefined; ev = this.queue.shift()) {
      try {
        await this.record(ev);
      } catch (err) {
        this.opts.logger.error({ event: eventForLog(ev), err: (err as Error)?.message ?? String(err) }, 'Unable to record event');
      }
    }
    this.draining = undefined;
  }

  /** client-go's recordToSink. */
  private async record(ev: Event): Promise<void> {
    const result = this.opts.correlator.correlate(ev);
    if (result.skip) return;
    for (let tries = 1; ; tries++) {
      if ((await writeEvent(this.ctx, result.event, result.patch)) === 'done') return;
      if (tries >= this.opts.maxTries) return this.giveUp(result.event, 'Unable to write event (retry limit exceeded!)');
      if (!(await sleep(this.opts.clock, this.retryDelay(tries), this.stopRetrying.signal))) {
        return this.giveUp(result.event, 'Unable to write event (recorder is shut down)');
      }
    }
  }

  /** The wait after the tries-th failed try. */
  private retryDelay(tries: number): number {
    return tries === 1 ? this.opts.retryIntervalMs * this.opts.random() : this.opts.retryIntervalMs;
  }

  private giveUp(ev: Event, msg: string): void {
    this.opts.logger.error({ event: eventForLog(ev) }, msg);
  }
}
