// The downward API's resourceFieldRef: a container's limit or request in units of a divisor,
// rounded up, as upstream's ExtractContainerResourceValue. Unset limits read as the node's
// allocatable (the kubelet's defaultPodLimitsForDownwardAPI).
import { parseQuantity, type Container, type Pod, type Quantity } from '@kubets/api';

export interface ResourceSelector {
  containerName?: string;
  resource: string;
  divisor?: string | number;
}

/** The resources whose limits default to the node's allocatable. */
const defaultedLimits = ['cpu', 'memory', 'ephemeral-storage'];

/** The value as a decimal string; throws with upstream's message on an unknown resource or container. */
export function resourceFieldValue(selector: ResourceSelector, pod: Pod, container: Container | undefined, allocatable: Record<string, string | number> = {}): string {
  const target = selector.containerName ? findContainer(pod, selector.containerName) : container;
  if (target === undefined) throw new Error(`container ${selector.containerName ?? ''} not found`);
  const [kind, resource] = splitResource(selector.resource);
  if (kind === undefined || !defaultedLimits.includes(resource)) throw new Error(`unsupported container resource : ${selector.resource}`);
  const amounts = kind === 'limits' ? limitsWithAllocatable(target, allocatable) : (target.resources?.requests ?? {});
  const amount = quantityOf(amounts[resource]);
  return divideRoundingUp(amount, divisorOf(selector.divisor), resource === 'cpu');
}

function splitResource(resource: string): [kind: 'limits' | 'requests' | undefined, name: string] {
  const dot = resource.indexOf('.');
  const kind = resource.slice(0, dot);
  return [kind === 'limits' || kind === 'requests' ? kind : undefined, resource.slice(dot + 1)];
}

function findContainer(pod: Pod, name: string): Container | undefined {
  return [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === name);
}

/** The container's limits, with allocatable for each of cpu, memory, ephemeral-storage unset or zero. */
export function limitsWithAllocatable(container: Container, allocatable: Record<string, string | number>): Record<string, string | number> {
  const limits: Record<string, string | number> = { ...(container.resources?.limits ?? {}) };
  for (const name of defaultedLimits) {
    const set = limits[name];
    if ((set === undefined || quantityOf(set).isZero()) && allocatable[name] !== undefined) limits[name] = allocatable[name]!;
  }
  return limits;
}

function quantityOf(value: string | number | undefined): Quantity {
  return parseQuantity(value === undefined ? '0' : String(value));
}

/** A divisor of zero or none means 1. */
function divisorOf(divisor: string | number | undefined): Quantity {
  const q = quantityOf(divisor);
  return q.isZero() ? parseQuantity('1') : q;
}

/** CPU is compared in millicores (so 1m divides 250m), everything else in whole units. */
function divideRoundingUp(amount: Quantity, divisor: Quantity, inMillis: boolean): string {
  const a = inMillis ? amount.milliValue() : amount.value();
  const d = inMillis ? divisor.milliValue() : divisor.value();
  const quotient = a / d;
  return String(a % d !== 0n && a > 0n ? quotient + 1n : quotient);
}
