// One step of the attemptToDelete queue (upstream's attemptToDeleteWorker and
// attemptToDeleteItem): look up the object and each of its owners at the API server, then delete
// it if every owner is gone, drop the references to owners that are gone if some remain, or
// finish a foreground deletion whose blocking dependents are gone. The graph says where to look;
// the API server's answer decides (an informer's cache may lag behind).

import { isNotFound, type KubeObject } from '@kubets/client';
import type { ControllerLogger } from '../../controller/context.js';
import type { AbsentOwnerCache } from './absent-owner-cache.js';
import { decideDeletion, type ClassifiedReferences } from './decide.js';
import type { DependencyGraph, GraphNode } from './graph.js';
import type { GraphBuilder } from './graph-builder.js';
import { foregroundFinalizer, finalizersOf, identityString, isBeingDeleted, type ObjectIdentity, ownerIdentity, ownerReferencesOf, type OwnerReference } from './identity.js';
import { errorText, type GcOperations, NamespacedOwnerOfClusterScopedObject } from './operations.js';

export type QueueAction = 'forget' | 'requeue';

export interface AttemptToDeleteDeps {
  graph: DependencyGraph;
  builder: GraphBuilder;
  absentOwners: AbsentOwnerCache;
  ops: GcOperations;
  logger: ControllerLogger;
  /** Queue another node for attemptToDelete. */
  enqueue(node: GraphNode): void;
  /** A cluster-scoped object names a namespaced owner: reported, never retried. */
  reportInvalidOwner(item: ObjectIdentity, ref: OwnerReference): void;
}

/** What one attempt came to, besides success: the worker forgets the key for both. */
type Outcome = 'done' | 'virtualDeleteEnqueued';

export class AttemptToDelete {
  constructor(private readonly d: AttemptToDeleteDeps) {}

  async process(uid: string): Promise<QueueAction> {
    const node = this.d.graph.get(uid);
    // Gone from the graph meanwhile (observed deleted, or verified absent): nothing to do.
    if (node === undefined) return 'forget';
    let outcome: Outcome;
    try {
      outcome = await this.attemptToDeleteItem(node);
    } catch (e) {
      if (e instanceof NamespacedOwnerOfClusterScopedObject) return this.invalidOwnerScope(node);
      this.d.logger.warn({ item: identityString(node.identity), err: errorText(e) }, 'error syncing item');
      return 'requeue';
    }
    if (outcome !== 'done') return 'forget';
    // A virtual node stays queued until an informer shows it or the API server denies it
    // (upstream issue 56121: otherwise it could stay in the graph for ever).
    return node.virtual ? 'requeue' : 'forget';
  }

  private async attemptToDeleteItem(node: GraphNode): Promise<Outcome> {
    // Being deleted is a one-way trip: wait for the deletion, then its dependents are processed.
    if (node.beingDeleted && !node.deletingDependents) return 'done';
    const item = { ...node.identity };
    const latest = await this.latest(item);
    if (latest === undefined) return this.virtualDelete(item);
    if (node.deletingDependents) {
      await this.processDeletingDependents(node, item);
      return 'done';
    }
    const refs = ownerReferencesOf(latest);
    if (refs.length === 0) return 'done';
    const classified = await this.classify(item, refs);
    const decision = decideDeletion(classified, {
      finalizers: finalizersOf(latest),
      hasDependents: node.dependents.size > 0,
      aDependentIsDeletingDependents: [...node.dependents].some((dep) => dep.deletingDependents),
    });
    const rv = latest.metadata?.resourceVersion;
    switch (decision.action) {
      case 'keep':
        return 'done';
      case 'removeReferences':
        this.d.logger.info({ item: identityString(item), owners: decision.ownerUids }, 'remove dangling references and waiting references for item');
        await this.d.ops.removeOwnerReferences(item, decision.ownerUids);
        return 'done';
      case 'deleteForeground':
        if (decision.unblockFirst) await this.d.ops.unblockOwnerReferences(item, refs);
        return this.delete(item, rv, refs, 'Foreground');
      case 'delete':
        return this.delete(item, rv, refs, decision.policy);
    }
  }

