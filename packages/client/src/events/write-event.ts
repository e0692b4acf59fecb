// One attempt to write an event, as client-go's recordEvent: a repeat (count > 1) is a patch of
// the Event already written, falling back to a create when that Event is gone (expired after
// an hour, or deleted); anything else is a create. The answer says whether to try again:
// - written: the correlator learns the server's copy; done;
// - the server refused it (any Status error, AlreadyExists included): it would refuse it again,
//   so give up (AlreadyExists and a terminating namespace quietly, the rest with an error line);
// - no answer (the API server unreachable, a timeout ...): retry later.

import type { Event } from '@kubets/api';
import { type ApiError, isApiError } from '@kubets/api';
import { isAlreadyExists, isNotFound } from '../rest/errors.js';
import type { EventCorrelator } from './correlator.js';
import type { EventCountPatch } from './deduplicator.js';
import type { EventClient, EventRecorderLogger } from './types.js';

export type WriteOutcome = 'done' | 'retry';

export interface WriteContext {
  client: EventClient;
  correlator: EventCorrelator;
  logger: EventRecorderLogger;
  signal: AbortSignal;
}

export async function writeEvent(ctx: WriteContext, ev: Event, patch: EventCountPatch | undefined): Promise<WriteOutcome> {
  try {
    ctx.correlator.updateState(await send(ctx, ev, patch));
    return 'done';
  } catch (err) {
    return outcomeOfFailure(ctx.logger, ev, err);
  }
}

async function send(ctx: WriteContext, ev: Event, patch: EventCountPatch | undefined): Promise<Event> {
  const namespace = ev.metadata?.namespace ?? 'default';
  if ((ev.count ?? 0) > 1 && patch !== undefined) {
    try {
      return await ctx.client.patch('events', namespace, ev.metadata?.name ?? '', patch, { signal: ctx.signal });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  // A create must not carry a resourceVersion (the repeat took the old Event's).
  if (ev.metadata !== undefined) delete ev.metadata.resourceVersion;
  return ctx.client.create('events', namespace, ev, { signal: ctx.signal });
}

function outcomeOfFailure(logger: EventRecorderLogger, ev: Event, err: unknown): WriteOutcome {
  if (isApiError(err)) {
    const line = { event: eventForLog(ev), err: err.message };
    if (isAlreadyExists(err) || hasCause(err, 'NamespaceTerminating')) logger.debug(line, 'Server rejected event (will not retry!)');
    else logger.error(line, 'Server rejected event (will not retry!)');
    return 'done';
  }
  logger.error({ event: eventForLog(ev), err: (err as Error)?.message ?? String(err) }, 'Unable to write event (may retry after sleeping)');
  return 'retry';
}

function hasCause(err: ApiError, reason: string): boolean {
  return err.status.details?.causes?.some((c) => c.reason === reason) ?? false;
}

/** What a log line needs to tell the event apart, not the whole object. */
export function eventForLog(ev: Event): object {
  const o = ev.involvedObject;
  return {
    namespace: ev.metadata?.namespace,
    name: ev.metadata?.name,
    object: `${o.kind ?? ''}/${o.namespace ? `${o.namespace}/` : ''}${o.name ?? ''}`,
    type: ev.type,
    reason: ev.reason,
    message: ev.message,
    count: ev.count,
  };
}
