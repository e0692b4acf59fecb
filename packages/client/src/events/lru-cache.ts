// A bounded map that forgets the least recently used key when full (k8s.io/utils/lru, as the
// event correlator's caches use it): reads and writes both count as a use.

export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly maxEntries: number) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.touch(key, value);
    return value;
  }

  add(key: K, value: V): void {
    this.touch(key, value);
    if (this.entries.size > this.maxEntries) this.evictOldest();
  }

  get size(): number {
    return this.entries.size;
  }

  /** A Map iterates in insertion order, so re-inserting makes the key the newest. */
  private touch(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
  }

  private evictOldest(): void {
    const oldest = this.entries.keys().next();
    if (oldest.done !== true) this.entries.delete(oldest.value);
  }
}
