// The endpoints of every Service port, merged from its EndpointSlices as upstream's
// EndpointSliceCache does: slices join their Service by the kubernetes.io/service-name label, a
// slice port joins the Service port of the same name, an endpoint is its first address, and an
// endpoint listed by two slices (as while the controller moves it) counts once, the ready copy
// winning.
import type { EndpointSlice } from '@kubets/api';
import { endpointKey, servicePortKey, type EndpointInfo } from './types.js';

export const serviceNameLabel = 'kubernetes.io/service-name';

/** The namespace/name of the Service a slice belongs to, or undefined for a slice of none. */
export function sliceServiceKey(slice: EndpointSlice): string | undefined {
  const service = slice.metadata?.labels?.[serviceNameLabel];
  return service === undefined || service === '' ? undefined : `${slice.metadata?.namespace ?? 'default'}/${service}`;
}

function endpointInfo(e: NonNullable<EndpointSlice['endpoints']>[number], port: number, nodeName: string): EndpointInfo | undefined {
  const ip = e.addresses?.[0];
  if (ip === undefined) return undefined;
  const ready = e.conditions?.ready ?? true;
  return {
    ip,
    port,
    ready,
    serving: e.conditions?.serving ?? ready,
    terminating: e.conditions?.terminating ?? false,
    ...(e.nodeName !== undefined ? { nodeName: e.nodeName } : {}),
    ...(e.zone !== undefined ? { zone: e.zone } : {}),
    isLocal: e.nodeName !== undefined && e.nodeName === nodeName,
  };
}

/**
 * Endpoints by Service port key ("ns/name:port"), each list sorted by ip:port so that equal sets
 * compare equal. Only IPv4 slices count (the proxy is IPv4 only).
 */
export function endpointsByServicePort(slices: Iterable<EndpointSlice>, nodeName: string): Map<string, EndpointInfo[]> {
  const merged = new Map<string, Map<string, EndpointInfo>>();
  const ordered = [...slices].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  for (const slice of ordered) {
    const service = sliceServiceKey(slice);
    if (service === undefined || slice.addressType !== 'IPv4') continue;
    const [namespace, name] = service.split('/') as [string, string];
    for (const p of slice.ports ?? []) {
      if (p.port === undefined) continue;
      const key = servicePortKey({ namespace, name, port: p.name ?? '' });
      let set = merged.get(key);
      if (set === undefined) merged.set(key, (set = new Map()));
      for (const e of slice.endpoints ?? []) {
        const info = endpointInfo(e, p.port, nodeName);
        if (info === undefined) continue;
        const existing = set.get(endpointKey(info));
        if (existing === undefined || (info.ready && !existing.ready)) set.set(endpointKey(info), info);
      }
    }
  }
  const out = new Map<string, EndpointInfo[]>();
  for (const [key, set] of merged) out.set(key, [...set.values()].sort(compareEndpoints));
  return out;
}

function compareEndpoints(a: EndpointInfo, b: EndpointInfo): number {
  return a.ip === b.ip ? a.port - b.port : a.ip.localeCompare(b.ip, 'en', { numeric: true });
}
