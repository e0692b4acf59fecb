// One step of a ReplicaSet towards spec.replicas (upstream manageReplicas): create the missing
// pods in slow-start batches, or delete the surplus in ActivePods order, at most burstReplicas
// per sync. Expectations are set before the calls go out, so the next sync waits until the
// informer has seen every create and delete instead of counting them twice.

import type { Pod, ReplicaSet } from '@kubets/api';
import { type EventRecorder, type KubeClient, isNotFound, objectKey } from '@kubets/client';
import { podsToDelete } from '../../controller/util/active-pods.js';
import { eventSubject, newControllerRef, replicaSetKind } from '../../controller/util/controller-ref.js';
import type { UIDTrackingExpectations } from '../../controller/util/expectations.js';
import { checkPodHasLabels, podFromTemplate } from '../../controller/util/pod-template.js';
import { slowStartBatch, slowStartInitialBatchSize } from '../../controller/util/slow-start.js';
import { errorText } from '../../controller/util/api-errors.js';

/** Upstream's BurstReplicas: creates or deletes per sync, so one huge ReplicaSet does not starve the rest. */
export const burstReplicas = 500;

export interface ManageDeps {
  client: KubeClient;
  recorder: EventRecorder;
  expectations: UIDTrackingExpectations;
}

/** What a sync should do: positive to create, negative to delete, clamped to burstReplicas. */
export function replicasDiff(wanted: number, active: number): number {
  const diff = wanted - active;
  return Math.sign(diff) * Math.min(Math.abs(diff), burstReplicas);
}

/** Creates or deletes pods; resolves to the error that stopped it, if one did. */
export async function manageReplicas(deps: ManageDeps, rs: ReplicaSet, pods: readonly Pod[]): Promise<unknown> {
  const diff = replicasDiff(rs.spec?.replicas ?? 1, pods.length);
  if (diff > 0) return createPods(deps, rs, diff);
  if (diff < 0) return deletePods(deps, rs, podsToDelete(pods, -diff));
  return undefined;
}

async function createPods(deps: ManageDeps, rs: ReplicaSet, count: number): Promise<unknown> {
  const key = objectKey(rs);
  deps.expectations.expectCreations(key, count);
  const { successes, error } = await slowStartBatch(count, slowStartInitialBatchSize, () => createPod(deps, rs));
  // The informer will never show the pods that were not created: stop expecting them.
  for (let i = successes; i < count; i++) deps.expectations.creationObserved(key);
  return error;
}

async function createPod(deps: ManageDeps, rs: ReplicaSet): Promise<void> {
  const ns = rs.metadata?.namespace ?? 'default';
  const pod = podFromTemplate(rs.spec?.template ?? {}, rs.metadata?.name ?? '', ns, newControllerRef(rs, replicaSetKind));
  checkPodHasLabels(pod);
  let created: Pod;
  try {
    created = await deps.client.create<Pod>('pods', ns, pod);
  } catch (e) {
    deps.recorder.event(eventSubject(rs, replicaSetKind), 'Warning', 'FailedCreate', `Error creating: ${errorText(e)}`);
    throw e;
  }
  deps.recorder.event(eventSubject(rs, replicaSetKind), 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name}`);
}

async function deletePods(deps: ManageDeps, rs: ReplicaSet, victims: readonly Pod[]): Promise<unknown> {
  const key = objectKey(rs);
  deps.expectations.expectDeletions(key, victims.map((p) => objectKey(p)));
  const errors = await Promise.all(victims.map((p) => deletePod(deps, rs, p)));
  return errors.find((e) => e !== undefined);
}

async function deletePod(deps: ManageDeps, rs: ReplicaSet, pod: Pod): Promise<unknown> {
  const name = pod.metadata?.name ?? '';
  try {
    await deps.client.delete('pods', pod.metadata?.namespace, name);
  } catch (e) {
    // The informer will not see a deletion that did not happen (or happened before).
    deps.expectations.deletionObserved(objectKey(rs), objectKey(pod));
    if (isNotFound(e)) return undefined;
    deps.recorder.event(eventSubject(rs, replicaSetKind), 'Warning', 'FailedDelete', `Error deleting: ${errorText(e)}`);
    return new Error(`unable to delete pods: ${errorText(e)}`);
  }
  deps.recorder.event(eventSubject(rs, replicaSetKind), 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
  return undefined;
}

