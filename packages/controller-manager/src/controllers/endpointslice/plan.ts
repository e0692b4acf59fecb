// The EndpointSlice reconciler's decision (upstream reconciler.go), pure: given a Service, its
// pods, the nodes and the slices that exist, which slices to create, update and delete. Slices are
// grouped by the ports their endpoints offer; within a group the plan changes as few slices as it
// can: endpoints stay in the slice they are in (updated in place), slices that change anyway are
// filled up first, leftovers go into the unchanged slice they fit best, and only then into new
// slices of at most maxEndpointsPerSlice. A Service without endpoints keeps one empty placeholder
// slice. A slice to delete is reused for a slice to create. IPv4 only.

import type { EndpointSlice, EndpointSlicePort, Node, Pod, Service } from '@kubets/api';
import { EndpointSet } from './endpoint-set.js';
import { addressTypeIPv4, endpointPorts, endpointsEqualBeyondKey, newEndpointSlice, ownedBy, podToEndpoint, portMapKey, sliceLabels } from './slice-objects.js';
import { shouldPodBeInEndpoints } from './util/pod-endpoints.js';
import { semanticEqual } from './util/semantic-equal.js';

export interface SlicePlan {
  toCreate: EndpointSlice[];
  toUpdate: EndpointSlice[];
  toDelete: EndpointSlice[];
  /** Pods left out for now (their node is unknown); the sync fails after applying the plan, to retry. */
  problems: string[];
}

export interface PlanInput {
  service: Service;
  pods: readonly Pod[];
  /** The slices of the Service the controller manages, none of them being deleted. */
  existing: readonly EndpointSlice[];
  node(name: string): Node | undefined;
  maxEndpointsPerSlice: number;
}

interface Desired {
  ports: EndpointSlicePort[];
  endpoints: EndpointSet;
}

export function planSlices(input: PlanInput): SlicePlan {
  const { service } = input;
  const toDelete: EndpointSlice[] = [];
  const existingByPorts = new Map<string, EndpointSlice[]>();
  for (const slice of input.existing) {
    // Slices of another address type, or left by an earlier Service of the same name, go.
    if (slice.addressType !== addressTypeIPv4 || !ownedBy(slice, service)) {
      toDelete.push(slice);
      continue;
    }
    const key = portMapKey(slice.ports ?? []);
    existingByPorts.set(key, [...(existingByPorts.get(key) ?? []), slice]);
  }
  const { desired, problems } = desiredByPorts(input);
  const toCreate: EndpointSlice[] = [];
  const toUpdate: EndpointSlice[] = [];
  for (const [key, d] of desired) {
    const p = planPortGroup(service, existingByPorts.get(key) ?? [], d, input.maxEndpointsPerSlice);
    toCreate.push(...p.toCreate);
    toUpdate.push(...p.toUpdate);
    toDelete.push(...p.toDelete);
  }
  for (const [key, slices] of existingByPorts) if (!desired.has(key)) toDelete.push(...slices);
  if (input.existing.length === toDelete.length && toCreate.length === 0) keepPlaceholder(service, toCreate, toDelete);
  reuseDeletedSlices(service, toCreate, toUpdate, toDelete);
  return { toCreate, toUpdate, toDelete, problems };
}

/** The endpoints the Service should have, grouped by the ports they offer. */
function desiredByPorts(input: PlanInput): { desired: Map<string, Desired>; problems: string[] } {
  const { service } = input;
  const desired = new Map<string, Desired>();
  const problems: string[] = [];
  for (const pod of input.pods) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = endpointPorts(service, pod);
    const key = portMapKey(ports);
    let d = desired.get(key);
    if (d === undefined) desired.set(key, (d = { ports, endpoints: new EndpointSet() }));
    const nodeName = pod.spec?.nodeName ?? '';
    const node = input.node(nodeName);
    // Without its node the pod is left out (and the sync retried), unless the user asked for every address.
    if (node === undefined && service.spec?.publishNotReadyAddresses !== true) {
      problems.push(`skipping Pod ${pod.metadata?.name} for Service ${service.metadata?.namespace}/${service.metadata?.name}: Node ${nodeName} Not Found`);
      continue;
    }
    const endpoint = podToEndpoint(pod, node, service);
    if ((endpoint.addresses ?? []).length > 0) d.endpoints.insert(endpoint);
  }
  return { desired, problems };
}

