// The informer's local cache: objects by key, plus indexes (client-go's thread-safe store
// with an Indexer). An index maps an object to some values (its namespace, its node, its
// owner) so that "every pod on node n" is a lookup, not a scan. JavaScript runs one thing at
// a time, so each change below is atomic as seen by readers; objects handed out are the
// cache's own and must not be mutated.

import { objectKey, type HasMeta } from './keys.js';

/** The values an object is filed under in one index. */
export type IndexFunc<T> = (obj: T) => string[];

/** The built-in index: by metadata.namespace ('' for cluster-scoped objects). */
export const namespaceIndex = 'namespace';

export const byNamespace: IndexFunc<HasMeta> = (obj) => [obj.metadata?.namespace ?? ''];

export interface ReplaceResult<T> {
  added: T[];
  updated: [old: T, cur: T][];
  /** Objects the new state lacks, with the last state the cache had of them. */
  deleted: T[];
}

function resourceVersionOf(obj: HasMeta): unknown {
  return obj.metadata?.resourceVersion;
}

function sameState(a: HasMeta, b: HasMeta): boolean {
  const ra = resourceVersionOf(a);
  const rb = resourceVersionOf(b);
  if (ra !== undefined && rb !== undefined) return ra === rb;
  return JSON.stringify(a) === JSON.stringify(b);
}

export class Store<T extends HasMeta> {
  private readonly items = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  /** index name -> index value -> keys. */
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Record<string, IndexFunc<T>> = {}) {
    this.addIndexer(namespaceIndex, byNamespace);
    for (const [name, fn] of Object.entries(indexers)) this.addIndexer(name, fn);
  }

  /** Adds an index, filing the objects already cached under it. */
  addIndexer(name: string, fn: IndexFunc<T>): void {
    if (this.indexers.has(name)) throw new Error(`an index named ${JSON.stringify(name)} exists already`);
    this.indexers.set(name, fn);
    this.indices.set(name, new Map());
    for (const [key, obj] of this.items) this.file(name, fn, key, obj);
  }

  get size(): number {
    return this.items.size;
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  list(): T[] {
    return [...this.items.values()];
  }

  /** The objects filed under `value` in the index `name`. */
  byIndex(name: string, value: string): T[] {
    return this.indexKeys(name, value).map((k) => this.items.get(k)!);
  }

  /** The keys filed under `value` in the index `name`. */
  indexKeys(name: string, value: string): string[] {
    const index = this.indices.get(name);
    if (index === undefined) throw new Error(`no index named ${JSON.stringify(name)}`);
    return [...(index.get(value) ?? [])];
  }

  /** Every value the index `name` has objects for. */
  indexValues(name: string): string[] {
    const index = this.indices.get(name);
    if (index === undefined) throw new Error(`no index named ${JSON.stringify(name)}`);
    return [...index.keys()];
  }

  /** Adds or replaces; returns the state it replaced. */
  upsert(obj: T): T | undefined {
    const key = objectKey(obj);
    const old = this.items.get(key);
    if (old !== undefined) this.unfileAll(key, old);
    this.items.set(key, obj);
    for (const [name, fn] of this.indexers) this.file(name, fn, key, obj);
    return old;
  }

  /** Removes by key; returns the state it had. */
  delete(key: string): T | undefined {
    const old = this.items.get(key);
    if (old === undefined) return undefined;
    this.unfileAll(key, old);
    this.items.delete(key);
    return old;
  }

  /** Makes the cache hold exactly `objects`, and says what changed (client-go's Replace). */
  replace(objects: T[]): ReplaceResult<T> {
    const result: ReplaceResult<T> = { added: [], updated: [], deleted: [] };
    const fresh = new Set<string>();
    for (const obj of objects) {
      const key = objectKey(obj);
      fresh.add(key);
      const old = this.upsert(obj);
      if (old === undefined) result.added.push(obj);
      else if (!sameState(old, obj)) result.updated.push([old, obj]);
    }
    for (const key of this.keys()) {
      if (fresh.has(key)) continue;
      result.deleted.push(this.delete(key)!);
    }
    return result;
  }

  private file(name: string, fn: IndexFunc<T>, key: string, obj: T): void {
    const index = this.indices.get(name)!;
    for (const value of new Set(fn(obj))) {
      let keys = index.get(value);
      if (keys === undefined) index.set(value, (keys = new Set()));
      keys.add(key);
    }
  }

  private unfileAll(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      for (const value of new Set(fn(obj))) {
        const keys = index.get(value);
        if (keys === undefined) continue;
        keys.delete(key);
        if (keys.size === 0) index.delete(value);
      }
    }
  }
}
