// Zones and their disruption states (upstream's ComputeZoneState and handleDisruption). When a
// whole zone is down the cause is more likely the network or the control plane than the nodes,
// so evictions slow down or stop instead of emptying the zone. Pure.

import type { Node } from '@kubets/api';
import type { NodeCondition } from './conditions.js';

export type ZoneState = 'Initial' | 'Normal' | 'FullDisruption' | 'PartialDisruption';

export interface DisruptionOptions {
  /** --node-eviction-rate: nodes/s tainted in a healthy zone. */
  evictionQps: number;
  /** --secondary-node-eviction-rate: nodes/s in a partly disrupted large zone. */
  secondaryEvictionQps: number;
  /** --large-cluster-size-threshold: smaller zones stop evicting when partly disrupted. */
  largeClusterThreshold: number;
  /** --unhealthy-zone-threshold: the share of not-Ready nodes that makes a zone partly disrupted. */
  unhealthyZoneThreshold: number;
}

export const defaultDisruptionOptions: Omit<DisruptionOptions, 'evictionQps'> = {
  secondaryEvictionQps: 0.01,
  largeClusterThreshold: 50,
  unhealthyZoneThreshold: 0.55,
};

const regionLabels = ['topology.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/region'];
const zoneLabels = ['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone'];

function firstLabel(node: Node, keys: string[]): string {
  for (const k of keys) {
    const v = node.metadata?.labels?.[k];
    if (v !== undefined && v !== '') return v;
  }
  return '';
}

/** The zone key of a node, as upstream's GetZoneKey: region and zone joined by ":\0:", or "" without either. */
export function zoneKey(node: Node): string {
  const region = firstLabel(node, regionLabels);
  const zone = firstLabel(node, zoneLabels);
  return region === '' && zone === '' ? '' : `${region}:\x00:${zone}`;
}

/** Nodes labelled node.kubernetes.io/exclude-disruption do not count in their zone's state. */
export function excludedFromDisruption(node: Node): boolean {
  return node.metadata?.labels?.['node.kubernetes.io/exclude-disruption'] !== undefined;
}

/** No Ready node: full disruption; more than 2 and at least the threshold not Ready: partial. */
export function computeZoneState(readyConditions: readonly (NodeCondition | undefined)[], unhealthyZoneThreshold: number): { notReady: number; state: ZoneState } {
  const ready = readyConditions.filter((c) => c?.status === 'True').length;
  const notReady = readyConditions.length - ready;
  if (ready === 0 && notReady > 0) return { notReady, state: 'FullDisruption' };
  if (notReady > 2 && notReady / (notReady + ready) >= unhealthyZoneThreshold) return { notReady, state: 'PartialDisruption' };
  return { notReady, state: 'Normal' };
}

/** The tainting rate of a zone of this size in this state (setLimiterInZone). */
export function zoneEvictionQps(state: ZoneState, zoneSize: number, o: DisruptionOptions): number {
  if (state === 'PartialDisruption') return zoneSize > o.largeClusterThreshold ? o.secondaryEvictionQps : 0;
  return o.evictionQps; // Normal, and FullDisruption of one zone while others are healthy
}

export interface DisruptionStep {
  /** Every zone's state after this pass. */
  zoneStates: Map<string, ZoneState>;
  /** New tainting rates for the zones whose limiter changes. */
  limiters: Map<string, number>;
  /** All zones just went fully down: remove the NoExecute taints from every node. */
  markAllReachable: boolean;
  /** Some zone just came back: restart every node's grace period from now. */
  resetProbeTimestamps: boolean;
}

/**
 * One pass of handleDisruption: from the previous zone states and the Ready conditions of each
 * zone's nodes now, the new states and what to change. If every zone is fully disrupted the
 * controller stops all evictions; leaving that mode resets every limiter.
 */
export function stepDisruption(previous: ReadonlyMap<string, ZoneState>, zoneConditions: ReadonlyMap<string, readonly (NodeCondition | undefined)[]>, o: DisruptionOptions): DisruptionStep {
  const newStates = new Map<string, ZoneState>();
  for (const [zone, conds] of zoneConditions) newStates.set(zone, computeZoneState(conds, o.unhealthyZoneThreshold).state);
  // Zones without nodes left are forgotten; unseen zones start Initial.
  const states = new Map<string, ZoneState>();
  for (const zone of zoneConditions.keys()) states.set(zone, previous.get(zone) ?? 'Initial');
  const allAre = newStates.size > 0 ? [...newStates.values()].every((s) => s === 'FullDisruption') : true;
  const allWere = [...states.values()].every((s) => s === 'FullDisruption');
  const step: DisruptionStep = { zoneStates: states, limiters: new Map(), markAllReachable: false, resetProbeTimestamps: false };
  if (allAre && allWere) return step;
  const size = (zone: string) => zoneConditions.get(zone)?.length ?? 0;
  if (allAre) {
    for (const zone of states.keys()) {
      step.limiters.set(zone, 0);
      states.set(zone, 'FullDisruption');
    }
    step.markAllReachable = true;
    return step;
  }
  for (const [zone, state] of states) {
    const next = newStates.get(zone)!;
    if (!allWere && state === next) continue;
    step.limiters.set(zone, zoneEvictionQps(next, size(zone), o));
    states.set(zone, next);
  }
  step.resetProbeTimestamps = allWere;
  return step;
}
