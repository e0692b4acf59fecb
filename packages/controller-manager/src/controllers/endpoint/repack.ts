// Upstream's endpoints.RepackSubsets: the canonical layout of an Endpoints' subsets, so that
// equal contents compare equal. Every address is expanded to one (address, port) pair, then
// the addresses that share exactly the same ports (and readiness) are grouped into one subset.
// An address not ready on some port is not ready on it, whatever another subset says; addresses
// are one per IP and pod. Addresses without ports (a headless Service without ports) are kept.
// Deviation: upstream orders ports and subsets by an md5 of Go's dump of them; we order by
// their JSON, which is as stable and readable.

import type { EndpointAddress, EndpointPort, EndpointSubset } from '@kubets/api';

interface PortGroup {
  /** undefined: the sentinel for addresses without ports. */
  port: EndpointPort | undefined;
  /** address key -> ready */
  readiness: Map<string, boolean>;
}

export function repackSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] {
  const addresses = new Map<string, EndpointAddress>();
  const byPort = new Map<string, PortGroup>();
  const record = (addr: EndpointAddress, port: EndpointPort | undefined, ready: boolean) => {
    const key = addressKey(addr);
    if (!addresses.has(key)) addresses.set(key, addr);
    const portKey = port === undefined ? '' : stableJson(port);
    let group = byPort.get(portKey);
    if (group === undefined) byPort.set(portKey, (group = { port, readiness: new Map() }));
    // Not ready trumps ready.
    if (group.readiness.get(key) !== false) group.readiness.set(key, ready);
  };
  for (const s of subsets) {
    const ports: (EndpointPort | undefined)[] = (s.ports ?? []).length > 0 ? s.ports! : [undefined];
    for (const port of ports) {
      for (const a of s.addresses ?? []) record(a, port, true);
      for (const a of s.notReadyAddresses ?? []) record(a, port, false);
    }
  }
  return sortSubsets(groupByAddressSet(byPort, addresses));
}

/** Ports whose address sets (with readiness) are the same make one subset. */
function groupByAddressSet(byPort: Map<string, PortGroup>, addresses: Map<string, EndpointAddress>): EndpointSubset[] {
  const groups = new Map<string, { readiness: Map<string, boolean>; ports: EndpointPort[] }>();
  for (const { port, readiness } of byPort.values()) {
    const key = [...readiness].map(([k, r]) => `${k}=${r}`).sort().join('|');
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { readiness, ports: [] }));
    if (port !== undefined) g.ports.push(port);
  }
  return [...groups.values()].map(({ readiness, ports }) => {
    const ready = [...readiness].filter(([, r]) => r).map(([k]) => addresses.get(k)!);
    const notReady = [...readiness].filter(([, r]) => !r).map(([k]) => addresses.get(k)!);
    return subset(ready, notReady, ports);
  });
}

/** A subset without its empty lists, as Go's omitempty writes it. */
export function subset(addresses: EndpointAddress[], notReadyAddresses: EndpointAddress[], ports: EndpointPort[]): EndpointSubset {
  const s: EndpointSubset = {};
  if (addresses.length > 0) s.addresses = addresses;
  if (notReadyAddresses.length > 0) s.notReadyAddresses = notReadyAddresses;
  if (ports.length > 0) s.ports = ports;
  return s;
}

/** Addresses by IP then pod UID, ports and subsets by their JSON. */
export function sortSubsets(subsets: EndpointSubset[]): EndpointSubset[] {
  for (const s of subsets) {
    s.addresses?.sort(compareAddresses);
    s.notReadyAddresses?.sort(compareAddresses);
    s.ports?.sort(byJson);
  }
  return subsets.sort(byJson);
}

function addressKey(a: EndpointAddress): string {
  return `${a.ip}/${a.targetRef?.uid ?? ''}`;
}

export function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  if (a.ip !== b.ip) return a.ip < b.ip ? -1 : 1;
  const ua = a.targetRef?.uid ?? '';
  const ub = b.targetRef?.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

function byJson(a: unknown, b: unknown): number {
  const ja = stableJson(a);
  const jb = stableJson(b);
  return ja < jb ? -1 : ja > jb ? 1 : 0;
}

/** JSON with object keys sorted, so equal values give equal text. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val !== null && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : val,
  );
}
