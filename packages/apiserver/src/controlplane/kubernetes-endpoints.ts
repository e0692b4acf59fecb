// What the `kubernetes` Service's Endpoints and EndpointSlices say, given the live API servers:
// upstream's lease reconciler and EndpointsAdapter as pure functions. The Endpoints list every
// server's address, on the port named https (protocol TCP); the mirroring controller is told to
// keep away (skip-mirror), and the EndpointSlice `kubernetes` carries the same addresses, ready,
// labelled with the Service's name only (no managed-by: the EndpointSlice controller leaves it).
//
// Where API servers share a host and differ by port (a local cluster), one subset per port, in
// port order, as Endpoints group addresses by their port set; each subset after the first has a
// slice of its own, `kubernetes-<port>`, since a slice has one list of ports.

import { isDeepStrictEqual } from 'node:util';
import { resolveResource } from '@kubets/api';
import type { KubeObject } from '../storage/interface.js';
import type { ApiServerEndpoint } from './master-leases.js';

export const kubernetesServiceName = 'kubernetes';
export const skipMirrorLabel = 'endpointslice.kubernetes.io/skip-mirror';
export const serviceNameLabel = 'kubernetes.io/service-name';
const managedByLabel = 'endpointslice.kubernetes.io/managed-by';

interface EndpointPort {
  name: string;
  port: number;
  protocol: string;
}

export interface EndpointSubset {
  addresses: { ip: string }[];
  ports: EndpointPort[];
}

const httpsPort = (port: number): EndpointPort => ({ name: 'https', port, protocol: 'TCP' });

/** One subset per port, in port order, each with its servers' addresses sorted and once. */
export function desiredSubsets(servers: readonly ApiServerEndpoint[]): EndpointSubset[] {
  const byPort = new Map<number, Set<string>>();
  for (const s of servers) byPort.set(s.port, (byPort.get(s.port) ?? new Set()).add(s.ip));
  return [...byPort.entries()]
    .sort(([a], [b]) => a - b)
    .map(([port, ips]) => ({ addresses: [...ips].sort().map((ip) => ({ ip })), ports: [httpsPort(port)] }));
}

/** The object as stored after the server's defaulting: what a stored one is compared with. */
function defaulted(resource: string, obj: KubeObject): KubeObject {
  const copy = structuredClone(obj);
  resolveResource(resource)!.applyDefaults(copy);
  return copy;
}

/**
 * The Endpoints to write, or undefined when `current` already says it: `current`'s metadata with
 * the skip-mirror label, and the subsets of the live servers.
 */
export function endpointsToWrite(current: KubeObject | undefined, servers: readonly ApiServerEndpoint[]): KubeObject | undefined {
  const subsets = desiredSubsets(servers);
  const labels = (current?.metadata?.labels ?? {}) as Record<string, string>;
  if (current !== undefined && labels[skipMirrorLabel] === 'true' && isDeepStrictEqual(current.subsets, defaulted('endpoints', { subsets }).subsets)) return undefined;
  const metadata = current?.metadata ?? { name: kubernetesServiceName, namespace: 'default' };
  return { apiVersion: 'v1', kind: 'Endpoints', metadata: { ...metadata, labels: { ...labels, [skipMirrorLabel]: 'true' } }, subsets };
}

function sliceNameFor(index: number, subset: EndpointSubset): string {
  return index === 0 ? kubernetesServiceName : `${kubernetesServiceName}-${subset.ports[0]!.port}`;
}

/** upstream's endpointSliceFromEndpoints, for one subset: its addresses as ready endpoints. */
function sliceFor(name: string, subset: EndpointSubset): KubeObject {
  const ipv6 = subset.addresses.length > 0 && subset.addresses.every((a) => a.ip.includes(':'));
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: 'default', labels: { [serviceNameLabel]: kubernetesServiceName } },
    addressType: ipv6 ? 'IPv6' : 'IPv4',
    endpoints: subset.addresses.map((a) => ({ addresses: [a.ip], conditions: { ready: true } })),
    ports: subset.ports,
  };
}

/** The EndpointSlices the Endpoints' subsets call for, by name. */
export function desiredSlices(subsets: readonly EndpointSubset[]): Map<string, KubeObject> {
  return new Map(subsets.map((s, i) => {
    const name = sliceNameFor(i, s);
    return [name, sliceFor(name, s)];
  }));
}

/** The slice to write over `current` (its metadata kept), or undefined when it already says `desired`. */
export function sliceToWrite(current: KubeObject | undefined, desired: KubeObject): KubeObject | undefined {
  const want = defaulted('endpointslices', desired);
  const labels = (current?.metadata?.labels ?? {}) as Record<string, string>;
  if (current !== undefined && labels[serviceNameLabel] === kubernetesServiceName && (['addressType', 'endpoints', 'ports'] as const).every((f) => isDeepStrictEqual(current[f], want[f]))) return undefined;
  if (current === undefined) return desired;
  return { ...desired, metadata: { ...current.metadata, labels: { ...labels, [serviceNameLabel]: kubernetesServiceName } } };
}

/** Slices of ours (the Service's name label, no managed-by, named as we name them) that are no longer called for. */
export function staleSlices(existing: readonly KubeObject[], desired: ReadonlyMap<string, KubeObject>): KubeObject[] {
  return existing.filter((s) => {
    const name = s.metadata?.name ?? '';
    const labels = (s.metadata?.labels ?? {}) as Record<string, string>;
    const ours = labels[serviceNameLabel] === kubernetesServiceName && labels[managedByLabel] === undefined && (name === kubernetesServiceName || name.startsWith(`${kubernetesServiceName}-`));
    return ours && !desired.has(name);
  });
}
