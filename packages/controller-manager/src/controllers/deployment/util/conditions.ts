// Deployment conditions (upstream NewDeploymentCondition / SetDeploymentCondition): setting a
// condition with the same status and reason changes nothing; a new reason with the same status
// keeps lastTransitionTime.

import type { Deployment } from '@kubets/api';
import { formatEventTime } from '@kubets/client';

export type DeploymentStatus = NonNullable<Deployment['status']>;
export type DeploymentCondition = NonNullable<DeploymentStatus['conditions']>[number] & { lastUpdateTime?: string };

export const reasons = {
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  replicaSetUpdated: 'ReplicaSetUpdated',
  newRSCreated: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  failedRSCreate: 'ReplicaSetCreateError',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

export function newCondition(type: string, status: string, reason: string, message: string, now: number): DeploymentCondition {
  const t = formatEventTime(now);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

export function getCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

export function setCondition(status: DeploymentStatus, c: DeploymentCondition): void {
  const cur = getCondition(status, c.type);
  if (cur !== undefined && cur.status === c.status && cur.reason === c.reason) return;
  const next = cur !== undefined && cur.status === c.status ? { ...c, lastTransitionTime: cur.lastTransitionTime } : c;
  status.conditions = [...(status.conditions ?? []).filter((x) => x.type !== c.type), next];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  const rest = (status.conditions ?? []).filter((x) => x.type !== type);
  if (rest.length > 0) status.conditions = rest;
  else delete status.conditions;
}

/** Upstream HasProgressDeadline: set, and not the "never" value MaxInt32. */
export function hasProgressDeadline(d: Deployment): boolean {
  const s = d.spec?.progressDeadlineSeconds;
  return s !== undefined && s !== 2147483647;
}
