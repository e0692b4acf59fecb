// Resource arithmetic as kube-scheduler does it: a pod's requests are its containers' sum, or its
// largest init container where that is more (sidecars, restartable init containers, add up and
// keep running), plus the pod's overhead; cpu in millicores, memory and ephemeral storage in
// bytes, extended resources (such as example.com/gpu) by name.

import { tryParseQuantity } from '@kubets/api';
import type { Container, Pod, ResourceList } from './types.js';

export interface Resources {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** The `pods` resource of a node's allocatable; unused in a pod's requests. */
  allowedPodNumber: number;
  /** Extended and hugepage resources, by name. */
  scalar: Record<string, number>;
}

export const emptyResources = (): Resources => ({ milliCPU: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: {} });

/** Upstream's defaults for a container that requests no cpu or memory, used when scoring (not when filtering). */
export const defaultMilliCPURequest = 100;
export const defaultMemoryRequest = 200 * 1024 * 1024;

/** A quantity as a number: millicores for cpu, whole units otherwise. A malformed one counts as 0 (validation refused it at the API). */
function amount(name: string, value: string | number | undefined): number {
  if (value === undefined) return 0;
  const q = tryParseQuantity(String(value));
  if (!('milliValue' in q)) return 0;
  return Number(name === 'cpu' ? q.milliValue() : q.value());
}

export function fromResourceList(list: ResourceList | undefined): Resources {
  const r = emptyResources();
  for (const [name, value] of Object.entries(list ?? {})) {
    const n = amount(name, value);
    if (name === 'cpu') r.milliCPU = n;
    else if (name === 'memory') r.memory = n;
    else if (name === 'ephemeral-storage') r.ephemeralStorage = n;
    else if (name === 'pods') r.allowedPodNumber = n;
    else if (isScalarResource(name)) r.scalar[name] = n;
  }
  return r;
}

/**
 * As upstream's IsScalarResourceName: extended resources (example.com/gpu), prefixed native ones
 * (kubernetes.io/...), hugepages and attachable volumes; other names are not tracked.
 */
export function isScalarResource(name: string): boolean {
  return name.startsWith('hugepages-') || name.startsWith('attachable-volumes-') || name.includes('/');
}

export function add(into: Resources, r: Resources): void {
  into.milliCPU += r.milliCPU;
  into.memory += r.memory;
  into.ephemeralStorage += r.ephemeralStorage;
  into.allowedPodNumber += r.allowedPodNumber;
  for (const [k, v] of Object.entries(r.scalar)) into.scalar[k] = (into.scalar[k] ?? 0) + v;
}

export function subtract(from: Resources, r: Resources): void {
  from.milliCPU -= r.milliCPU;
  from.memory -= r.memory;
  from.ephemeralStorage -= r.ephemeralStorage;
  from.allowedPodNumber -= r.allowedPodNumber;
  for (const [k, v] of Object.entries(r.scalar)) from.scalar[k] = (from.scalar[k] ?? 0) - v;
}

function max(a: Resources, b: Resources): Resources {
  const out: Resources = {
    milliCPU: Math.max(a.milliCPU, b.milliCPU),
    memory: Math.max(a.memory, b.memory),
    ephemeralStorage: Math.max(a.ephemeralStorage, b.ephemeralStorage),
    allowedPodNumber: Math.max(a.allowedPodNumber, b.allowedPodNumber),
    scalar: { ...a.scalar },
  };
  for (const [k, v] of Object.entries(b.scalar)) out.scalar[k] = Math.max(out.scalar[k] ?? 0, v);
  return out;
}

type RequestsOf = (c: Container) => Resources;

const requestsOf: RequestsOf = (c) => fromResourceList(c.resources?.requests);

/** Requests with upstream's non-zero defaults filled in for cpu and memory (what scoring counts). */
const nonZeroRequestsOf: RequestsOf = (c) => {
  const r = requestsOf(c);
  const requests = c.resources?.requests ?? {};
  if (requests.cpu === undefined) r.milliCPU = defaultMilliCPURequest;
  if (requests.memory === undefined) r.memory = defaultMemoryRequest;
  return r;
};

function podTotal(pod: Pod, of: RequestsOf): Resources {
  const containers = emptyResources();
  for (const c of pod.spec.containers) add(containers, of(c));
  // Init containers run one at a time, each beside the sidecars started before it; sidecars
  // keep running beside the containers.
  let sidecars = emptyResources();
  let initPeak = emptyResources();
  for (const c of pod.spec.initContainers ?? []) {
    const r = of(c);
    if (c.restartPolicy === 'Always') {
      const next = emptyResources();
      add(next, sidecars);
      add(next, r);
      sidecars = next;
      initPeak = max(initPeak, sidecars);
    } else {
      const running = emptyResources();
      add(running, sidecars);
      add(running, r);
      initPeak = max(initPeak, running);
    }
  }
  add(containers, sidecars);
  const total = max(containers, initPeak);
  if (pod.spec.overhead !== undefined) add(total, fromResourceList(pod.spec.overhead));
  return total;
}

/** What the pod asks of a node, as NodeResourcesFit filters by it. */
export const podRequests = (pod: Pod): Resources => podTotal(pod, requestsOf);

/** What the pod counts for when scoring: containers without cpu or memory requests count upstream's defaults. */
export const podNonZeroRequests = (pod: Pod): Resources => podTotal(pod, nonZeroRequestsOf);
