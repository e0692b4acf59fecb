// Claiming, as upstream's ControllerRefManager (controller_ref_manager.go): of the objects a
// controller's selector could match, it keeps those it controls and that still match,
// adopts orphans that match (when neither side is being deleted), and releases those it
// controls that stopped matching. Objects controlled by someone else are never touched.

import { isNotFound, isInvalid } from '@kubets/client';
import { getControllerOf, type OwnedMeta } from './controller-ref.js';

export interface ClaimActions<T extends OwnedMeta> {
  /** The owner doing the claiming, as the cache has it. */
  owner: OwnedMeta;
  matches(obj: T): boolean;
  /**
   * Re-reads the owner from the API server and throws if it is gone, replaced or being
   * deleted: adopting for an owner about to vanish would leave the object to the garbage
   * collector. Called once, before the first adoption.
   */
  recheckOwner(): Promise<void>;
  adopt(obj: T): Promise<void>;
  release(obj: T): Promise<void>;
}

export interface ClaimResult<T> {
  claimed: T[];
  errors: unknown[];
}

export async function claimObjects<T extends OwnedMeta>(objects: readonly T[], a: ClaimActions<T>): Promise<ClaimResult<T>> {
  const claimed: T[] = [];
  const errors: unknown[] = [];
  let ownerChecked: Promise<void> | undefined;
  const canAdopt = () => (ownerChecked ??= a.recheckOwner());
  for (const obj of objects) {
    try {
      if (await claimOne(obj, a, canAdopt)) claimed.push(obj);
    } catch (e) {
      errors.push(e);
    }
  }
  return { claimed, errors };
}

async function claimOne<T extends OwnedMeta>(obj: T, a: ClaimActions<T>, canAdopt: () => Promise<void>): Promise<boolean> {
  const ref = getControllerOf(obj);
  const ownerBeingDeleted = a.owner.metadata?.deletionTimestamp !== undefined;
  if (ref !== undefined) {
    if (ref.uid !== a.owner.metadata?.uid) return false;
    if (a.matches(obj)) return true;
    // An owner being deleted keeps its objects so the garbage collector can find them.
    if (ownerBeingDeleted) return false;
    await ignoreGone(a.release(obj));
    return false;
  }
  if (ownerBeingDeleted || !a.matches(obj)) return false;
  if (obj.metadata?.deletionTimestamp !== undefined) return false;
  if (a.owner.metadata?.namespace !== obj.metadata?.namespace) return false;
  await canAdopt();
  try {
    await a.adopt(obj);
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
  return true;
}

/** A release that finds the object gone, or no longer ours (422 on the uid), has nothing to do. */
async function ignoreGone(p: Promise<void>): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (!isNotFound(e) && !isInvalid(e)) throw e;
  }
}
