// The whole of what a data path applies in one sync: every proxied Service port and its
// endpoints, built afresh from the informers' caches. Level-triggered like a controller: a sync
// never depends on which events led to it, so a missed or folded event cannot leave a stale rule.
import type { EndpointSlice, Service } from '@kubets/api';
import { endpointsByServicePort } from './endpoints.js';
import { headlessLabel, serviceProxyNameLabel, servicePorts } from './service-ports.js';
import type { EndpointInfo, ServicePortInfo } from './types.js';

export interface ProxySnapshot {
  /** By Service port key ("ns/name:port"). */
  services: ReadonlyMap<string, ServicePortInfo>;
  /** By Service port key; a port with no slice has no entry. */
  endpoints: ReadonlyMap<string, readonly EndpointInfo[]>;
}

/** Slices that no proxy of ours serves (headless Services', or those of another proxy). */
export function isProxiedSlice(slice: EndpointSlice): boolean {
  const labels = slice.metadata?.labels ?? {};
  return labels[headlessLabel] === undefined && labels[serviceProxyNameLabel] === undefined;
}

export function buildSnapshot(services: Iterable<Service>, slices: Iterable<EndpointSlice>, nodeName: string): ProxySnapshot {
  const ports = new Map<string, ServicePortInfo>();
  for (const svc of services) for (const p of servicePorts(svc)) ports.set(p.key, p);
  const endpoints = endpointsByServicePort([...slices].filter(isProxiedSlice), nodeName);
  return { services: ports, endpoints };
}
