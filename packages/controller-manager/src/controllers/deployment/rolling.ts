// A RollingUpdate step (upstream rolling.go): grow the new ReplicaSet within maxSurge; if it
// cannot grow, shrink the old ones within maxUnavailable (unavailable old pods first); once
// complete, clean up. One kind of change per sync; the next sync sees its effect.

import type { ReplicaSet } from '@kubets/api';
import { getAllReplicaSetsAndSyncRevision } from './new-replicaset.js';
import type { DeploymentStep } from './step.js';
import { cleanupOldReplicaSets, syncRolloutStatus } from './sync.js';
import { replicasOf } from './util/fenceposts.js';
import { filterActive, replicaCount, specReplicas } from './util/replicasets.js';
import { cleanupUnhealthyPlan, maxScaledDown, newRSNewReplicas, scaleDownOldPlan } from './util/rollout-math.js';
import { deploymentComplete } from './util/status.js';

export async function rolloutRolling(step: DeploymentStep): Promise<void> {
  const found = await getAllReplicaSetsAndSyncRevision(step, true);
  const newRS = found.newRS!;
  const oldRSs = found.oldRSs;
  const allRSs = [...oldRSs, newRS];
  if (await reconcileNewReplicaSet(step, allRSs, newRS)) return syncRolloutStatus(step, allRSs, newRS);
  if (await reconcileOldReplicaSets(step, allRSs, filterActive(oldRSs), newRS)) return syncRolloutStatus(step, allRSs, newRS);
  if (deploymentComplete(step.d, step.d.status ?? {})) await cleanupOldReplicaSets(step, oldRSs);
  return syncRolloutStatus(step, allRSs, newRS);
}

async function reconcileNewReplicaSet(step: DeploymentStep, allRSs: ReplicaSet[], newRS: ReplicaSet): Promise<boolean> {
  const want = replicasOf(step.d);
  if (specReplicas(newRS) === want) return false;
  const to = specReplicas(newRS) > want ? want : newRSNewReplicas(step.d, allRSs, newRS);
  return (await step.scaleAndRecord(newRS, to)).scaled;
}

async function reconcileOldReplicaSets(step: DeploymentStep, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet): Promise<boolean> {
  if (replicaCount(oldRSs) === 0) return false;
  const maxDown = maxScaledDown(step.d, allRSs, newRS);
  if (maxDown <= 0) return false;
  let scaledDown = 0;
  const current = new Map(oldRSs.map((rs) => [rs.metadata?.uid, rs]));
  for (const { rs, replicas } of cleanupUnhealthyPlan(oldRSs, maxDown)) {
    const r = await step.scaleAndRecord(rs, replicas);
    current.set(rs.metadata?.uid, r.rs);
    scaledDown += specReplicas(rs) - replicas;
  }
  const olds = [...current.values()];
  for (const { rs, replicas } of scaleDownOldPlan(step.d, [...olds, newRS], olds)) {
    await step.scaleAndRecord(rs, replicas);
    scaledDown += specReplicas(rs) - replicas;
  }
  return scaledDown > 0;
}
