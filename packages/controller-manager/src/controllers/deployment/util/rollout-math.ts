// How many pods each ReplicaSet should have next: the arithmetic of a rolling update
// (upstream rolling.go and NewRSNewReplicas) and of proportional scaling (upstream scale() in
// sync.go). Pure functions of the Deployment and its ReplicaSets; the caller makes the writes.

import type { Deployment, ReplicaSet } from '@kubets/api';
import { intAnnotation, maxReplicasAnnotation, desiredReplicasAnnotation } from './annotations.js';
import { isRollingUpdate, maxSurge, maxUnavailable, replicasOf } from './fenceposts.js';
import { availableAtMost, byCreation, bySizeNewer, bySizeOlder, filterActive, podsAtMost, replicaCount, specReplicas } from './replicasets.js';

export interface ScaleStep {
  rs: ReplicaSet;
  replicas: number;
}

/**
 * What the new ReplicaSet may grow to now: up to replicas + maxSurge pods in all. Counted from
 * the pods that may still exist, not only from spec as upstream, so that pods of an old
 * ReplicaSet that are about to go are not replaced before they have gone: the surge holds at
 * every moment, also when a new leader acts on what the last one just scaled down.
 */
export function newRSNewReplicas(d: Deployment, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet): number {
  if (!isRollingUpdate(d)) return replicasOf(d);
  const maxTotal = replicasOf(d) + maxSurge(d);
  const current = podsAtMost(allRSs);
  if (current >= maxTotal) return specReplicas(newRS);
  const up = Math.min(maxTotal - current, replicasOf(d) - specReplicas(newRS));
  return specReplicas(newRS) + up;
}

/** How many old pods may go now without falling below replicas - maxUnavailable available. */
export function maxScaledDown(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): number {
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newUnavailable = newRS === undefined ? 0 : specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  return replicaCount(allRSs) - minAvailable - newUnavailable;
}

/** Old ReplicaSets' unavailable pods go first: they cost no availability (oldest RS first). */
export function cleanupUnhealthyPlan(oldRSs: readonly ReplicaSet[], maxCleanup: number): ScaleStep[] {
  const steps: ScaleStep[] = [];
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= maxCleanup) break;
    const unhealthy = specReplicas(rs) - (rs.status?.availableReplicas ?? 0);
    if (specReplicas(rs) === 0 || unhealthy <= 0) continue;
    const down = Math.min(maxCleanup - total, unhealthy);
    steps.push({ rs, replicas: specReplicas(rs) - down });
    total += down;
  }
  return steps;
}

/**
 * Then available old pods, as far as replicas - maxUnavailable allows (oldest RS first). An old
 * ReplicaSet counts no more available pods than its spec keeps, as its status may still count
 * pods it is deleting: upstream counts status alone and can go below the minimum meanwhile.
 */
export function scaleDownOldPlan(d: Deployment, allRSs: readonly ReplicaSet[], oldRSs: readonly ReplicaSet[]): ScaleStep[] {
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const available = availableAtMost(allRSs);
  if (available <= minAvailable) return [];
  const totalDown = available - minAvailable;
  const steps: ScaleStep[] = [];
  let done = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (done >= totalDown) break;
    if (specReplicas(rs) === 0) continue;
    const down = Math.min(specReplicas(rs), totalDown - done);
    steps.push({ rs, replicas: specReplicas(rs) - down });
    done += down;
  }
  return steps;
}

/** Upstream FindActiveOrLatest: the only active ReplicaSet, or the newest if none is active. */
export function activeOrLatest(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (newRS === undefined && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = filterActive([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  return active.length === 1 ? active[0] : undefined;
}

/** Upstream IsSaturated: the new ReplicaSet has all replicas, annotated so, and all available. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (rs === undefined) return false;
  const desired = intAnnotation(rs, desiredReplicasAnnotation);
  return specReplicas(rs) === replicasOf(d) && desired === replicasOf(d) && (rs.status?.availableReplicas ?? 0) === replicasOf(d);
}

/** This ReplicaSet's share of a change in size, from the size it was made for (max-replicas). */
function fraction(rs: ReplicaSet, d: Deployment): number {
  if (replicasOf(d) === 0) return -specReplicas(rs);
  const deploymentReplicas = replicasOf(d) + maxSurge(d);
  const annotated = intAnnotation(rs, maxReplicasAnnotation) ?? d.status?.replicas ?? 0;
  if (annotated === 0) return 0;
  const size = (specReplicas(rs) * deploymentReplicas) / annotated;
  return Math.sign(size) * Math.round(Math.abs(size)) - specReplicas(rs);
}

function proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction(rs, d), allowed) : Math.max(fraction(rs, d), allowed);
}

/**
 * Proportional scaling of a rollout in progress: the change in replicas + maxSurge is shared
 * among the active ReplicaSets by their size, the leftover going to the largest.
 */
export function proportionalPlan(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ScaleStep[] {
  const active = filterActive([...oldRSs, newRS]);
  const allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
  const toAdd = allowed - replicaCount(active);
  if (toAdd > 0) active.sort(bySizeNewer);
  else if (toAdd < 0) active.sort(bySizeOlder);
  let added = 0;
  const sizes = active.map((rs) => {
    const p = proportion(rs, d, toAdd, added);
    added += p;
    return specReplicas(rs) + p;
  });
  if (active.length > 0 && toAdd !== 0) sizes[0] = Math.max(0, sizes[0]! + toAdd - added);
  return active.map((rs, i) => ({ rs, replicas: sizes[i]! }));
}

/** What a scaling event (or a paused Deployment) does to the ReplicaSets (upstream scale()). */
export function scalePlan(d: Deployment, newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ScaleStep[] {
  const only = activeOrLatest(newRS, oldRSs);
  if (only !== undefined) return specReplicas(only) === replicasOf(d) ? [] : [{ rs: only, replicas: replicasOf(d) }];
  if (isSaturated(d, newRS)) return filterActive(oldRSs).map((rs) => ({ rs, replicas: 0 }));
  if (isRollingUpdate(d)) return proportionalPlan(d, newRS, oldRSs);
  return [];
}
