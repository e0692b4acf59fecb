// The status a ReplicaSet should have, given its active pods (upstream calculateStatus in
// replica_set_utils.go): counts of pods, fully labelled, Ready and available ones, and the
// ReplicaFailure condition while creating or deleting pods fails.

import type { Pod, ReplicaSet } from '@kubets/api';
import { formatEventTime } from '@kubets/client';
import { isDeepStrictEqual } from 'node:util';
import { isPodAvailable, isPodReady } from '../../controller/util/pod-status.js';

export type ReplicaSetStatus = NonNullable<ReplicaSet['status']>;
type Condition = NonNullable<ReplicaSetStatus['conditions']>[number];

export const replicaFailure = 'ReplicaFailure';

function hasAllLabels(pod: Pod, labels: Record<string, string>): boolean {
  const have = pod.metadata?.labels ?? {};
  return Object.entries(labels).every(([k, v]) => have[k] === v);
}

export interface StatusInput {
  rs: ReplicaSet;
  /** The active pods the ReplicaSet controls. */
  pods: readonly Pod[];
  /** What went wrong creating or deleting pods in this sync, if anything. */
  manageError: unknown;
  now: number;
}

export function calculateStatus({ rs, pods, manageError, now }: StatusInput): ReplicaSetStatus {
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
  const status: ReplicaSetStatus = {
    replicas: pods.length,
    fullyLabeledReplicas: pods.filter((p) => hasAllLabels(p, templateLabels)).length,
    readyReplicas: pods.filter(isPodReady).length,
    availableReplicas: pods.filter((p) => isPodAvailable(p, minReadySeconds, now)).length,
  };
  if (rs.status?.observedGeneration !== undefined) status.observedGeneration = rs.status.observedGeneration;
  const conditions = [...(rs.status?.conditions ?? [])];
  const failure = conditions.find((c) => c.type === replicaFailure);
  if (manageError !== undefined && failure === undefined) {
    const diff = pods.length - (rs.spec?.replicas ?? 1);
    const reason = diff < 0 ? 'FailedCreate' : 'FailedDelete';
    conditions.push(failureCondition(reason, manageError, now));
  }
  const kept = manageError === undefined ? conditions.filter((c) => c.type !== replicaFailure) : conditions;
  if (kept.length > 0) status.conditions = kept;
  return status;
}

function failureCondition(reason: string, err: unknown, now: number): Condition {
  return { type: replicaFailure, status: 'True', lastTransitionTime: formatEventTime(now), reason, message: err instanceof Error ? err.message : String(err) };
}

/** True when the stored status already says this, for the current generation: no write needed. */
export function statusUpToDate(rs: ReplicaSet, next: ReplicaSetStatus): boolean {
  const cur = rs.status;
  return (
    (cur?.replicas ?? 0) === next.replicas &&
    (cur?.fullyLabeledReplicas ?? 0) === (next.fullyLabeledReplicas ?? 0) &&
    (cur?.readyReplicas ?? 0) === (next.readyReplicas ?? 0) &&
    (cur?.availableReplicas ?? 0) === (next.availableReplicas ?? 0) &&
    (cur?.observedGeneration ?? 0) === (rs.metadata?.generation ?? 0) &&
    isDeepStrictEqual(cur?.conditions ?? [], next.conditions ?? [])
  );
}
