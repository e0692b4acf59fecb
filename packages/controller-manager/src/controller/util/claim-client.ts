// Claiming through the API server: adoption and release as strategic merge patches, and the
// fresh read of the owner that must precede an adoption (upstream RecheckDeletionTimestamp).

import type { KubeClient, ResourceRef } from '@kubets/client';
import type { LabelMatcher } from '@kubets/api';
import { claimObjects, type ClaimResult } from './claim.js';
import { adoptPatch, releasePatch, type ControllerKind, type OwnedMeta } from './controller-ref.js';

export interface ClaimRequest<T extends OwnedMeta> {
  client: KubeClient;
  owner: OwnedMeta;
  ownerKind: ControllerKind;
  ownerResource: ResourceRef;
  /** What is being claimed: 'pods', 'replicasets' ... */
  objectResource: ResourceRef;
  selector: LabelMatcher;
  objects: readonly T[];
}

export function claimThroughApi<T extends OwnedMeta>(r: ClaimRequest<T>): Promise<ClaimResult<T>> {
  const patch = (obj: T, body: object) => r.client.patch(r.objectResource, obj.metadata?.namespace, obj.metadata?.name ?? '', body, { type: 'strategic' }).then(() => undefined);
  return claimObjects(r.objects, {
    owner: r.owner,
    matches: (obj) => r.selector.matches(obj.metadata?.labels ?? {}),
    recheckOwner: () => recheckOwner(r.client, r.ownerResource, r.ownerKind, r.owner),
    adopt: (obj) => patch(obj, adoptPatch(r.owner, r.ownerKind, obj)),
    release: (obj) => patch(obj, releasePatch(r.owner.metadata?.uid ?? '', obj)),
  });
}

async function recheckOwner(client: KubeClient, resource: ResourceRef, kind: ControllerKind, owner: OwnedMeta): Promise<void> {
  const ns = owner.metadata?.namespace ?? '';
  const name = owner.metadata?.name ?? '';
  const fresh = await client.get<OwnedMeta>(resource, ns, name);
  if (fresh.metadata?.uid !== owner.metadata?.uid) {
    throw new Error(`original ${kind.kind} ${ns}/${name} is gone: got uid ${fresh.metadata?.uid}, wanted ${owner.metadata?.uid}`);
  }
  if (fresh.metadata?.deletionTimestamp !== undefined) throw new Error(`${ns}/${name} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
}
