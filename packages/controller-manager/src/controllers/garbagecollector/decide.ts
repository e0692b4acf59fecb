// What to do with an object whose owners have been checked (upstream's attemptToDeleteItem,
// after classifyReferences): a pure function of the classification, so tests call it directly.

import type { PropagationPolicy } from '@kubets/client';
import { foregroundFinalizer, orphanFinalizer, type OwnerReference } from './identity.js';

/** The object's owner references, sorted by what the API server says about each owner. */
export interface ClassifiedReferences {
  /** The owner exists and is not waiting for its dependents. */
  solid: OwnerReference[];
  /** The owner does not exist (absent, or another object with another uid). */
  dangling: OwnerReference[];
  /** The owner is being deleted in the foreground: it waits for its dependents. */
  waitingForDependentsDeletion: OwnerReference[];
}

export type DeleteDecision =
  | { action: 'keep' }
  /** Some owner remains: only the references to owners gone or waiting are dropped. */
  | { action: 'removeReferences'; ownerUids: string[] }
  /** A foreground owner waits and this object has dependents of its own: it goes in the foreground too. */
  | { action: 'deleteForeground'; unblockFirst: boolean }
  | { action: 'delete'; policy: PropagationPolicy };

export interface ItemState {
  finalizers: string[];
  hasDependents: boolean;
  /** One of its dependents is itself deleting its dependents: a possible cycle. */
  aDependentIsDeletingDependents: boolean;
}

export function decideDeletion(refs: ClassifiedReferences, item: ItemState): DeleteDecision {
  if (refs.solid.length > 0) {
    const stale = [...refs.dangling, ...refs.waitingForDependentsDeletion];
    // A reference to a waiting owner must go, or that owner would wait for this object forever.
    return stale.length === 0 ? { action: 'keep' } : { action: 'removeReferences', ownerUids: stale.map((r) => r.uid) };
  }
  if (refs.waitingForDependentsDeletion.length > 0 && item.hasDependents) {
    // Upstream's cycle guard (it has false positives): stop blocking the owners, then go.
    return { action: 'deleteForeground', unblockFirst: item.aDependentIsDeletingDependents };
  }
  // No owner left: collect it, honouring a propagation the object already asked for.
  if (item.finalizers.includes(orphanFinalizer)) return { action: 'delete', policy: 'Orphan' };
  if (item.finalizers.includes(foregroundFinalizer)) return { action: 'delete', policy: 'Foreground' };
  return { action: 'delete', policy: 'Background' };
}
