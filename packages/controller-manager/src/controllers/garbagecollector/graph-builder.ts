// Keeps the dependency graph in step with what the informers show (upstream's GraphBuilder and
// its processGraphChanges), and says which nodes the collector must look at: a dependent whose
// owner went, an owner that starts waiting for its dependents (Foreground) or for them to be
// orphaned (Orphan), a virtual owner to verify. It does no I/O: the collector's queues and
// recorder sit behind the sink, and tests watch the sink.

import type { AbsentOwnerCache } from './absent-owner-cache.js';
import { type DependencyGraph, GraphNode } from './graph.js';
import { foregroundFinalizer, type ObjectIdentity, orphanFinalizer, ownerIdentity, type OwnerReference, refMatches, sameIdentity } from './identity.js';
import { partitionDependents, alternateOwnerIdentity } from './partition.js';

/** One informer event about one object, reduced to what the graph needs. */
export interface ObservedChange {
  type: 'add' | 'update' | 'delete';
  identity: ObjectIdentity;
  owners: OwnerReference[];
  beingDeleted: boolean;
  finalizers: string[];
  /** The object before an update; undefined for an add or a delete. */
  old?: { beingDeleted: boolean; finalizers: string[] };
}

/** Where the builder's decisions go: the collector's queues and Event recorder. */
export interface GraphSink {
  attemptToDelete(node: GraphNode, opts?: { rateLimited?: boolean }): void;
  attemptToOrphan(node: GraphNode): void;
  /** A dependent names an owner that lives in another namespace (upstream's OwnerRefInvalidNamespace). */
  invalidNamespaceOwnerRef(dependent: GraphNode, ref: OwnerReference): void;
}

export class GraphBuilder {
  constructor(
    readonly graph: DependencyGraph,
    readonly absentOwners: AbsentOwnerCache,
    private readonly sink: GraphSink,
  ) {}

  /** An add, update or delete an informer delivered. */
  observe(change: ObservedChange): void {
    const existing = this.graph.get(change.identity.uid);
    if (existing !== undefined && existing.virtual) this.markObserved(existing, change.identity);
    if (change.type === 'delete') {
      if (existing !== undefined) this.removeNode(existing, change.identity);
      return;
    }
    if (existing === undefined) this.addNode(change);
    else this.updateNode(existing, change);
  }

  /**
   * The API server says the object with this identity does not exist (the collector's GET found
   * nothing, or another uid): upstream's virtual delete event.
   */
  virtualDelete(deleted: ObjectIdentity): void {
    const existing = this.graph.get(deleted.uid);
    if (existing === undefined) return;
    if (existing.virtual) {
      if (!this.keepVirtualOwner(existing, deleted)) this.removeNode(existing, deleted);
      return;
    }
    if (sameIdentity(existing.identity, deleted)) {
      this.removeNode(existing, deleted);
      return;
    }
    // The observed object is not the one verified absent: only dependents that named the absent
    // coordinates lose their owner.
    this.attemptDependentsOf(existing, deleted);
  }

  /** A virtual node seen at last: it takes the observed identity; dependents that named other coordinates are checked. */
  private markObserved(node: GraphNode, observed: ObjectIdentity): void {
    if (!sameIdentity(node.identity, observed)) {
      const { nonMatching } = partitionDependents([...node.dependents], observed);
      for (const dep of nonMatching) {
        if (observed.namespace !== '' && dep.identity.namespace !== observed.namespace) this.reportInvalidNamespace(dep, observed.uid);
        this.sink.attemptToDelete(dep);
      }
      node.identity = observed;
    }
    node.virtual = false;
  }

  private addNode(change: ObservedChange): void {
    const node = new GraphNode(change.identity, change.owners, {
      beingDeleted: change.beingDeleted,
      deletingDependents: change.beingDeleted && change.finalizers.includes(foregroundFinalizer),
    });
    this.graph.insert(node);
    this.addDependentToOwners(node, node.owners);
    this.processTransitions(change, node);
  }

  private updateNode(node: GraphNode, change: ObservedChange): void {
    if (node.identity.apiVersion !== change.identity.apiVersion || node.identity.kind !== change.identity.kind) {
      node.identity = { ...node.identity, apiVersion: change.identity.apiVersion, kind: change.identity.kind };
    }
    const { added, removed, changed } = referenceDiffs(node.owners, change.owners);
    if (added.length > 0 || removed.length > 0 || changed.length > 0) {
      this.addUnblockedOwnersToDeleteQueue(removed, changed);
      node.owners = change.owners;
      this.addDependentToOwners(node, added);
      this.graph.unlinkFromOwners(node, removed);
    }
    if (change.beingDeleted) node.beingDeleted = true;
    this.processTransitions(change, node);
  }

