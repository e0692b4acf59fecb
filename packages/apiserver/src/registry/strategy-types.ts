// What varies per kind in the API server, as upstream's pkg/registry/<group>/<resource>/strategy.go
// spells it out: one strategy object per kind implements this interface, and the index
// (strategies.ts) maps each resource to its own. The generic steps every kind shares (server-set
// metadata, the main resource/status split) stay in strategy.ts and call these hooks.

import type { KubeObject } from '../storage/interface.js';

/** One column of a kind's server-side Table, as kube-apiserver's printers define it. */
export interface Column {
  name: string;
  type: 'string' | 'integer' | 'date';
  format?: string;
  description: string;
  /** 0: shown by default; 1: shown with `-o wide`. */
  priority: number;
  cell: (obj: any, now: number) => string | number;
}

export interface KindStrategy {
  /** metadata.generation starts at 1 and moves on every spec change (controllers report observedGeneration). */
  readonly generationTracked: boolean;
  /** The status a new object starts with, the server's to write; undefined keeps what the client sent. */
  statusOnCreate?(obj: KubeObject): unknown;
  /** Kind-specific changes on create, after the server-set metadata (uid, name) is in place. */
  prepareForCreate?(obj: KubeObject): void;
  /** Kind-specific changes on an update of the main resource, with `old` as stored. */
  prepareForUpdate?(next: KubeObject, old: KubeObject): void;
  /** Normalises what every write stores (create, update, status update), as upstream's Canonicalize. */
  canonicalize?(obj: KubeObject): void;

  /** Why an object of this name may never be deleted (a forbidden DELETE), or undefined. */
  refuseDelete?(name: string): string | undefined;
  /** Seconds a DELETE waits for the object's owner (a kubelet) to finish; 0 deletes at once. */
  gracePeriodSeconds?(obj: KubeObject, requested: number | undefined): number;
  /**
   * What holds a deletion besides metadata.finalizers and a grace period (a Namespace's
   * spec.finalizers, which its controllers empty through `finalize`), as the 409 message a repeated
   * DELETE gets meanwhile; undefined once nothing does. A kind with this hook is only marked by its
   * first DELETE, and goes when an update leaves it held by nothing.
   */
  deletionHeldBy?(obj: KubeObject): string | undefined;
  /** Changes a pending deletion makes besides deletionTimestamp (a namespace turns Terminating). */
  markDeleting?(obj: KubeObject): void;
  /** A DELETE answers with the object itself rather than a Status (upstream's ReturnDeletedObject). */
  readonly returnsDeletedObject: boolean;

  /** The columns of `kubectl get`, as kube-apiserver prints this kind. */
  readonly columns: readonly Column[];
}
