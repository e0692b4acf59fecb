// The annotations a Deployment keeps on its ReplicaSets (upstream SetNewReplicaSetAnnotations):
// its own annotations (change-cause among them), the revision, the revisions an RS had before
// a rollback made it new again, and the desired and max replicas at the time it was scaled,
// which proportional scaling reads back.

import type { Deployment, ReplicaSet } from '@kubets/api';
import { revisionAnnotation } from './replicasets.js';

export const revisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
export const desiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
export const maxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';
/** Upstream's limit on the revision-history annotation. */
export const maxRevisionHistoryChars = 2000;

const notCopied = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  revisionAnnotation,
  revisionHistoryAnnotation,
  desiredReplicasAnnotation,
  maxReplicasAnnotation,
  'deprecated.deployment.rollback.to',
]);

function annotationsOf(rs: ReplicaSet): Record<string, string> {
  rs.metadata ??= {};
  return (rs.metadata.annotations ??= {});
}

/** Copies the Deployment's annotations (but ours) to the ReplicaSet; true if any changed. */
export function copyDeploymentAnnotations(d: Deployment, rs: ReplicaSet): boolean {
  const a = annotationsOf(rs);
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
    if (notCopied.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  return changed;
}

/** The history with `old` appended, dropping the oldest entries to stay within the limit. */
export function appendRevisionHistory(history: string | undefined, old: string, limit = maxRevisionHistoryChars): string | undefined {
  if (history === undefined || history === '') return old;
  const revisions = history.split(',');
  let total = history.length + old.length + 1;
  let start = 0;
  while (total > limit && start < revisions.length) total -= revisions[start++]!.length + 1;
  return total <= limit ? [...revisions.slice(start), old].join(',') : undefined;
}

export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = annotationsOf(rs);
  let changed = false;
  for (const [k, v] of [[desiredReplicasAnnotation, String(desired)], [maxReplicasAnnotation, String(max)]] as const) {
    if (a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata?.annotations ?? {};
  return a[desiredReplicasAnnotation] !== String(desired) || a[maxReplicasAnnotation] !== String(max);
}

export function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata?.annotations?.[key];
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : undefined;
}

/**
 * Brings the new ReplicaSet's annotations up to date; true if any changed. A ReplicaSet that
 * had a revision and gets a newer one is being rolled back to: its old revision goes into
 * the history.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean, desired: number, max: number): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const a = annotationsOf(rs);
  const oldText = a[revisionAnnotation] ?? '';
  const old = oldText === '' ? 0 : Number(oldText);
  if (oldText !== '' && !/^\d+$/.test(oldText)) return false;
  if (old < newRevision) {
    a[revisionAnnotation] = String(newRevision);
    changed = true;
    if (oldText !== '') {
      const history = appendRevisionHistory(a[revisionHistoryAnnotation], oldText);
      if (history !== undefined) a[revisionHistoryAnnotation] = history;
    }
  }
  if (!exists && setReplicasAnnotations(rs, desired, max)) changed = true;
  return changed;
}
