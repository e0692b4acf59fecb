// A resourceVersion from a client is an etcd revision: decimal digits, as kube-apiserver parses
// them (ParseUint); anything else is a 400, whichever verb carries it.
import { badRequest } from '@kubets/api';

export function parseResourceVersion(rv: string): number {
  const n = Number(rv);
  if (!/^\d+$/.test(rv) || !Number.isSafeInteger(n)) throw badRequest(`invalid resource version: ${JSON.stringify(rv)}`);
  return n;
}
