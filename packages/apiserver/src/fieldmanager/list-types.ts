// What server-side apply must know of the schema: which lists are associative (merged item by
// item on their key fields), which are sets of scalars, which maps are atomic. The merge keys
// are the strategic merge patch's table; upstream's list-map keys add `protocol` to ports and
// `whenUnsatisfiable` to topology spread constraints. Everything else is atomic for lists and
// granular for maps, as upstream's defaults are.

import { isPrimitiveMergeList, mergeKeyOf } from '../patch/strategic-merge-patch.js';
import { isObject } from '../patch/merge-patch.js';

export type ListType = { type: 'map'; keys: readonly string[] } | { type: 'set' } | { type: 'atomic' };

const atomic: ListType = { type: 'atomic' };
const set: ListType = { type: 'set' };
const keyLists = new Map<string, ListType>();

/** The list type of the list at `names` (field names from the root, list items not counted). */
export function listTypeOf(kind: string, names: readonly string[]): ListType {
  if (isPrimitiveMergeList(names as string[])) return set;
  const key = mergeKeyOf(kind, names as string[]);
  if (key === undefined) return atomic;
  let t = keyLists.get(key);
  if (t === undefined) {
    const keys = key === 'containerPort' || key === 'port' ? [key, 'protocol'] : key === 'topologyKey' ? [key, 'whenUnsatisfiable'] : [key];
    t = { type: 'map', keys: keys.sort() };
    keyLists.set(key, t);
  }
  return t;
}

// Upstream marks label selectors and Service selectors atomic: a new selector replaces the old
// one whole rather than merging with it.
const atomicMaps = new Set(['selector', 'labelSelector', 'namespaceSelector']);

export function isAtomicMap(names: readonly string[]): boolean {
  return atomicMaps.has(names[names.length - 1]!);
}

// A key field the client may leave out, matched by its default (ports default to TCP).
const keyDefaults: Record<string, unknown> = { protocol: 'TCP' };

/** The `k:` element of an associative list item, or undefined when the item lacks a usable key. */
export function keyElement(keys: readonly string[], item: unknown): string | undefined {
  if (!isObject(item)) return undefined;
  let out = '';
  for (const k of keys) {
    const v = item[k] ?? keyDefaults[k];
    if (v === undefined || v === null || typeof v === 'object') return undefined;
    out += `${out === '' ? '' : ','}${JSON.stringify(k)}:${JSON.stringify(v)}`;
  }
  return `k:{${out}}`;
}

/** The `v:` element of a set-list item; undefined for anything but a scalar. */
export function valueElement(item: unknown): string | undefined {
  if (item === null || typeof item === 'object' || item === undefined) return undefined;
  return `v:${JSON.stringify(item)}`;
}

/**
 * The elements of a list's items under its list type, or undefined when the list cannot be
 * treated that way (an item without its key, duplicate keys): such a list is handled as atomic.
 */
export function itemElements(t: ListType, list: readonly unknown[]): string[] | undefined {
  if (t.type === 'atomic') return undefined;
  const out: string[] = [];
  const seen = new Set<string>();
  for (const item of list) {
    const el = t.type === 'map' ? keyElement(t.keys, item) : valueElement(item);
    if (el === undefined || seen.has(el)) return undefined;
    seen.add(el);
    out.push(el);
  }
  return out;
}
