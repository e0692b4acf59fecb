// A Recreate step (upstream recreate.go): scale every old ReplicaSet to 0, wait until none of
// their pods is left running, then create or scale up the new ReplicaSet.

import type { Pod, ReplicaSet } from '@kubets/api';
import { getAllReplicaSetsAndSyncRevision } from './new-replicaset.js';
import type { DeploymentStep } from './step.js';
import { cleanupOldReplicaSets, syncRolloutStatus } from './sync.js';
import { replicasOf } from './util/fenceposts.js';
import { actualReplicaCount, filterActive } from './util/replicasets.js';
import { deploymentComplete } from './util/status.js';

export async function rolloutRecreate(step: DeploymentStep): Promise<void> {
  let { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(step, false);
  let scaledDown = false;
  for (const rs of filterActive(oldRSs)) if ((await step.scaleAndRecord(rs, 0)).scaled) scaledDown = true;
  if (scaledDown || oldPodsRunning(newRS, oldRSs, step.podMap)) return syncRolloutStatus(step, [...oldRSs, newRS], newRS);
  if (newRS === undefined) ({ newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(step, true));
  await step.scaleAndRecord(newRS!, replicasOf(step.d));
  if (deploymentComplete(step.d, step.d.status ?? {})) await cleanupOldReplicaSets(step, oldRSs);
  return syncRolloutStatus(step, [...oldRSs, newRS], newRS);
}

/** Any old pod not Succeeded or Failed (Unknown included: it may still run). */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[], podMap: Map<string, Pod[]>): boolean {
  if (actualReplicaCount(oldRSs) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS !== undefined && uid === newRS.metadata?.uid) continue;
    if (pods.some((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed')) return true;
  }
  return false;
}
