// The steps every strategy shares (upstream sync.go and progress.go): scaling (a scaling event
// or a paused Deployment), clean-up of old ReplicaSets beyond revisionHistoryLimit, and the
// status, written only when it changed.

import type { ReplicaSet } from '@kubets/api';
import { isNotFound } from '@kubets/client';
import { getAllReplicaSetsAndSyncRevision } from './new-replicaset.js';
import type { DeploymentStep } from './step.js';
import { desiredReplicasAnnotation, intAnnotation } from './util/annotations.js';
import { replicasOf } from './util/fenceposts.js';
import { byRevision, filterActive, specReplicas } from './util/replicasets.js';
import { scalePlan } from './util/rollout-math.js';
import { calculateStatus, progressRecheckAfter, rolloutStatus } from './util/status.js';

/** A change of spec.replicas not yet applied to the ReplicaSets (their desired-replicas annotation). */
export async function isScalingEvent(step: DeploymentStep): Promise<boolean> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(step, false);
  return filterActive([...oldRSs, newRS]).some((rs) => {
    const desired = intAnnotation(rs, desiredReplicasAnnotation);
    return desired !== undefined && desired !== replicasOf(step.d);
  });
}

/** A scaling event, or a paused Deployment: scale, clean up if paused, status. */
export async function syncScaling(step: DeploymentStep): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(step, false);
  for (const { rs, replicas } of scalePlan(step.d, newRS, oldRSs)) await step.scaleReplicaSet(rs, replicas);
  if (step.d.spec?.paused === true) await cleanupOldReplicaSets(step, oldRSs);
  await step.writeStatus(calculateStatus(step.d, [...oldRSs, newRS], newRS, step.env.now()));
}

/** A Deployment being deleted: only its status. */
export async function syncStatusOnly(step: DeploymentStep): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(step, false);
  await step.writeStatus(calculateStatus(step.d, [...oldRSs, newRS], newRS, step.env.now()));
}

/** The status after a rollout step; a rollout in progress is looked at again by its deadline. */
export async function syncRolloutStatus(step: DeploymentStep, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): Promise<void> {
  const now = step.env.now();
  const status = rolloutStatus(step.d, allRSs, newRS, now);
  const before = step.d.status;
  await step.writeStatus(status);
  if (before === step.d.status) {
    const after = progressRecheckAfter(step.d, status, now);
    if (after !== undefined) step.env.requeueAfter(after);
  }
}

/**
 * Deletes the oldest ReplicaSets beyond revisionHistoryLimit, if they have no pods and their
 * controller has seen their last change (upstream cleanupDeployment).
 */
export async function cleanupOldReplicaSets(step: DeploymentStep, oldRSs: readonly ReplicaSet[]): Promise<void> {
  const limit = step.d.spec?.revisionHistoryLimit;
  if (limit === undefined) return;
  const cleanable = oldRSs.filter((rs) => rs.metadata?.deletionTimestamp === undefined).sort(byRevision);
  const surplus = cleanable.length - limit;
  for (const rs of cleanable.slice(0, Math.max(0, surplus))) {
    const idle = (rs.status?.replicas ?? 0) === 0 && specReplicas(rs) === 0 && (rs.metadata?.generation ?? 0) <= (rs.status?.observedGeneration ?? 0);
    if (!idle) continue;
    try {
      await step.env.client.delete('replicasets', step.ns, rs.metadata?.name ?? '');
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
