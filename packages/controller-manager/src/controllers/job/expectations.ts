// The Job controller's own expectations (upstream's uidTrackingExpectations in
// tracking_utils.go): the UIDs of pods whose tracking finalizer it has asked to remove and
// not yet seen gone. Until the cache shows the removal, such a pod is neither counted again
// nor sent another patch. (Pod creations and deletions use the shared ControllerExpectations.)

export class FinalizerExpectations {
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