  /**
   * Links the node to each owner, making virtual owners for those not in the graph (and
   * queueing them to be verified). A reference whose coordinates disagree with the owner as
   * observed puts the dependent in the queue, where its owners are checked.
   */
  private addDependentToOwners(node: GraphNode, owners: OwnerReference[]): void {
    let suspect = false;
    for (const ref of owners) {
      let owner = this.graph.get(ref.uid);
      if (owner === undefined) {
        owner = new GraphNode(ownerIdentity(ref, node.identity.namespace), [], { virtual: true });
        this.graph.insert(owner);
        owner.dependents.add(node);
        this.sink.attemptToDelete(owner);
        continue;
      }
      owner.dependents.add(node);
      if (suspect) continue;
      const ownerNamespaced = owner.identity.namespace !== '';
      if (ownerNamespaced && owner.identity.namespace !== node.identity.namespace) {
        if (!owner.virtual) this.reportInvalidNamespace(node, ref.uid);
        suspect = true;
      } else if (!refMatches(ref, owner.identity)) {
        suspect = true;
      } else if (!ownerNamespaced && owner.identity.namespace !== node.identity.namespace && owner.virtual) {
        // A virtual cluster-scoped owner of a namespaced dependent may really be a missing
        // namespaced owner wrongly named by a cluster-scoped child (upstream issue 98040).
        suspect = true;
      }
    }
    if (suspect) this.sink.attemptToDelete(node);
  }

  /** A blocking reference that went away (or stopped blocking) may be what a foreground owner waits for. */
  private addUnblockedOwnersToDeleteQueue(removed: OwnerReference[], changed: [OwnerReference, OwnerReference][]): void {
    const unblocked = [
      ...removed.filter((ref) => ref.blockOwnerDeletion === true),
      ...changed.filter(([before, after]) => before.blockOwnerDeletion === true && after.blockOwnerDeletion !== true).map(([, after]) => after),
    ];
    for (const ref of unblocked) {
      const owner = this.graph.get(ref.uid);
      if (owner !== undefined) this.sink.attemptToDelete(owner);
    }
  }

  /** The owner started being deleted with the orphan or the foregroundDeletion finalizer. */
  private processTransitions(change: ObservedChange, node: GraphNode): void {
    if (startsDeletionWith(change, orphanFinalizer)) {
      this.sink.attemptToOrphan(node);
      return;
    }
    if (startsDeletionWith(change, foregroundFinalizer)) {
      // A node made virtual first never learnt it; set it here.
      node.deletingDependents = true;
      for (const dep of node.dependents) this.sink.attemptToDelete(dep);
      this.sink.attemptToDelete(node);
    }
  }

  /**
   * A virtual owner whose dependents name it by other coordinates too stays: the ones that named
   * the absent coordinates are checked, and the node takes one of the other identities.
   * Returns whether it stays.
   */
  private keepVirtualOwner(node: GraphNode, deleted: ObjectIdentity): boolean {
    const { matching, nonMatching } = partitionDependents([...node.dependents], deleted);
    if (nonMatching.length === 0) return false;
    if (matching.length > 0) {
      this.absentOwners.add(deleted);
      for (const dep of matching) this.sink.attemptToDelete(dep);
    }
    if (sameIdentity(node.identity, deleted)) {
      const next = alternateOwnerIdentity(nonMatching, deleted);
      if (next !== undefined) {
        node.identity = next;
        this.sink.attemptToDelete(node, { rateLimited: true });
      }
    }
    return true;
  }

  private attemptDependentsOf(node: GraphNode, deleted: ObjectIdentity): void {
    const { matching } = partitionDependents([...node.dependents], deleted);
    if (matching.length === 0) return;
    this.absentOwners.add(deleted);
    for (const dep of matching) this.sink.attemptToDelete(dep);
  }

  /** The node goes: its dependents may have lost their last owner, and a foreground owner may be waiting on it. */
  private removeNode(node: GraphNode, gone: ObjectIdentity): void {
    this.graph.remove(node);
    if (node.dependents.size > 0) this.absentOwners.add(gone);
    for (const dep of node.dependents) this.sink.attemptToDelete(dep);
    for (const ref of node.owners) {
      const owner = this.graph.get(ref.uid);
      if (owner?.deletingDependents) this.sink.attemptToDelete(owner);
    }
  }

  private reportInvalidNamespace(dependent: GraphNode, ownerUid: string): void {
    const ref = dependent.owners.find((r) => r.uid === ownerUid);
    if (ref !== undefined) this.sink.invalidNamespaceOwnerRef(dependent, ref);
  }
}

/** Whether this change is the one where deletion with the finalizer starts (upstream's deletionStartsWithFinalizer). */
function startsDeletionWith(change: ObservedChange, finalizer: string): boolean {
  if (!change.beingDeleted || !change.finalizers.includes(finalizer)) return false;
  return change.old === undefined || !change.old.beingDeleted || !change.old.finalizers.includes(finalizer);
}

/** Owner references added, removed, and changed (same uid, other fields), by uid. */
export function referenceDiffs(before: OwnerReference[], after: OwnerReference[]) {
  const old = new Map(before.map((r) => [r.uid, r]));
  const added: OwnerReference[] = [];
  const changed: [OwnerReference, OwnerReference][] = [];
  for (const ref of after) {
    const prev = old.get(ref.uid);
    if (prev === undefined) added.push(ref);
    else if (!sameReference(prev, ref)) changed.push([prev, ref]);
    old.delete(ref.uid);
  }
  return { added, removed: [...old.values()], changed };
}

function sameReference(a: OwnerReference, b: OwnerReference): boolean {
  return refMatches(a, b) && a.controller === b.controller && a.blockOwnerDeletion === b.blockOwnerDeletion;
}
