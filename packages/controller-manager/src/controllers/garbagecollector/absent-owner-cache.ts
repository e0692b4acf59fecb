// Owners the collector has verified to be absent (upstream's absentOwnerCache, an LRU of 500):
// the dependents of a deleted owner are checked one by one, and each need not ask the API server
// again about the same owner.

import type { ObjectIdentity } from './identity.js';

export class AbsentOwnerCache {
  private readonly entries = new Set<string>();

  constructor(private readonly capacity = 500) {}

  add(id: ObjectIdentity): void {
    const key = cacheKey(id);
    // Re-inserting moves the key to the young end, as an LRU's add does.
    this.entries.delete(key);
    this.entries.add(key);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.values().next().value!);
  }

  has(id: ObjectIdentity): boolean {
    const key = cacheKey(id);
    if (!this.entries.has(key)) return false;
    this.entries.delete(key);
    this.entries.add(key);
    return true;
  }
}

function cacheKey(id: ObjectIdentity): string {
  return JSON.stringify([id.apiVersion, id.kind, id.namespace, id.name, id.uid]);
}
