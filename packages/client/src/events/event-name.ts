// An Event's name, as client-go's GenerateEventName: the object's name, a dot and the time in
// nanoseconds in hex (Go's "%v.%x"), so that events about one object sort by time. A name
// that is not a valid DNS subdomain (the object's name was long, or not one) would be
// refused, so a random UUID stands in for it (kubernetes/kubernetes#127594).

import { randomUUID } from 'node:crypto';
import { isDNS1123Subdomain } from '@kubets/api';

export function eventName(objectName: string, nanos: bigint): string {
  const name = `${objectName}.${nanos.toString(16)}`;
  return isDNS1123Subdomain(name).length === 0 ? name : randomUUID();
}