/** Upstream's reconcileByPortMapping, for the slices of one set of ports. */
function planPortGroup(service: Service, existing: readonly EndpointSlice[], d: Desired, max: number): { toCreate: EndpointSlice[]; toUpdate: EndpointSlice[]; toDelete: EndpointSlice[] } {
  const toUpdate = new Map<string, EndpointSlice>();
  const unchanged = new Map<string, EndpointSlice>();
  const toDelete: EndpointSlice[] = [];
  // 1. Endpoints no longer wanted leave their slices; changed ones are updated where they are.
  for (const slice of existing) {
    const kept = [];
    let endpointChanged = false;
    for (const e of slice.endpoints ?? []) {
      const want = d.endpoints.get(e);
      if (want === undefined) continue;
      kept.push(want);
      if (!endpointsEqualBeyondKey(want, e)) endpointChanged = true;
      d.endpoints.delete(e);
    }
    const { labels, changed: labelsChanged } = sliceLabels(slice, service);
    const name = slice.metadata!.name!;
    if (endpointChanged || kept.length !== (slice.endpoints ?? []).length) {
      if (kept.length === 0) toDelete.push(slice);
      else toUpdate.set(name, withContent(slice, kept, labels));
    } else if (labelsChanged) {
      toUpdate.set(name, withContent(slice, kept, labels));
    } else {
      unchanged.set(name, slice);
    }
  }
  // 2. Slices that change anyway are filled up first, the fullest first.
  const filling = [...toUpdate.values()].sort((a, b) => (b.endpoints?.length ?? 0) - (a.endpoints?.length ?? 0));
  for (const slice of filling) fill(slice, d.endpoints, max);
  // 3. What is left goes into the unchanged slice it fits best, else into new slices.
  const toCreate: EndpointSlice[] = [];
  while (d.endpoints.size > 0) {
    const best = d.endpoints.size < max ? sliceToFill([...unchanged.values()], d.endpoints.size, max) : undefined;
    const slice = best === undefined ? newEndpointSlice(service, d.ports) : withContent(best, [...(best.endpoints ?? [])], best.metadata?.labels ?? {});
    fill(slice, d.endpoints, max);
    if (best === undefined) {
      toCreate.push(slice);
    } else {
      unchanged.delete(best.metadata!.name!);
      toUpdate.set(best.metadata!.name!, slice);
    }
  }
  return { toCreate, toUpdate: [...toUpdate.values()], toDelete };
}

function fill(slice: EndpointSlice, endpoints: EndpointSet, max: number): void {
  slice.endpoints ??= [];
  while (endpoints.size > 0 && slice.endpoints.length < max) slice.endpoints.push(endpoints.pop()!);
}

/** The unchanged slice that would be closest to full with n more endpoints, if any has room. */
function sliceToFill(slices: readonly EndpointSlice[], n: number, max: number): EndpointSlice | undefined {
  let best: EndpointSlice | undefined;
  let closest = max;
  for (const s of slices) {
    const diff = max - (n + (s.endpoints?.length ?? 0));
    if (diff >= 0 && diff < closest) {
      closest = diff;
      best = s;
      if (diff === 0) break;
    }
  }
  return best;
}

/** A copy of the slice to be written with these endpoints and labels. */
function withContent(slice: EndpointSlice, endpoints: EndpointSlice['endpoints'], labels: Record<string, string>): EndpointSlice {
  return { ...slice, metadata: { ...slice.metadata, labels }, endpoints: [...(endpoints ?? [])] };
}

/** A Service with no endpoints keeps one empty slice; one already there is left alone. */
function keepPlaceholder(service: Service, toCreate: EndpointSlice[], toDelete: EndpointSlice[]): void {
  const placeholder = newEndpointSlice(service, []);
  if (toDelete.length === 1 && samePlaceholder(toDelete[0]!, placeholder)) toDelete.length = 0;
  else toCreate.push(placeholder);
}

function samePlaceholder(a: EndpointSlice, b: EndpointSlice): boolean {
  return a.metadata?.namespace === b.metadata?.namespace &&
    semanticEqual(a.metadata?.labels, b.metadata?.labels) &&
    semanticEqual(a.metadata?.ownerReferences, b.metadata?.ownerReferences) &&
    a.addressType === b.addressType && semanticEqual(a.endpoints, b.endpoints) && semanticEqual(a.ports, b.ports);
}

/**
 * Upstream's finalize: rather than delete one slice and create another, the slice to delete (if
 * this Service's, of the same address type) is overwritten with the new one's content.
 */
function reuseDeletedSlices(service: Service, toCreate: EndpointSlice[], toUpdate: EndpointSlice[], toDelete: EndpointSlice[]): void {
  for (let i = 0; i < toDelete.length && toCreate.length > 0;) {
    const old = toDelete[i]!;
    const fresh = toCreate[toCreate.length - 1]!;
    if (old.addressType !== fresh.addressType || !ownedBy(old, service)) {
      i++;
      continue;
    }
    toCreate.pop();
    const { generateName: _g, ...meta } = fresh.metadata ?? {};
    toUpdate.push({ ...fresh, metadata: { ...meta, name: old.metadata!.name!, resourceVersion: old.metadata!.resourceVersion! } });
    toDelete.splice(i, 1);
  }
}
