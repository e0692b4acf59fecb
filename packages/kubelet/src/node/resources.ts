// Capacity and allocatable, as upstream's MachineInfo setter and the container manager's
// GetNodeAllocatableReservation compute them: allocatable = capacity - system-reserved -
// kube-reserved - the hard eviction thresholds, never below zero.
import { parseQuantity, type Quantity, quantityFromInt } from '@kubets/api';
import type { MachineInfo, ResourceList } from './types.js';

/** Upstream's default --max-pods. */
export const defaultMaxPods = 110;

/**
 * Upstream's default --eviction-hard that reserves capacity: memory.available<100Mi and
 * nodefs.available<10% (the other defaults, imagefs and inodes, reserve no resource).
 */
export const defaultEvictionHard = { memoryAvailable: '100Mi', nodefsAvailablePercent: 10 };

/** cpu, memory, ephemeral-storage and pods of the machine; each one replaced where `overrides` names it. */
export function machineCapacity(machine: MachineInfo, maxPods = defaultMaxPods, overrides: ResourceList = {}): Record<string, string> {
  const capacity: Record<string, string> = {
    cpu: quantityFromInt(machine.cpuCores).toString(),
    memory: quantityFromInt(machine.memoryBytes, 'BinarySI').toString(),
    'ephemeral-storage': quantityFromInt(machine.ephemeralStorageBytes, 'BinarySI').toString(),
    pods: quantityFromInt(maxPods).toString(),
  };
  for (const [name, value] of Object.entries(overrides)) capacity[name] = parseQuantity(String(value)).toString();
  return capacity;
}

function add(list: Map<string, Quantity>, name: string, q: Quantity): void {
  const cur = list.get(name);
  list.set(name, cur === undefined ? q : cur.add(q));
}

/** What the hard eviction thresholds hold back of this capacity. */
export function hardEvictionReservation(capacity: ResourceList, evictionHard = defaultEvictionHard): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  out.set('memory', parseQuantity(evictionHard.memoryAvailable));
  const storage = capacity['ephemeral-storage'];
  if (storage !== undefined) {
    const bytes = parseQuantity(String(storage)).value();
    // Whole bytes, as upstream's int64(float64(capacity) * percentage).
    out.set('ephemeral-storage', quantityFromInt((bytes * BigInt(evictionHard.nodefsAvailablePercent)) / 100n, 'BinarySI'));
  }
  return out;
}

/** capacity minus every reservation, resource by resource; a negative result is 0, as upstream. */
export function allocatableOf(capacity: ResourceList, reservations: ResourceList[], evictionHard = defaultEvictionHard): Record<string, string> {
  const reserved = hardEvictionReservation(capacity, evictionHard);
  for (const list of reservations) for (const [name, value] of Object.entries(list)) add(reserved, name, parseQuantity(String(value)));
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(capacity)) {
    const cap = parseQuantity(String(value));
    const held = reserved.get(name);
    const left = held === undefined ? cap : cap.sub(held);
    out[name] = left.sign() < 0 ? '0' : left.toString();
  }
  return out;
}

/** Whether two resource lists name the same resources at equal amounts ("1Gi" equals "1024Mi"). */
export function sameResources(a: ResourceList | undefined, b: ResourceList | undefined): boolean {
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  return ka.every((k) => b?.[k] !== undefined && parseQuantity(String(a![k])).equals(parseQuantity(String(b[k]))));
}
