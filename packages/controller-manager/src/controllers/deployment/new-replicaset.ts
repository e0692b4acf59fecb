// Finding, updating or creating the new ReplicaSet (upstream getAllReplicaSetsAndSyncRevision
// and getNewReplicaSet in sync.go). The new one is named `<deployment>-<pod-template-hash>`; a
// name taken by a ReplicaSet with another template is a hash collision: collisionCount goes
// up and the next sync tries the next name.

import type { ReplicaSet } from '@kubets/api';
import { isAlreadyExists } from '@kubets/client';
import { deploymentKind, getControllerOf, newControllerRef } from '../../controller/util/controller-ref.js';
import type { DeploymentStep } from './step.js';
import { setNewReplicaSetAnnotations } from './util/annotations.js';
import { getCondition, newCondition, reasons } from './util/conditions.js';
import { maxSurge, replicasOf } from './util/fenceposts.js';
import { computeHash } from './util/hash.js';
import { equalIgnoreHash, findNewReplicaSet, findOldReplicaSets, maxRevision, podTemplateHashLabel, revisionAnnotation } from './util/replicasets.js';
import { newRSNewReplicas } from './util/rollout-math.js';

export interface ReplicaSetsOfDeployment {
  newRS: ReplicaSet | undefined;
  oldRSs: ReplicaSet[];
}

export async function getAllReplicaSetsAndSyncRevision(step: DeploymentStep, createIfMissing: boolean): Promise<ReplicaSetsOfDeployment> {
  const oldRSs = findOldReplicaSets(step.d, step.rsList);
  const newRS = await getNewReplicaSet(step, oldRSs, createIfMissing);
  return { newRS, oldRSs };
}

async function getNewReplicaSet(step: DeploymentStep, oldRSs: ReplicaSet[], createIfMissing: boolean): Promise<ReplicaSet | undefined> {
  const d = step.d;
  const existing = findNewReplicaSet(d, step.rsList);
  const newRevision = maxRevision(oldRSs) + 1;
  const desired = replicasOf(d);
  if (existing !== undefined) return syncExisting(step, existing, newRevision);
  if (!createIfMissing) return undefined;

  const hash = computeHash(d.spec?.template, d.status?.collisionCount);
  const template = structuredClone(d.spec?.template ?? {});
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [podTemplateHashLabel]: hash } };
  const selector = structuredClone(d.spec?.selector ?? {});
  selector.matchLabels = { ...selector.matchLabels, [podTemplateHashLabel]: hash };
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `${d.metadata?.name}-${hash}`, namespace: step.ns, ownerReferences: [newControllerRef(d, deploymentKind)], labels: { ...template.metadata.labels } },
    spec: { replicas: 0, selector, template, ...(d.spec?.minReadySeconds ? { minReadySeconds: d.spec.minReadySeconds } : {}) },
  };
  const replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
  rs.spec!.replicas = replicas;
  setNewReplicaSetAnnotations(d, rs, newRevision, false, desired, desired + maxSurge(d));

  let created: ReplicaSet;
  let alreadyExisted = false;
  try {
    created = await step.env.client.create<ReplicaSet>('replicasets', step.ns, rs);
  } catch (e) {
    if (!isAlreadyExists(e)) return failedCreate(step, rs, e);
    created = await adoptOrCollide(step, rs, e);
    alreadyExisted = true;
  }
  if (!alreadyExisted && replicas > 0) step.event('Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata?.name} from 0 to ${replicas}`);
  await step.setRevision(String(newRevision));
  if (!alreadyExisted) await step.writeProgressing(newCondition('Progressing', 'True', reasons.newRSCreated, `Created new replica set "${created.metadata?.name}"`, step.env.now()));
  return created;
}

/** The new ReplicaSet exists: bring its annotations and minReadySeconds up to date. */
async function syncExisting(step: DeploymentStep, existing: ReplicaSet, newRevision: number): Promise<ReplicaSet> {
  const d = step.d;
  const copy = structuredClone(existing);
  const desired = replicasOf(d);
  const annotationsChanged = setNewReplicaSetAnnotations(d, copy, newRevision, true, desired, desired + maxSurge(d));
  const minReady = d.spec?.minReadySeconds ?? 0;
  if (annotationsChanged || (copy.spec?.minReadySeconds ?? 0) !== minReady) {
    copy.spec = { ...copy.spec };
    if (minReady > 0) copy.spec.minReadySeconds = minReady;
    else delete copy.spec.minReadySeconds;
    return step.env.client.update<ReplicaSet>('replicasets', step.ns, copy);
  }
  await step.setRevision(copy.metadata?.annotations?.[revisionAnnotation] ?? '');
  if (getCondition(d.status, 'Progressing') === undefined) {
    await step.writeProgressing(newCondition('Progressing', 'True', reasons.foundNewRS, `Found new replica set "${copy.metadata?.name}"`, step.env.now()));
  }
  return copy;
}

/** The name is taken: ours with this template (a create we did not see yet), or a collision. */
async function adoptOrCollide(step: DeploymentStep, rs: ReplicaSet, err: unknown): Promise<ReplicaSet> {
  const d = step.d;
  const found = await step.env.client.get<ReplicaSet>('replicasets', step.ns, rs.metadata?.name ?? '');
  const ref = getControllerOf(found);
  if (ref?.uid === d.metadata?.uid && equalIgnoreHash(d.spec?.template, found.spec?.template)) return found;
  const status = structuredClone(d.status ?? {});
  status.collisionCount = (status.collisionCount ?? 0) + 1;
  await step.writeStatus(status);
  step.env.logger.info({ deployment: `${step.ns}/${d.metadata?.name}`, collisionCount: status.collisionCount }, 'found a hash collision; will retry with a new name');
  throw err;
}

async function failedCreate(step: DeploymentStep, rs: ReplicaSet, err: unknown): Promise<never> {
  const msg = `Failed to create new replica set "${rs.metadata?.name}": ${err instanceof Error ? err.message : String(err)}`;
  await step.writeProgressing(newCondition('Progressing', 'False', reasons.failedRSCreate, msg, step.env.now()));
  step.event('Warning', reasons.failedRSCreate, msg);
  throw err;
}

