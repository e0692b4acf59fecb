// The fields of an object as a field set, and the difference between two versions of an
// object (added, modified, removed), each in one walk over the object.

import { isDeepStrictEqual } from 'node:util';
import { isObject } from '../patch/merge-patch.js';
import { childOf, emptySet, isEmpty, type FieldSet } from './field-set.js';
import { isAtomicMap, itemElements, listTypeOf } from './list-types.js';

/** Which part of an object a write covers: the main resource, or its status subresource. */
export interface Scope {
  kind: string;
  target: 'main' | 'status';
  /** Whether status has its own subresource (then the main resource does not own it). */
  statusSeparate: boolean;
}

// Metadata the server sets, never owned by a manager (upstream strips the same from field sets).
const serverMeta = new Set([
  'name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'selfLink',
  'managedFields', 'deletionTimestamp', 'deletionGracePeriodSeconds',
]);

/** A shallow view of the object holding only the fields the scope may own. */
export function scopedView(obj: unknown, scope: Scope): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isObject(obj)) return out;
  if (scope.target === 'status') {
    if (obj.status !== undefined && obj.status !== null) out.status = obj.status;
    return out;
  }
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (v === undefined || v === null || k === 'apiVersion' || k === 'kind') continue;
    if (k === 'status' && scope.statusSeparate) continue;
    if (k === 'metadata' && isObject(v)) {
      const m: Record<string, unknown> = {};
      for (const mk of Object.keys(v)) if (!serverMeta.has(mk) && v[mk] !== undefined && v[mk] !== null) m[mk] = v[mk];
      if (Object.keys(m).length > 0) out.metadata = m;
      continue;
    }
    out[k] = v;
  }
  return out;
}

type Shape = 'map' | 'list' | 'leaf';

function shapeOf(kind: string, names: string[], v: unknown): { shape: Shape; elements?: string[] } {
  if (isObject(v)) return isAtomicMap(names) || Object.keys(v).length === 0 ? { shape: 'leaf' } : { shape: 'map' };
  if (Array.isArray(v) && v.length > 0) {
    const elements = itemElements(listTypeOf(kind, names), v);
    if (elements !== undefined) return { shape: 'list', elements };
  }
  return { shape: 'leaf' };
}

/** Adds the fields of the map `obj` (the value at `names`) to `node`. Null values are no fields. */
function addMap(kind: string, names: string[], obj: Record<string, unknown>, node: FieldSet): void {
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (v === undefined || v === null) continue;
    names.push(k);
    addValue(kind, names, `f:${k}`, v, node);
    names.pop();
  }
}

/** Adds the value `v` found at element `el` of `parent` (an empty map or list is a leaf). */
function addValue(kind: string, names: string[], el: string, v: unknown, parent: FieldSet): void {
  const s = shapeOf(kind, names, v);
  if (s.shape === 'map') {
    addMap(kind, names, v as Record<string, unknown>, childOf(parent, el));
  } else if (s.shape === 'list') {
    const list = v as unknown[];
    const node = childOf(parent, el);
    for (let i = 0; i < list.length; i++) {
      const item = s.elements![i]!;
      node.members.add(item);
      if (item[0] === 'k') addMap(kind, names, list[i] as Record<string, unknown>, childOf(node, item));
    }
  } else {
    parent.members.add(el);
  }
}

/** The field set of an object within a scope: every leaf, every list item, every empty map. */
export function fieldsOf(obj: unknown, scope: Scope): FieldSet {
  const out = emptySet();
  addMap(scope.kind, [], scopedView(obj, scope), out);
  return out;
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

function prune(parent: Comparison, el: string): void {
  for (const s of [parent.added, parent.modified, parent.removed]) {
    const c = s.children.get(el);
    if (c !== undefined && isEmpty(c)) s.children.delete(el);
  }
}

function descend(parent: Comparison, el: string): Comparison {
  return { added: childOf(parent.added, el), modified: childOf(parent.modified, el), removed: childOf(parent.removed, el) };
}

function compareMaps(kind: string, names: string[], a: Record<string, unknown>, b: Record<string, unknown>, out: Comparison): void {
  for (const k of Object.keys(b)) {
    names.push(k);
    compareValues(kind, names, `f:${k}`, a[k], b[k], out);
    names.pop();
  }
  for (const k of Object.keys(a)) {
    if (Object.hasOwn(b, k)) continue;
    names.push(k);
    compareValues(kind, names, `f:${k}`, a[k], undefined, out);
    names.pop();
  }
}

function compareValues(kind: string, names: string[], el: string, a: unknown, b: unknown, out: Comparison): void {
  const hasA = a !== undefined && a !== null;
  const hasB = b !== undefined && b !== null;
  if (!hasA || !hasB) {
    if (hasB) addValue(kind, names, el, b, out.added);
    if (hasA) addValue(kind, names, el, a, out.removed);
    return;
  }
  if (a === b) return;
  const sa = shapeOf(kind, names, a);
  const sb = shapeOf(kind, names, b);
  if (sa.shape !== sb.shape) {
    addValue(kind, names, el, a, out.removed);
    addValue(kind, names, el, b, out.added);
    return;
  }
  if (sa.shape === 'leaf') {
    if (!isDeepStrictEqual(a, b)) out.modified.members.add(el);
    return;
  }
  const below = descend(out, el);
  if (sa.shape === 'map') compareMaps(kind, names, a as Record<string, unknown>, b as Record<string, unknown>, below);
  else compareLists(kind, names, a as unknown[], sa.elements!, b as unknown[], sb.elements!, below);
  prune(out, el);
}

function compareLists(kind: string, names: string[], a: unknown[], ea: string[], b: unknown[], eb: string[], out: Comparison): void {
  const indexA = new Map<string, number>();
  ea.forEach((el, i) => indexA.set(el, i));
  const inB = new Set(eb);
  for (let i = 0; i < b.length; i++) {
    const el = eb[i]!;
    const j = indexA.get(el);
    if (j === undefined) {
      out.added.members.add(el);
      if (el[0] === 'k') addMap(kind, names, b[i] as Record<string, unknown>, childOf(out.added, el));
      continue;
    }
    if (el[0] !== 'k') continue;
    const below = descend(out, el);
    compareMaps(kind, names, a[j] as Record<string, unknown>, b[i] as Record<string, unknown>, below);
    prune(out, el);
  }
  for (let j = 0; j < a.length; j++) {
    const el = ea[j]!;
    if (inB.has(el)) continue;
    out.removed.members.add(el);
    if (el[0] === 'k') addMap(kind, names, a[j] as Record<string, unknown>, childOf(out.removed, el));
  }
  for (const s of [out.added, out.removed]) for (const [el, c] of s.children) if (isEmpty(c)) s.children.delete(el);
}

/** What changed from `a` to `b` within the scope: fields added, leaf values modified, fields removed. */
export function compareObjects(a: unknown, b: unknown, scope: Scope): Comparison {
  const out: Comparison = { added: emptySet(), modified: emptySet(), removed: emptySet() };
  compareMaps(scope.kind, [], scopedView(a, scope), scopedView(b, scope), out);
  return out;
}
