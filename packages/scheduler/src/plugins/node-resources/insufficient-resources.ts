// Does a pod's request fit what a node has left (allocatable minus what its pods request)? As
// upstream's noderesources.fitsRequest: every shortfall is reported, each with its reason, so the
// pod's message says all that a node lacks ("Insufficient cpu, Insufficient memory").

import type { NodeInfo } from '../../framework/node-info.js';
import type { Resources } from '../../framework/resources.js';

export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
}

/** Resources Filter may be told to ignore: extended ones, named with a domain outside kubernetes.io (v1helper.IsExtendedResourceName). */
export function isExtendedResource(name: string): boolean {
  return name.includes('/') && !name.includes('kubernetes.io/') && !name.startsWith('requests.');
}

export interface IgnoredResources {
  names: ReadonlySet<string>;
  groups: ReadonlySet<string>;
}

const ignoresNone: IgnoredResources = { names: new Set(), groups: new Set() };

function isIgnored(name: string, ignored: IgnoredResources): boolean {
  return isExtendedResource(name) && (ignored.names.has(name) || ignored.groups.has(name.split('/')[0] as string));
}

const asksForNothing = (r: Resources) => r.milliCPU === 0 && r.memory === 0 && r.ephemeralStorage === 0 && Object.keys(r.scalar).length === 0;

function shortfall(name: string, requested: number, used: number, capacity: number, reason = `Insufficient ${name}`): InsufficientResource[] {
  return lacks(requested, used, capacity) ? [{ resourceName: name, reason, requested, used, capacity }] : [];
}

const lacks = (requested: number, used: number, capacity: number) => requested > 0 && requested > capacity - used;

/** Whether the node has room for `request`, without building reasons: most nodes do, and this runs for each. */
function fits(request: Resources, node: NodeInfo): boolean {
  const { allocatable, requested } = node;
  return (
    !lacks(1, node.pods.size, allocatable.allowedPodNumber) &&
    !lacks(request.milliCPU, requested.milliCPU, allocatable.milliCPU) &&
    !lacks(request.memory, requested.memory, allocatable.memory) &&
    !lacks(request.ephemeralStorage, requested.ephemeralStorage, allocatable.ephemeralStorage) &&
    Object.keys(request.scalar).length === 0
  );
}

const none: InsufficientResource[] = [];

/** What the node lacks for `request`: the pod count first, then cpu, memory, ephemeral-storage, then extended resources. */
export function insufficientResources(request: Resources, node: NodeInfo, ignored: IgnoredResources = ignoresNone): InsufficientResource[] {
  if (fits(request, node)) return none;
  const { allocatable, requested } = node;
  const out = shortfall('pods', 1, node.pods.size, allocatable.allowedPodNumber, 'Too many pods');
  if (asksForNothing(request)) return out;
  out.push(
    ...shortfall('cpu', request.milliCPU, requested.milliCPU, allocatable.milliCPU),
    ...shortfall('memory', request.memory, requested.memory, allocatable.memory),
    ...shortfall('ephemeral-storage', request.ephemeralStorage, requested.ephemeralStorage, allocatable.ephemeralStorage),
  );
  for (const [name, amount] of Object.entries(request.scalar)) {
    if (isIgnored(name, ignored)) continue;
    out.push(...shortfall(name, amount, requested.scalar[name] ?? 0, allocatable.scalar[name] ?? 0));
  }
  return out;
}
