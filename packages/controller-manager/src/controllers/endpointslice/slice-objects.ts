// The pieces of an EndpointSlice as upstream's k8s.io/endpointslice utils.go makes them: one
// endpoint per pod (conditions, node, zone, target, hostname), the ports of a Service resolved
// for one pod, a new slice owned by its Service, and the labels a slice must carry.

import type { Endpoint, EndpointSlice, EndpointSlicePort, Node, Pod, Service } from '@kubets/api';
import { isPodReady } from '../../controller/util/pod-status.js';
import { findPort, isServiceIPSet, podIPv4, shouldSetHostname } from './util/pod-endpoints.js';
import { serviceNameLabel } from './util/endpointslice-tracker.js';
import { headlessLabel } from '../endpoint/desired-endpoints.js';
import { semanticEqual } from './util/semantic-equal.js';

export const managedByLabel = 'endpointslice.kubernetes.io/managed-by';
export const controllerName = 'endpointslice-controller.k8s.io';
export const zoneLabel = 'topology.kubernetes.io/zone';
export const addressTypeIPv4 = 'IPv4';

/**
 * The pod as an endpoint. serving: the pod is Ready; terminating: it is being deleted; ready:
 * serving and not terminating, for older consumers, or always with publishNotReadyAddresses.
 */
export function podToEndpoint(pod: Pod, node: Node | undefined, service: Service): Endpoint {
  const serving = isPodReady(pod);
  const terminating = pod.metadata?.deletionTimestamp !== undefined;
  const ready = service.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const ip = podIPv4(pod);
  const ep: Endpoint = {
    addresses: ip === undefined ? [] : [ip],
    conditions: { ready, serving, terminating },
    targetRef: { kind: 'Pod', namespace: pod.metadata!.namespace!, name: pod.metadata!.name!, uid: pod.metadata!.uid! },
  };
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.metadata?.labels?.[zoneLabel];
  if (zone) ep.zone = zone;
  if (shouldSetHostname(pod, service)) ep.hostname = pod.spec!.hostname!;
  return ep;
}

/** The Service's ports as this pod offers them; a port the pod lacks (a named targetPort) is left out. */
export function endpointPorts(service: Service, pod: Pod): EndpointSlicePort[] {
  const out: EndpointSlicePort[] = [];
  for (const sp of service.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const ep: EndpointSlicePort = { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' };
    if (sp.appProtocol !== undefined) ep.appProtocol = sp.appProtocol;
    out.push(ep);
  }
  return out;
}

/** Identifies a set of ports whatever their order, as upstream's PortMapKey. */
export function portMapKey(ports: readonly EndpointSlicePort[]): string {
  return ports.map((p) => JSON.stringify([p.name ?? '', p.port ?? 0, p.protocol ?? 'TCP', p.appProtocol ?? null])).sort().join(',');
}

/** A slice yet to be created: named `<service>-<random>` by the server, owned by the Service. */
export function newEndpointSlice(service: Service, ports: EndpointSlicePort[]): EndpointSlice {
  const name = service.metadata!.name!;
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: `${name}-`,
      namespace: service.metadata!.namespace!,
      labels: sliceLabels(undefined, service).labels,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name, uid: service.metadata!.uid!, controller: true, blockOwnerDeletion: true }],
    },
    addressType: addressTypeIPv4,
    endpoints: [],
    ports,
  };
}

function isReservedLabel(key: string): boolean {
  return key === serviceNameLabel || key === managedByLabel || key === headlessLabel;
}

/**
 * The labels a slice of this Service must have: the Service's own (but the reserved ones), the
 * headless label for a headless Service, the service name and managed-by. `changed` tells whether
 * the slice's copy of the Service's labels differs (reserved labels alone never count).
 */
export function sliceLabels(slice: EndpointSlice | undefined, service: Service): { labels: Record<string, string>; changed: boolean } {
  const own = Object.fromEntries(Object.entries(slice?.metadata?.labels ?? {}).filter(([k]) => !isReservedLabel(k)));
  const labels = Object.fromEntries(Object.entries(service.metadata?.labels ?? {}).filter(([k]) => !isReservedLabel(k)));
  const changed = !semanticEqual(own, labels);
  if (!isServiceIPSet(service)) labels[headlessLabel] = '';
  labels[serviceNameLabel] = service.metadata!.name!;
  labels[managedByLabel] = controllerName;
  return { labels, changed };
}

/** Whether the slice belongs to this very Service (not to an earlier one of the same name). */
export function ownedBy(slice: EndpointSlice, service: Service): boolean {
  return (slice.metadata?.ownerReferences ?? []).some((o) => o.uid === service.metadata?.uid && o.kind === 'Service' && o.apiVersion === 'v1');
}

/** Upstream's EndpointsEqualBeyondHash: what the endpoint key does not cover (target resourceVersion aside). */
export function endpointsEqualBeyondKey(a: Endpoint, b: Endpoint): boolean {
  return a.nodeName === b.nodeName && a.zone === b.zone &&
    a.conditions?.ready === b.conditions?.ready && a.conditions?.serving === b.conditions?.serving &&
    a.conditions?.terminating === b.conditions?.terminating && semanticEqual({ targetRef: a.targetRef }, { targetRef: b.targetRef });
}
