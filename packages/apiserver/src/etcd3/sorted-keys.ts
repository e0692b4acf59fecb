// The keys of a watch cache in etcd's order (byte order of the UTF-8 key; our keys are ASCII, so
// string order is the same), kept sorted as keys come and go, so that a page of a list starts
// with a binary search instead of a sort of every key.

export class SortedKeys {
  private keys: string[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** The position of the first key >= `key`. */
  lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(key: string): void {
    const at = this.lowerBound(key);
    if (this.keys[at] !== key) this.keys.splice(at, 0, key);
  }

  delete(key: string): void {
    const at = this.lowerBound(key);
    if (this.keys[at] === key) this.keys.splice(at, 1);
  }

  /** Replaces every key at once (a fresh list). */
  reset(keys: Iterable<string>): void {
    this.keys = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  at(i: number): string | undefined {
    return this.keys[i];
  }
}
