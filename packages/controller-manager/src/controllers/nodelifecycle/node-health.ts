// When was a node last heard of, and is it silent for too long (upstream's tryUpdateNodeHealth).
// Upstream does not trust the remote clocks: it notes the time on ITS clock when it sees the
// Ready condition's heartbeat change or the node's Lease renewed, and measures silence from
// that. Pure: the caller passes the node, its Lease and now.

import type { Lease, Node } from '@kubets/api';
import { apiTime, findCondition, nodeConditions, type NodeCondition, parseApiTime } from './conditions.js';

export interface NodeHealth {
  /** When (our clock) the node was last heard of: heartbeat change or lease renewal. */
  probeTimestamp: number;
  /** When (our clock) the Ready condition was last seen to change. */
  readyTransitionTimestamp: number;
  /** The Ready condition as last seen, to spot a new heartbeat. */
  savedReady: NodeCondition | undefined;
  /** The lease's renewTime (ms) as last seen, to spot a renewal. */
  leaseRenewMs: number | undefined;
}

export interface GracePeriods {
  nodeMonitorGracePeriodMs: number;
  nodeStartupGracePeriodMs: number;
}

function creationMs(node: Node, now: number): number {
  return parseApiTime(node.metadata?.creationTimestamp) ?? now;
}

function freshHealth(ready: NodeCondition | undefined, at: number): NodeHealth {
  return { probeTimestamp: at, readyTransitionTimestamp: at, savedReady: ready, leaseRenewMs: undefined };
}

/** Folds what is seen of the node's Ready condition now into what was saved. */
function observeReady(saved: NodeHealth | undefined, node: Node, now: number): NodeHealth {
  const current = findCondition(nodeConditions(node), 'Ready');
  if (current === undefined) {
    // The kubelet never posted a status: count from the node's creation, or keep what we had.
    if (saved === undefined) return freshHealth(undefined, creationMs(node, now));
    if (saved.savedReady === undefined) return saved;
    return { ...freshHealth(undefined, now), leaseRenewMs: saved.leaseRenewMs }; // Ready was removed: start again
  }
  if (saved === undefined || saved.savedReady === undefined) return { ...freshHealth(current, now), leaseRenewMs: saved?.leaseRenewMs };
  if (saved.savedReady.lastHeartbeatTime === current.lastHeartbeatTime) return saved;
  const transitioned = saved.savedReady.lastTransitionTime !== current.lastTransitionTime;
  return { probeTimestamp: now, readyTransitionTimestamp: transitioned ? now : saved.readyTransitionTimestamp, savedReady: current, leaseRenewMs: saved.leaseRenewMs };
}

/** The node's health after one look at it and its Lease (undefined when it has none). */
export function observeNodeHealth(saved: NodeHealth | undefined, node: Node, lease: Lease | undefined, now: number): NodeHealth {
  const health = observeReady(saved, node, now);
  const renew = parseApiTime(lease?.spec?.renewTime);
  // A renewed lease is a heartbeat too, even from a kubelet that never posted a status.
  if (renew !== undefined && (health.leaseRenewMs === undefined || renew > health.leaseRenewMs)) {
    return { ...health, probeTimestamp: now, leaseRenewMs: renew };
  }
  return health;
}

/** How long the node may stay silent: longer for one that never reported Ready. */
export function gracePeriodFor(node: Node, periods: GracePeriods): number {
  return findCondition(nodeConditions(node), 'Ready') === undefined ? periods.nodeStartupGracePeriodMs : periods.nodeMonitorGracePeriodMs;
}

export function isSilent(health: NodeHealth, node: Node, periods: GracePeriods, now: number): boolean {
  return now > health.probeTimestamp + gracePeriodFor(node, periods);
}

/** The kubelet-owned conditions the controller turns Unknown; NetworkUnavailable belongs to the control plane. */
export const conditionsSetUnknown = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/**
 * The node's conditions once it is known to be silent: each kubelet-owned condition Unknown
 * (added as never posted when missing), with lastTransitionTime now where it changed.
 */
export function silentNodeConditions(node: Node, now: number): NodeCondition[] {
  const conditions = nodeConditions(node).map((c) => ({ ...c }));
  const at = apiTime(now);
  for (const type of conditionsSetUnknown) {
    const c = findCondition(conditions, type);
    if (c === undefined) {
      const heartbeat = node.metadata?.creationTimestamp ?? at;
      conditions.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: heartbeat, lastTransitionTime: at });
    } else if (c.status !== 'Unknown') {
      Object.assign(c, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: at });
    }
  }
  return conditions;
}
