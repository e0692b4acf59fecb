// Upstream's cap on an Endpoints object: at most 1000 addresses. Beyond that the Endpoints is
// truncated and annotated `endpoints.kubernetes.io/over-capacity: truncated`; EndpointSlices
// carry the whole set. Ready addresses are kept before not-ready ones, and each subset keeps a
// share of the room in proportion to its size (rounded up, so the last may get less).

import type { EndpointSubset } from '@kubets/api';

export const maxCapacity = 1000;
export const overCapacityAnnotation = 'endpoints.kubernetes.io/over-capacity';
export const truncated = 'truncated';

function countAddresses(subsets: readonly EndpointSubset[]): { ready: number; notReady: number } {
  let ready = 0;
  let notReady = 0;
  for (const s of subsets) {
    ready += s.addresses?.length ?? 0;
    notReady += s.notReadyAddresses?.length ?? 0;
  }
  return { ready, notReady };
}

/** The subsets cut down to maxCapacity addresses, or undefined when they fit. */
export function truncateSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] | undefined {
  const { ready, notReady } = countAddresses(subsets);
  if (ready + notReady <= maxCapacity) return undefined;
  const truncateReady = ready > maxCapacity;
  const room = truncateReady ? maxCapacity : maxCapacity - ready;
  const total = truncateReady ? ready : notReady;
  let left = room;
  return subsets.map((s) => {
    const own = (truncateReady ? s.addresses : s.notReadyAddresses) ?? [];
    const share = Math.min(Math.ceil((own.length / total) * room), left);
    const kept = own.slice(0, share);
    left -= kept.length;
    const out: EndpointSubset = { ...s };
    if (truncateReady) {
      setList(out, 'addresses', kept);
      delete out.notReadyAddresses;
    } else {
      setList(out, 'notReadyAddresses', kept);
    }
    return out;
  });
}

function setList(s: EndpointSubset, field: 'addresses' | 'notReadyAddresses', list: NonNullable<EndpointSubset['addresses']>): void {
  if (list.length > 0) s[field] = list;
  else delete s[field];
}
