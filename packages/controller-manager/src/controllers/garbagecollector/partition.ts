// Which dependents name an owner by exactly these coordinates (upstream's partitionDependents
// and getAlternateOwnerIdentity): dependents may disagree on an owner's apiVersion, kind, name or
// namespace while naming the same uid, and only those that named what was verified absent lose it.

import type { GraphNode } from './graph.js';
import { type ObjectIdentity, ownerIdentity, refMatches } from './identity.js';

/**
 * Splits dependents into those with a reference matching the identity and those with a
 * reference to its uid that does not match (a dependent can be in both).
 */
export function partitionDependents(dependents: GraphNode[], owner: ObjectIdentity): { matching: GraphNode[]; nonMatching: GraphNode[] } {
  const matching: GraphNode[] = [];
  const nonMatching: GraphNode[] = [];
  for (const dep of dependents) {
    let match = false;
    let mismatch = false;
    if (owner.namespace !== '' && owner.namespace !== dep.identity.namespace) {
      // A namespaced owner in another namespace is never the one this dependent names.
      mismatch = true;
    } else {
      for (const ref of dep.owners) {
        if (ref.uid !== owner.uid) continue;
        if (refMatches(ref, owner)) match = true;
        else mismatch = true;
      }
    }
    if (match) matching.push(dep);
    if (mismatch) nonMatching.push(dep);
  }
  return { matching, nonMatching };
}

/**
 * Another identity the dependents give the absent owner's uid: the first after the absent one
 * in upstream's order (kind, apiVersion, namespace, name, uid), else the first; undefined if none.
 */
export function alternateOwnerIdentity(dependents: GraphNode[], absent: ObjectIdentity): ObjectIdentity | undefined {
  const absentIsClusterScoped = absent.namespace === '';
  const seen = new Set<string>([identityKey(absent)]);
  let first: ObjectIdentity | undefined;
  let firstFollowing: ObjectIdentity | undefined;
  for (const dep of dependents) {
    for (const ref of dep.owners) {
      if (ref.uid !== absent.uid) continue;
      if (refMatches(ref, absent) && (absentIsClusterScoped || absent.namespace === dep.identity.namespace)) continue;
      const alt = ownerIdentity(ref, dep.identity.namespace);
      // That apiVersion and kind is known to be cluster-scoped.
      if (absentIsClusterScoped && alt.apiVersion === absent.apiVersion && alt.kind === absent.kind) alt.namespace = '';
      const key = identityKey(alt);
      if (seen.has(key)) continue;
      seen.add(key);
      if (first === undefined || compareIdentities(alt, first) < 0) first = alt;
      if (compareIdentities(absent, alt) < 0 && (firstFollowing === undefined || compareIdentities(alt, firstFollowing) < 0)) firstFollowing = alt;
    }
  }
  return firstFollowing ?? first;
}

function identityKey(id: ObjectIdentity): string {
  return JSON.stringify([id.kind, id.apiVersion, id.namespace, id.name, id.uid]);
}

/** Kind and apiVersion first, so that kinds sort together whatever their scope. */
function compareIdentities(a: ObjectIdentity, b: ObjectIdentity): number {
  for (const f of ['kind', 'apiVersion', 'namespace', 'name', 'uid'] as const) {
    if (a[f] !== b[f]) return a[f] < b[f] ? -1 : 1;
  }
  return 0;
}
