// Which pods a Service's endpoints list and what of them, shared by the Endpoints and
// EndpointSlice controllers as upstream's k8s.io/endpointslice/util and FindPort.

import type { Pod, Service, ServicePort } from '@kubets/api';
import { isPodTerminal } from '../../../controller/util/pod-status.js';

/**
 * Whether the pod belongs in a Service's endpoints at all: not terminal, with an address, and
 * (unless includeTerminating) not being deleted. Readiness only decides where it goes.
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (!pod.status?.podIP && (pod.status?.podIPs ?? []).length === 0) return false;
  if (!includeTerminating && pod.metadata?.deletionTimestamp !== undefined) return false;
  return true;
}

/** A pod's hostname names its endpoint when the pod's subdomain is this Service (headless DNS records). */
export function shouldSetHostname(pod: Pod, svc: Service): boolean {
  return !!pod.spec?.hostname && pod.spec?.subdomain === svc.metadata?.name && svc.metadata?.namespace === pod.metadata?.namespace;
}

/**
 * The pod's port behind a Service port: the targetPort number, or the container port (of an app
 * container or a sidecar) with the targetPort's name and the same protocol; undefined when the
 * pod has no such port, which leaves the pod out of that Service port.
 */
export function findPort(pod: Pod, svcPort: ServicePort): number | undefined {
  const target = svcPort.targetPort ?? svcPort.port;
  if (typeof target === 'number') return target;
  const protocol = svcPort.protocol ?? 'TCP';
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const c of [...(pod.spec?.containers ?? []), ...sidecars]) {
    const p = c.ports?.find((p) => p.name === target && (p.protocol ?? 'TCP') === protocol);
    if (p !== undefined) return p.containerPort;
  }
  return undefined;
}

/** Upstream's IsServiceIPSet: false for headless Services (clusterIP None) and for none yet. */
export function isServiceIPSet(svc: Service): boolean {
  const ip = svc.spec?.clusterIP ?? '';
  return ip !== 'None' && ip !== '';
}

/**
 * Whether the controllers keep this Service's endpoints. Without a selector they are the user's;
 * an empty selector counts as none, since upstream's storage turns `{}` into nil. ExternalName
 * Services get none (issues.k8s.io/105986).
 */
export function hasManagedEndpoints(svc: Service): boolean {
  if (svc.spec?.type === 'ExternalName') return false;
  return Object.keys(svc.spec?.selector ?? {}).length > 0;
}

/** The IPv4 address of the pod, as kubets runs IPv4 only. */
export function podIPv4(pod: Pod): string | undefined {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip);
  if (ips.length === 0 && pod.status?.podIP) ips.push(pod.status.podIP);
  return ips.find((ip) => ip !== undefined && !ip.includes(':'));
}
