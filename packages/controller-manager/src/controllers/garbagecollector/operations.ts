// The garbage collector's calls to the API server (upstream's operations.go and patch.go): read,
// delete with preconditions, drop or unblock owner references, remove a finalizer. Every call
// names its object by identity; the RestMapper turns apiVersion and kind into the resource.

import { isConflict, isNotFound, type KubeClient, type KubeObject, type PropagationPolicy } from '@kubets/client';
import { isDeepStrictEqual } from 'node:util';
import { type DiscoveredResource, type RestMapper } from './discovery.js';
import { finalizersOf, identityString, type ObjectIdentity, ownerReferencesOf, type OwnerReference } from './identity.js';
import { errorText } from '../../controller/util/api-errors.js';

/** No served resource has this apiVersion and kind (yet): upstream's restMappingError, retried. */
export class RestMappingError extends Error {
  constructor(readonly apiVersion: string, readonly kind: string) {
    super(`unable to get REST mapping for ${kind}/${apiVersion}.`);
    this.name = 'RestMappingError';
  }
}

/** A cluster-scoped object names a namespaced owner: invalid, and retrying will not help. */
export class NamespacedOwnerOfClusterScopedObject extends Error {
  constructor() {
    super('cluster-scoped objects cannot refer to namespaced owners');
    this.name = 'NamespacedOwnerOfClusterScopedObject';
  }
}

/** How often a read-modify-write that lost a race is tried again (client-go's retry.DefaultBackoff.Steps). */
const conflictRetries = 5;

export class GcOperations {
  constructor(private readonly client: KubeClient, private readonly mapper: () => RestMapper) {}

  resourceFor(apiVersion: string, kind: string): DiscoveredResource {
    const r = this.mapper().resourceFor(apiVersion, kind);
    if (r === undefined) throw new RestMappingError(apiVersion, kind);
    return r;
  }

  /**
   * The object (a NotFound ApiError if absent). A namespaced kind without a namespace can only be
   * an owner named by a cluster-scoped object: NamespacedOwnerOfClusterScopedObject, as upstream.
   */
  async getObject(id: ObjectIdentity): Promise<KubeObject> {
    const r = this.resourceFor(id.apiVersion, id.kind);
    if (r.namespaced && id.namespace === '') throw new NamespacedOwnerOfClusterScopedObject();
    return this.client.get(r, namespaceFor(r, id.namespace), id.name);
  }

  /**
   * Deletes the object if it is still the one seen at resourceVersion. An update in between that
   * left its owner references alone does not hold the deletion up: it is tried once more with the
   * uid alone as the precondition, so objects that change often are still collected.
   */
  async deleteObject(id: ObjectIdentity, resourceVersion: string | undefined, ownersAtVersion: OwnerReference[], policy: PropagationPolicy): Promise<void> {
    const r = this.resourceFor(id.apiVersion, id.kind);
    const ns = namespaceFor(r, id.namespace);
    const del = (rv: string | undefined) => this.client.delete(r, ns, id.name, { propagationPolicy: policy, preconditions: rv === undefined ? { uid: id.uid } : { uid: id.uid, resourceVersion: rv } });
    try {
      await del(resourceVersion);
    } catch (e) {
      if (!isConflict(e) || resourceVersion === undefined) throw e;
      let live: KubeObject;
      try {
        live = await this.client.get(r, ns, id.name);
      } catch (getErr) {
        if (isNotFound(getErr)) return;
        throw e;
      }
      const ownersUnchanged = live.metadata?.uid === id.uid && live.metadata?.resourceVersion !== resourceVersion && isDeepStrictEqual(ownerReferencesOf(live), ownersAtVersion);
      if (!ownersUnchanged) throw e;
      await del(undefined);
    }
  }

  /** Drops the references to these owners (a strategic merge patch: the other references stay as they are). */
  async removeOwnerReferences(id: ObjectIdentity, ownerUids: string[]): Promise<void> {
    const patch = { metadata: { uid: id.uid, ownerReferences: ownerUids.map((uid) => ({ $patch: 'delete', uid })) } };
    await this.patch(id, patch);
  }

  /** Sets blockOwnerDeletion=false on every blocking reference, so no foreground owner waits on this object. */
  async unblockOwnerReferences(id: ObjectIdentity, owners: OwnerReference[]): Promise<void> {
    const blocking = owners.filter((ref) => ref.blockOwnerDeletion === true).map((ref) => ({ ...ref, blockOwnerDeletion: false }));
    await this.patch(id, { metadata: { uid: id.uid, ownerReferences: blocking } });
  }

  private async patch(id: ObjectIdentity, patch: object): Promise<void> {
    const r = this.resourceFor(id.apiVersion, id.kind);
    await this.client.patch(r, namespaceFor(r, id.namespace), id.name, patch, { type: 'strategic' });
  }

  /**
   * Removes one finalizer with a merge patch pinned to the resourceVersion read, retried on
   * conflict. An object gone (or replaced by another with the same name) needs nothing.
   */
  async removeFinalizer(id: ObjectIdentity, finalizer: string): Promise<void> {
    const r = this.resourceFor(id.apiVersion, id.kind);
    const ns = namespaceFor(r, id.namespace);
    for (let attempt = 1; ; attempt++) {
      let obj: KubeObject;
      try {
        obj = await this.client.get(r, ns, id.name);
      } catch (e) {
        if (isNotFound(e)) return;
        throw new Error(`cannot finalize owner ${identityString(id)}, because cannot get it: ${errorText(e)}. The garbage collector will retry later`);
      }
      const finalizers = finalizersOf(obj);
      if (obj.metadata?.uid !== id.uid || !finalizers.includes(finalizer)) return;
      const rest = finalizers.filter((f) => f !== finalizer);
      try {
        await this.client.patch(r, ns, id.name, { metadata: { resourceVersion: obj.metadata?.resourceVersion, finalizers: rest.length > 0 ? rest : null } });
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        if (!isConflict(e)) throw e;
        if (attempt >= conflictRetries) throw new Error(`updateMaxRetries(${conflictRetries}) has reached. The garbage collector will retry later for owner ${identityString(id)}`);
      }
    }
  }
}

/** Cluster-scoped objects are addressed without a namespace, whatever the identity carries. */
function namespaceFor(r: DiscoveredResource, namespace: string): string | undefined {
  return r.namespaced ? namespace : undefined;
}

export { errorText } from '../../controller/util/api-errors.js';
