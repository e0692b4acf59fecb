// What a controller has asked for and not yet seen in its informer cache, as upstream's
// ControllerExpectations (counts of pod creations and deletions per controller key) and the
// Job controller's uidTrackingExpectations (pods whose tracking finalizer it removed). A sync
// that ran before the cache caught up would count the same pods twice or create too many.
// (Local to the Job controller until the shared controller/util helpers land.)

import type { Clock } from '@kubets/client';

/** Upstream ExpectationsTimeout: expectations older than this are given up on (a lost watch event). */
export const expectationsTimeoutMs = 5 * 60_000;

interface Expectation {
  add: number;
  del: number;
  setAt: number;
}

export class ControllerExpectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(private readonly clock: Clock) {}

  /** True when nothing is outstanding (or it has waited too long), so a sync may act on the cache. */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (e === undefined) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.clock.now() - e.setAt > expectationsTimeoutMs;
  }

  expectCreations(key: string, n: number): void {
    this.byKey.set(key, { add: n, del: 0, setAt: this.clock.now() });
  }

  expectDeletions(key: string, n: number): void {
    this.byKey.set(key, { add: 0, del: n, setAt: this.clock.now() });
  }

  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e !== undefined) e.add--;
  }

  deletionObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e !== undefined) e.del--;
  }

  delete(key: string): void {
    this.byKey.delete(key);
  }
}

export class UidTrackingExpectations {
  private readonly byKey = new Map<string, Set<string>>();

  expectedUids(key: string): ReadonlySet<string> {
    return new Set(this.byKey.get(key) ?? []);
  }

  expectFinalizersRemoved(key: string, uids: readonly string[]): void {
    let set = this.byKey.get(key);
    if (set === undefined) this.byKey.set(key, (set = new Set()));
    for (const u of uids) set.add(u);
  }

  finalizerRemovalObserved(key: string, uid: string): void {
    this.byKey.get(key)?.delete(uid);
  }

  delete(key: string): void {
    this.byKey.delete(key);
  }
}
