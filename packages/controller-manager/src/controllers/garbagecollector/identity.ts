// Who an object is, for the garbage collector: upstream's objectReference (an owner reference's
// coordinates plus the namespace). Owners are named by apiVersion, kind, name and uid; the
// namespace of a namespaced owner is always its dependent's.

import type { OwnerReference } from '@kubets/api';
import type { KubeObject } from '@kubets/client';

export type { OwnerReference };

export interface ObjectIdentity {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  /** '' for cluster-scoped objects (and owners whose scope is not known yet). */
  namespace: string;
}

/** The finalizers the API server adds for propagationPolicy Foreground and Orphan. */
export const foregroundFinalizer = 'foregroundDeletion';
export const orphanFinalizer = 'orphan';

/** Upstream's objectReference.String(), which its log lines and Event messages print. */
export function identityString(id: ObjectIdentity): string {
  return `[${id.apiVersion}/${id.kind}, namespace: ${id.namespace}, name: ${id.name}, uid: ${id.uid}]`;
}

export function sameIdentity(a: ObjectIdentity, b: ObjectIdentity): boolean {
  return a.uid === b.uid && a.name === b.name && a.kind === b.kind && a.apiVersion === b.apiVersion && a.namespace === b.namespace;
}

/** Whether the reference names exactly this object (upstream's ownerReferenceMatchesCoordinates). */
export function refMatches(ref: OwnerReference, id: Pick<ObjectIdentity, 'apiVersion' | 'kind' | 'name' | 'uid'>): boolean {
  return ref.uid === id.uid && ref.name === id.name && ref.kind === id.kind && ref.apiVersion === id.apiVersion;
}

/** The owner a reference names, assumed to be in the dependent's namespace until seen. */
export function ownerIdentity(ref: OwnerReference, namespace: string): ObjectIdentity {
  return { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, uid: ref.uid, namespace };
}

export function ownerReferencesOf(obj: KubeObject): OwnerReference[] {
  return (obj.metadata?.ownerReferences as OwnerReference[] | undefined) ?? [];
}

export function finalizersOf(obj: KubeObject): string[] {
  return (obj.metadata?.finalizers as string[] | undefined) ?? [];
}

export function isBeingDeleted(obj: KubeObject): boolean {
  const ts = obj.metadata?.deletionTimestamp;
  return ts !== undefined && ts !== null && ts !== '';
}

/** The object's identity, with the apiVersion and kind of the resource it was read from. */
export function identityOf(obj: KubeObject, gvk: { apiVersion: string; kind: string }): ObjectIdentity {
  const m = obj.metadata ?? {};
  return { apiVersion: gvk.apiVersion, kind: gvk.kind, name: m.name ?? '', uid: m.uid ?? '', namespace: m.namespace ?? '' };
}
