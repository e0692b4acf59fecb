// The dependency graph the garbage collector keeps (upstream's graph.go): one node per object
// uid, holding the object's identity, its owner references and the nodes that name it as owner.
// A node made for an owner that no informer has shown yet is virtual: the collector checks with
// the API server whether it exists, so a dependent seen before its owner is not deleted wrongly.

import type { ObjectIdentity, OwnerReference } from './identity.js';

export class GraphNode {
  readonly dependents = new Set<GraphNode>();
  /** Not observed through an informer yet: made up from a dependent's owner reference. */
  virtual: boolean;
  /** Has a deletionTimestamp. A one-way trip: it is never cleared. */
  beingDeleted = false;
  /** Being deleted with the foregroundDeletion finalizer: waits for its blocking dependents. */
  deletingDependents = false;

  constructor(
    public identity: ObjectIdentity,
    public owners: OwnerReference[],
    opts: { virtual?: boolean; beingDeleted?: boolean; deletingDependents?: boolean } = {},
  ) {
    this.virtual = opts.virtual ?? false;
    this.beingDeleted = opts.beingDeleted ?? false;
    this.deletingDependents = opts.deletingDependents ?? false;
  }

  get uid(): string {
    return this.identity.uid;
  }

  /** The dependents whose reference to this node has blockOwnerDeletion: a foreground deletion waits for them. */
  blockingDependents(): GraphNode[] {
    return [...this.dependents].filter((dep) => dep.owners.some((ref) => ref.uid === this.uid && ref.blockOwnerDeletion === true));
  }
}

export class DependencyGraph {
  private readonly nodes = new Map<string, GraphNode>();

  get(uid: string): GraphNode | undefined {
    return this.nodes.get(uid);
  }

  get size(): number {
    return this.nodes.size;
  }

  /** Puts the node in the graph (replacing any with its uid); linking it to owners is the builder's. */
  insert(node: GraphNode): void {
    this.nodes.set(node.uid, node);
  }

  /** Takes the node out, and out of its owners' dependents. */
  remove(node: GraphNode): void {
    if (this.nodes.get(node.uid) === node) this.nodes.delete(node.uid);
    this.unlinkFromOwners(node, node.owners);
  }

  unlinkFromOwners(node: GraphNode, owners: OwnerReference[]): void {
    for (const ref of owners) this.nodes.get(ref.uid)?.dependents.delete(node);
  }
}
