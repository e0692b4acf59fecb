// maxSurge and maxUnavailable as numbers of pods (upstream ResolveFenceposts, MaxSurge,
// MaxUnavailable): a percentage of replicas, surge rounded up and unavailable rounded down;
// if both come to 0, one pod may be unavailable, or the rollout could never move.

import type { Deployment } from '@kubets/api';

type IntOrPercent = number | string | undefined;

export function scaledValue(v: IntOrPercent, total: number, roundUp: boolean): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  if (!v.endsWith('%')) throw new Error('invalid type: string is not a percentage');
  const pct = Number(v.slice(0, -1));
  if (!Number.isInteger(pct)) throw new Error(`invalid value for IntOrString: invalid value ${JSON.stringify(v)}`);
  const exact = (pct * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export function resolveFenceposts(maxSurge: IntOrPercent, maxUnavailable: IntOrPercent, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge, desired, true);
  const unavailable = scaledValue(maxUnavailable, desired, false);
  return surge === 0 && unavailable === 0 ? { surge, unavailable: 1 } : { surge, unavailable };
}

export function replicasOf(d: Deployment): number {
  return d.spec?.replicas ?? 1;
}

export function isRollingUpdate(d: Deployment): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

function fenceposts(d: Deployment) {
  const ru = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge as IntOrPercent, ru?.maxUnavailable as IntOrPercent, replicasOf(d));
}

export function maxSurge(d: Deployment): number {
  return isRollingUpdate(d) ? fenceposts(d).surge : 0;
}

export function maxUnavailable(d: Deployment): number {
  if (!isRollingUpdate(d) || replicasOf(d) === 0) return 0;
  return Math.min(fenceposts(d).unavailable, replicasOf(d));
}
