// Controller references (metadata.ownerReferences with controller: true), and the strategic
// merge patches that add or remove one, as upstream's controller_ref_manager.go writes them.
// Each patch carries the object's uid, so it fails rather than touch a namesake that replaced it.

import type { OwnerReference } from '@kubets/api';

export interface OwnedMeta {
  metadata?: { name?: string; namespace?: string; uid?: string; ownerReferences?: OwnerReference[]; deletionTimestamp?: string; labels?: Record<string, string> };
}

export interface ControllerKind {
  apiVersion: string;
  kind: string;
}

export const replicaSetKind: ControllerKind = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };
export const deploymentKind: ControllerKind = { apiVersion: 'apps/v1', kind: 'Deployment' };

export function getControllerOf(obj: OwnedMeta): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/** The reference a controller puts on what it creates or adopts. */
export function newControllerRef(owner: OwnedMeta, kind: ControllerKind): OwnerReference {
  return {
    apiVersion: kind.apiVersion,
    kind: kind.kind,
    name: owner.metadata?.name ?? '',
    uid: owner.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Adds the controller reference (ownerReferences merge by uid). */
export function adoptPatch(owner: OwnedMeta, kind: ControllerKind, obj: OwnedMeta): object {
  return { metadata: { ownerReferences: [newControllerRef(owner, kind)], uid: obj.metadata?.uid } };
}

/** Removes the reference to the owner's uid. */
export function releasePatch(ownerUid: string, obj: OwnedMeta): object {
  return { metadata: { ownerReferences: [{ $patch: 'delete', uid: ownerUid }], uid: obj.metadata?.uid } };
}

/** The object an Event is about; list items may come without apiVersion and kind. */
export function eventSubject(obj: OwnedMeta & { metadata?: { resourceVersion?: string } }, kind: ControllerKind) {
  const m = obj.metadata ?? {};
  return { apiVersion: kind.apiVersion, kind: kind.kind, metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion } };
}
