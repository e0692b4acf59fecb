// What a controller expects its informers to show it next, as upstream's ControllerExpectations
// and UIDTrackingExpectations (pkg/controller/controller_utils.go). A controller that has just
// asked for N creates must not look at its cache and create N more before the cache has caught
// up: it records what it expects, the pod handlers count the observations down, and it syncs
// again only once they are all seen (or after a timeout, in case a watch event was lost).

import type { Clock } from '@kubets/client';

/** Upstream's ExpectationsTimeout: after this, unfulfilled expectations no longer block a sync. */
export const expectationsTimeoutMs = 5 * 60_000;

interface Expectation {
  add: number;
  del: number;
  setAt: number;
}

export class ControllerExpectations {
  private readonly store = new Map<string, Expectation>();

  constructor(private readonly clock: Clock) {}

  /**
   * True when the controller may act on its cache: nothing is expected (a new controller,
   * or one whose expectations were deleted), everything expected was seen, or it expired.
   */
  satisfiedExpectations(key: string): boolean {
    const e = this.store.get(key);
    if (e === undefined) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.clock.now() - e.setAt > expectationsTimeoutMs;
  }

  expectCreations(key: string, adds: number): void {
    this.store.set(key, { add: adds, del: 0, setAt: this.clock.now() });
  }

  expectDeletions(key: string, dels: number): void {
    this.store.set(key, { add: 0, del: dels, setAt: this.clock.now() });
  }

  creationObserved(key: string): void {
    this.lower(key, 1, 0);
  }

  deletionObserved(key: string): void {
    this.lower(key, 0, 1);
  }

  deleteExpectations(key: string): void {
    this.store.delete(key);
  }

  /** What is still expected, for tests and logs. */
  pending(key: string): { add: number; del: number } | undefined {
    const e = this.store.get(key);
    return e === undefined ? undefined : { add: e.add, del: e.del };
  }

  private lower(key: string, add: number, del: number): void {
    const e = this.store.get(key);
    if (e === undefined) return;
    e.add -= add;
    e.del -= del;
  }
}

/**
 * Deletions tracked by the deleted object's key, so that a deletion is counted once even if
 * both an update (deletionTimestamp set) and the delete itself are observed, and only for the
 * pods this controller asked to delete.
 */
export class UIDTrackingExpectations {
  private readonly counts: ControllerExpectations;
  private readonly deleting = new Map<string, Set<string>>();

  constructor(clock: Clock) {
    this.counts = new ControllerExpectations(clock);
  }

  satisfiedExpectations(key: string): boolean {
    return this.counts.satisfiedExpectations(key);
  }

  expectCreations(key: string, adds: number): void {
    this.counts.expectCreations(key, adds);
  }

  creationObserved(key: string): void {
    this.counts.creationObserved(key);
  }

  expectDeletions(key: string, deletedKeys: readonly string[]): void {
    this.deleting.set(key, new Set(deletedKeys));
    this.counts.expectDeletions(key, deletedKeys.length);
  }

  deletionObserved(key: string, deletedKey: string): void {
    const keys = this.deleting.get(key);
    if (keys === undefined || !keys.delete(deletedKey)) return;
    this.counts.deletionObserved(key);
  }

  deleteExpectations(key: string): void {
    this.deleting.delete(key);
    this.counts.deleteExpectations(key);
  }

  pending(key: string): { add: number; del: number } | undefined {
    return this.counts.pending(key);
  }
}
