// The status a Deployment should have (upstream calculateStatus, syncRolloutStatus and
// progress.go): counts from its ReplicaSets, Available while at least replicas -
// maxUnavailable pods are available, and Progressing with the rollout's reason, which turns
// to ProgressDeadlineExceeded when nothing moved for progressDeadlineSeconds.

import type { Deployment, ReplicaSet } from '@kubets/api';
import { maxUnavailable, replicasOf } from './fenceposts.js';
import { type DeploymentCondition, type DeploymentStatus, getCondition, hasProgressDeadline, newCondition, reasons, removeCondition, setCondition } from './conditions.js';
import { actualReplicaCount, availableReplicaCount, readyReplicaCount, replicaCount } from './replicasets.js';

export function calculateStatus(d: Deployment, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, now: number): DeploymentStatus {
  const available = availableReplicaCount(allRSs);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata?.generation ?? 0,
    replicas: actualReplicaCount(allRSs),
    updatedReplicas: actualReplicaCount([newRS]),
    readyReplicas: readyReplicaCount(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, replicaCount(allRSs) - available),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (d.status?.conditions !== undefined) status.conditions = d.status.conditions.map((c) => ({ ...c }));
  const minAvailable = available >= replicasOf(d) - maxUnavailable(d);
  setCondition(status, minAvailable
    ? newCondition('Available', 'True', reasons.minimumReplicasAvailable, 'Deployment has minimum availability.', now)
    : newCondition('Available', 'False', reasons.minimumReplicasUnavailable, 'Deployment does not have minimum availability.', now));
  return status;
}

/** All replicas updated, available, and nothing old left, for the current generation. */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const n = replicasOf(d);
  return s.updatedReplicas === n && s.replicas === n && s.availableReplicas === n && (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
}

/** More updated, ready or available pods than last time, or fewer old ones. */
export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld || (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

export function deploymentTimedOut(d: Deployment, s: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, 'Progressing') as DeploymentCondition | undefined;
  if (c === undefined || c.reason === reasons.newRSAvailable) return false;
  if (c.reason === reasons.timedOut) return true;
  const from = Date.parse(c.lastUpdateTime ?? c.lastTransitionTime ?? '');
  return from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 < now;
}

function subject(d: Deployment, newRS: ReplicaSet | undefined): string {
  return newRS !== undefined ? `ReplicaSet "${newRS.metadata?.name}"` : `Deployment "${d.metadata?.name}"`;
}

/** The status after a rollout step, with the Progressing and ReplicaFailure conditions. */
export function rolloutStatus(d: Deployment, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, now: number): DeploymentStatus {
  const s = calculateStatus(d, allRSs, newRS, now);
  if (!hasProgressDeadline(d)) removeCondition(s, 'Progressing');
  const cur = getCondition(d.status, 'Progressing');
  const complete = s.replicas === s.updatedReplicas && cur?.reason === reasons.newRSAvailable;
  if (hasProgressDeadline(d) && !complete) {
    if (deploymentComplete(d, s)) {
      setCondition(s, newCondition('Progressing', 'True', reasons.newRSAvailable, `${subject(d, newRS)} has successfully progressed.`, now));
    } else if (deploymentProgressing(d, s)) {
      // Progress moves lastUpdateTime (and so the deadline) on, but not lastTransitionTime.
      const c = newCondition('Progressing', 'True', reasons.replicaSetUpdated, `${subject(d, newRS)} is progressing.`, now);
      if (cur?.status === 'True') c.lastTransitionTime = cur.lastTransitionTime;
      removeCondition(s, 'Progressing');
      setCondition(s, c);
    } else if (deploymentTimedOut(d, s, now)) {
      setCondition(s, newCondition('Progressing', 'False', reasons.timedOut, `${subject(d, newRS)} has timed out progressing.`, now));
    }
  }
  const failure = replicaFailure(allRSs, newRS);
  if (failure !== undefined) setCondition(s, failure);
  else removeCondition(s, 'ReplicaFailure');
  return s;
}

/** The new ReplicaSet's ReplicaFailure, else any other's, as a Deployment condition. */
function replicaFailure(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): DeploymentCondition | undefined {
  for (const rs of [newRS, ...allRSs]) {
    const c = rs?.status?.conditions?.find((x) => x.type === 'ReplicaFailure');
    if (c !== undefined) return { ...c, lastUpdateTime: c.lastTransitionTime } as DeploymentCondition;
  }
  return undefined;
}

/**
 * When to look again at a rollout that is neither complete nor timed out, to notice the
 * deadline passing: undefined for never, 0 for now (rate-limited).
 */
export function progressRecheckAfter(d: Deployment, s: DeploymentStatus, now: number): number | undefined {
  const cur = getCondition(d.status, 'Progressing') as DeploymentCondition | undefined;
  if (!hasProgressDeadline(d) || cur === undefined) return undefined;
  if (deploymentComplete(d, s) || cur.reason === reasons.timedOut) return undefined;
  const after = Date.parse(cur.lastUpdateTime ?? '') + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 - now;
  return after < 1000 ? 0 : after + 1000;
}

/** The Progressing condition of a paused or resumed Deployment; true if the status changed. */
export function setPausedCondition(d: Deployment, s: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, 'Progressing');
  if (c?.reason === reasons.timedOut) return false;
  const pausedShown = c?.reason === reasons.paused;
  if (d.spec?.paused === true && !pausedShown) {
    setCondition(s, newCondition('Progressing', 'Unknown', reasons.paused, 'Deployment is paused', now));
    return true;
  }
  if (d.spec?.paused !== true && pausedShown) {
    setCondition(s, newCondition('Progressing', 'Unknown', reasons.resumed, 'Deployment is resumed', now));
    return true;
  }
  return false;
}