  /**
   * Not retried. A virtual owner only cluster-scoped objects name: they hold the invalid
   * references, and are checked (and reported) in turn.
   */
  private invalidOwnerScope(node: GraphNode): QueueAction {
    if (node.virtual) for (const dep of node.dependents) this.d.enqueue(dep);
    return 'forget';
  }

  /** The object as the API server has it now; undefined if it is not there (or is another object). */
  private async latest(item: ObjectIdentity): Promise<KubeObject | undefined> {
    try {
      const obj = await this.d.ops.getObject(item);
      return obj.metadata?.uid === item.uid ? obj : undefined;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  private virtualDelete(item: ObjectIdentity): Outcome {
    this.d.builder.virtualDelete(item);
    return 'virtualDeleteEnqueued';
  }

  private async delete(item: ObjectIdentity, rv: string | undefined, refs: OwnerReference[], policy: 'Foreground' | 'Background' | 'Orphan'): Promise<Outcome> {
    this.d.logger.info({ item: identityString(item), propagationPolicy: policy }, 'Deleting item');
    try {
      await this.d.ops.deleteObject(item, rv, refs, policy);
      return 'done';
    } catch (e) {
      if (isNotFound(e)) return this.virtualDelete(item);
      throw e;
    }
  }

  /** A foreground owner: done waiting when no blocking dependent is left; else its dependents go first. */
  private async processDeletingDependents(node: GraphNode, item: ObjectIdentity): Promise<void> {
    const blocking = node.blockingDependents();
    if (blocking.length === 0) {
      this.d.logger.info({ item: identityString(item) }, 'remove DeleteDependents finalizer for item');
      await this.d.ops.removeFinalizer(item, foregroundFinalizer);
      return;
    }
    for (const dep of blocking) if (!dep.deletingDependents) this.d.enqueue(dep);
  }

  /** Upstream's classifyReferences: asks the API server about each owner. */
  private async classify(item: ObjectIdentity, refs: OwnerReference[]): Promise<ClassifiedReferences> {
    const out: ClassifiedReferences = { solid: [], dangling: [], waitingForDependentsDeletion: [] };
    for (const ref of refs) {
      const owner = await this.liveOwner(item, ref);
      if (owner === undefined) out.dangling.push(ref);
      else if (isBeingDeleted(owner) && finalizersOf(owner).includes(foregroundFinalizer)) out.waitingForDependentsDeletion.push(ref);
      else out.solid.push(ref);
    }
    return out;
  }

  /** The owner the reference names, or undefined if it is gone (upstream's isDangling). */
  private async liveOwner(item: ObjectIdentity, ref: OwnerReference): Promise<KubeObject | undefined> {
    const clusterKey = ownerIdentity(ref, '');
    if (this.d.absentOwners.has(clusterKey)) return undefined;
    const namespacedKey = ownerIdentity(ref, item.namespace);
    if (this.d.absentOwners.has(namespacedKey)) return undefined;
    const r = this.d.ops.resourceFor(ref.apiVersion, ref.kind);
    if (item.namespace === '' && r.namespaced) {
      this.d.logger.info({ item: identityString(item), owner: ref }, 'item is cluster-scoped, but refers to a namespaced owner');
      this.d.reportInvalidOwner(item, ref);
      throw new NamespacedOwnerOfClusterScopedObject();
    }
    const ownerId = r.namespaced ? namespacedKey : clusterKey;
    let owner: KubeObject;
    try {
      owner = await this.d.ops.getObject(ownerId);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      this.d.absentOwners.add(ownerId);
      return undefined;
    }
    if (owner.metadata?.uid !== ref.uid) {
      this.d.absentOwners.add(ownerId);
      return undefined;
    }
    return owner;
  }
}
