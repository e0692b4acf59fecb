// A Deployment's ReplicaSets: which is new (its template equals the Deployment's, the hash
// label aside), which are old, their orders and their counts (upstream deployment_util.go).

import type { Deployment, ReplicaSet } from '@kubets/api';
import { isDeepStrictEqual } from 'node:util';
import { canonicalJson } from './hash.js';

export const podTemplateHashLabel = 'pod-template-hash';
export const revisionAnnotation = 'deployment.kubernetes.io/revision';

type Template = NonNullable<NonNullable<ReplicaSet['spec']>['template']>;

export function specReplicas(rs: ReplicaSet): number {
  return rs.spec?.replicas ?? 1;
}

function withoutHash(t: Template | undefined): unknown {
  const copy = JSON.parse(canonicalJson(t ?? {})) as Template;
  const labels = copy.metadata?.labels;
  if (labels !== undefined) {
    delete labels[podTemplateHashLabel];
    if (Object.keys(labels).length === 0) delete copy.metadata!.labels;
  }
  return copy;
}

/** Upstream EqualIgnoreHash: the templates are equal once the hash label is left out. */
export function equalIgnoreHash(a: Template | undefined, b: Template | undefined): boolean {
  return isDeepStrictEqual(withoutHash(a), withoutHash(b));
}

function created(rs: ReplicaSet): number {
  return Date.parse(rs.metadata?.creationTimestamp ?? '') || 0;
}

/** Older first; equal times by name. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const d = created(a) - created(b);
  if (d !== 0) return d;
  const [na, nb] = [a.metadata?.name ?? '', b.metadata?.name ?? ''];
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** Larger first; equal sizes newer first (scaling up). */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  return specReplicas(b) - specReplicas(a) || byCreation(b, a);
}

/** Larger first; equal sizes older first (scaling down). */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  return specReplicas(b) - specReplicas(a) || byCreation(a, b);
}

export function revisionOf(rs: ReplicaSet): number | undefined {
  const text = rs.metadata?.annotations?.[revisionAnnotation];
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

/** Lower revision first; unparsable or equal revisions by creation. */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  const [ra, rb] = [revisionOf(a), revisionOf(b)];
  if (ra === undefined || rb === undefined || ra === rb) return byCreation(a, b);
  return ra - rb;
}

export function maxRevision(rss: readonly ReplicaSet[]): number {
  return Math.max(0, ...rss.map((rs) => revisionOf(rs) ?? 0));
}

export function findNewReplicaSet(d: Deployment, rss: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** Every ReplicaSet but the new one. */
export function findOldReplicaSets(d: Deployment, rss: readonly ReplicaSet[]): ReplicaSet[] {
  const newRs = findNewReplicaSet(d, rss);
  return rss.filter((rs) => rs !== newRs);
}

export function filterActive(rss: readonly (ReplicaSet | undefined)[]): ReplicaSet[] {
  return rss.filter((rs): rs is ReplicaSet => rs !== undefined && specReplicas(rs) > 0);
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
type MaybeRs = ReplicaSet | undefined;
const present = (rss: readonly MaybeRs[]) => rss.filter((rs): rs is ReplicaSet => rs !== undefined);

/** Sum of spec.replicas. */
export const replicaCount = (rss: readonly MaybeRs[]) => sum(present(rss).map(specReplicas));
/** Sum of status.replicas. */
export const actualReplicaCount = (rss: readonly MaybeRs[]) => sum(present(rss).map((rs) => rs.status?.replicas ?? 0));
export const readyReplicaCount = (rss: readonly MaybeRs[]) => sum(present(rss).map((rs) => rs.status?.readyReplicas ?? 0));
export const availableReplicaCount = (rss: readonly MaybeRs[]) => sum(present(rss).map((rs) => rs.status?.availableReplicas ?? 0));

/**
 * The pods that may exist: a ReplicaSet scaled down still has its surplus until its controller
 * has deleted them and said so in its status, so the larger of spec and status counts.
 */
export const podsAtMost = (rss: readonly MaybeRs[]) => sum(present(rss).map((rs) => Math.max(specReplicas(rs), rs.status?.replicas ?? 0)));

/**
 * The pods that can stay available: a ReplicaSet scaled down keeps at most spec.replicas of
 * them, even while its status still counts the ones it is deleting.
 */
export const availableAtMost = (rss: readonly MaybeRs[]) => sum(present(rss).map((rs) => Math.min(specReplicas(rs), rs.status?.availableReplicas ?? 0)));
