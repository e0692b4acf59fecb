// The keys the correlator groups events by, with the fields and order of client-go's
// events_cache.go. Upstream joins the fields with nothing between them, so ("ab", "c") and
// ("a", "bc") make one key; a NUL between fields keeps them apart (no API string holds one).

import type { Event } from '@kubets/api';

function join(fields: (string | undefined)[]): string {
  return fields.map((f) => f ?? '').join('\u0000');
}

/** Who reported it and which object it is about: the part every key starts with. */
function sourceAndObject(ev: Event): (string | undefined)[] {
  const o = ev.involvedObject;
  return [ev.source?.component, ev.source?.host, o.kind, o.namespace, o.name];
}

/** Identical events (all but the time): the de-duplicating logger's key. */
export function eventKey(ev: Event): string {
  const o = ev.involvedObject;
  return join([...sourceAndObject(ev), o.fieldPath, o.uid, o.apiVersion, ev.type, ev.reason, ev.message]);
}

/** One source about one object (any reason): the spam filter's key. */
export function spamKey(ev: Event): string {
  const o = ev.involvedObject;
  return join([...sourceAndObject(ev), o.uid, o.apiVersion, ev.type]);
}

/**
 * Events alike but for their message (client-go's EventAggregatorByReasonFunc): the group
 * they aggregate in, and the message that tells them apart inside it.
 */
export function aggregateKeys(ev: Event): { aggregateKey: string; localKey: string } {
  const o = ev.involvedObject;
  const aggregateKey = join([...sourceAndObject(ev), o.uid, o.apiVersion, ev.type, ev.reason, ev.reportingComponent, ev.reportingInstance]);
  return { aggregateKey, localKey: ev.message ?? '' };
}
