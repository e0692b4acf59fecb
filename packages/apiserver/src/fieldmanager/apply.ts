// Server-side apply: merge a manager's full intent into the live object, remove what it
// applied before and no longer does (unless someone else owns it), and refuse to change
// fields another manager owns with another value unless forced. Fields applied with the value
// they already have become shared. The result is the new object and its managedFields.

import { ApiError } from '@kubets/api';
import { isObject } from '../patch/merge-patch.js';
import { nowTimestamp } from '../registry/strategy.js';
import type { KubeObject } from '../storage/interface.js';
import { difference, equalSets, intersection, isEmpty, printPaths, union, type FieldSet } from './field-set.js';
import { isAtomicMap, itemElements, listTypeOf } from './list-types.js';
import { capUpdateManagers } from './cap-managers.js';
import { decodeManagedFields, encodeManagedFields, identityOf, type ManagedFieldsEntry, type ManagerEntry } from './managed-fields.js';
import { compareObjects, fieldsOf, type Scope } from './object-fields.js';

export interface ApplyRequest {
  manager: string;
  apiVersion: string;
  force: boolean;
  scope: Scope;
}

export interface Applied {
  object: KubeObject;
  managedFields: ManagedFieldsEntry[];
  /** Nothing changed, not even ownership: the write can be skipped. */
  noop: boolean;
}

/** Drops null map values in place: a null in an apply configuration neither sets nor owns anything. */
export function dropNulls(v: unknown): void {
  if (Array.isArray(v)) {
    for (const x of v) dropNulls(x);
  } else if (isObject(v)) {
    for (const k of Object.keys(v)) {
      if (v[k] === null) delete v[k];
      else dropNulls(v[k]);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Merge: maps by key, associative lists by item key, sets by value; anything else is replaced.

function mergeMap(kind: string, names: string[], target: Record<string, unknown>, config: Record<string, unknown>): void {
  for (const k of Object.keys(config)) {
    names.push(k);
    target[k] = mergeValue(kind, names, target[k], config[k]);
    names.pop();
  }
}

function mergeValue(kind: string, names: string[], live: unknown, config: unknown): unknown {
  if (isObject(config)) {
    if (!isObject(live) || isAtomicMap(names)) return config;
    mergeMap(kind, names, live, config);
    return live;
  }
  if (!Array.isArray(config) || !Array.isArray(live)) return config;
  const t = listTypeOf(kind, names);
  const want = itemElements(t, config);
  const have = itemElements(t, live);
  if (want === undefined || have === undefined) return config;
  const at = new Map<string, number>();
  have.forEach((el, i) => at.set(el, i));
  for (let i = 0; i < config.length; i++) {
    const j = at.get(want[i]!);
    if (j === undefined) live.push(config[i]);
    else if (t.type === 'map') mergeMap(kind, names, live[j] as Record<string, unknown>, config[i] as Record<string, unknown>);
  }
  return live;
}

// ---------------------------------------------------------------------------------------------
// Prune: what the manager applied last time and left out now goes, unless some manager owns it.
// A named field counts as owned when anything below it is; a list item only when it is itself.

function pruneMap(kind: string, names: string[], obj: Record<string, unknown>, last: FieldSet, owned: FieldSet | undefined): void {
  const elements = new Set([...last.members, ...last.children.keys()]);
  for (const el of elements) {
    if (el[0] !== 'f') continue;
    const name = el.slice(2);
    if (!Object.hasOwn(obj, name)) continue;
    const ownedBelow = owned?.children.get(el);
    // metadata is never removed whole: name, uid and the rest are the server's.
    const keep = owned?.members.has(el) || ownedBelow !== undefined || (names.length === 0 && name === 'metadata');
    if (!keep) {
      delete obj[name];
      continue;
    }
    const lastBelow = last.children.get(el);
    if (lastBelow === undefined) continue;
    const v = obj[name];
    names.push(name);
    if (isObject(v) && !isAtomicMap(names)) pruneMap(kind, names, v, lastBelow, ownedBelow);
    else if (Array.isArray(v)) obj[name] = pruneList(kind, names, v, lastBelow, ownedBelow);
    names.pop();
  }
}

function pruneList(kind: string, names: string[], list: unknown[], last: FieldSet, owned: FieldSet | undefined): unknown[] {
  const elements = itemElements(listTypeOf(kind, names), list);
  if (elements === undefined) return list;
  const out: unknown[] = [];
  for (let i = 0; i < list.length; i++) {
    const el = elements[i]!;
    if (last.members.has(el) && !owned?.members.has(el)) continue;
    const lastBelow = last.children.get(el);
    if (lastBelow !== undefined && el[0] === 'k') pruneMap(kind, names, list[i] as Record<string, unknown>, lastBelow, owned?.children.get(el));
    out.push(list[i]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Conflicts

function printManager(e: ManagerEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource !== undefined) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}

/** 409 Conflict naming each field and who owns it, worded as kube-apiserver words it. */
export function applyConflict(conflicts: { entry: ManagerEntry; fields: FieldSet }[]): ApiError {
  const byManager = conflicts
    .map((c) => ({ who: printManager(c.entry), paths: printPaths(c.fields) }))
    .sort((a, b) => (a.who < b.who ? -1 : a.who > b.who ? 1 : 0));
  const causes = byManager.flatMap((c) => c.paths.map((field) => ({ reason: 'FieldManagerConflict', message: `conflict with ${c.who}`, field })));
  const n = causes.length;
  const message = n === 1
    ? `Apply failed with 1 conflict: conflict with ${byManager[0]!.who}: ${causes[0]!.field}`
    : `Apply failed with ${n} conflicts: ${byManager.map((c) => [`conflicts with ${c.who}:`, ...c.paths.map((p) => `- ${p}`)].join('\n')).join('\n')}`;
  return new ApiError(409, 'Conflict', message, { causes });
}

// ---------------------------------------------------------------------------------------------

/**
 * Applies `config` (a fresh copy, without nulls, that the result may share) for `req.manager`
 * onto `working`, a copy of `live` that is changed in place (an empty object to create).
 */
export function applyConfiguration(live: KubeObject | undefined, working: KubeObject, config: Record<string, unknown>, req: ApplyRequest): Applied {
  const { scope } = req;
  const me: ManagerEntry = { manager: req.manager, operation: 'Apply', apiVersion: req.apiVersion, fields: fieldsOf(config, scope) };
  if (scope.target === 'status') me.subresource = 'status';
  const id = identityOf(me);
  let last: ManagerEntry | undefined;
  const others: ManagerEntry[] = [];
  for (const e of decodeManagedFields(live?.metadata?.managedFields) ?? []) {
    if (identityOf(e) === id) last = e;
    else others.push(e);
  }

  mergeMap(scope.kind, [], working as Record<string, unknown>, config);
  if (last !== undefined && !isEmpty(last.fields)) {
    const owned = others.reduce((acc, e) => union(acc, e.fields), me.fields);
    pruneMap(scope.kind, [], working as Record<string, unknown>, last.fields, owned);
  }

  const cmp = compareObjects(live ?? {}, working, scope);
  const changed = union(cmp.added, cmp.modified);
  const conflicts: { entry: ManagerEntry; fields: FieldSet }[] = [];
  const kept: ManagerEntry[] = [];
  for (const e of others) {
    const taken = intersection(e.fields, changed);
    if (!isEmpty(taken)) conflicts.push({ entry: e, fields: taken });
    const fields = difference(difference(e.fields, taken), cmp.removed);
    if (!isEmpty(fields)) kept.push(fields === e.fields ? e : { ...e, fields });
  }
  if (conflicts.length > 0 && !req.force) throw applyConflict(conflicts);

  const unchanged = isEmpty(changed) && isEmpty(cmp.removed);
  if (unchanged && last !== undefined && equalSets(last.fields, me.fields)) {
    return { object: working, managedFields: (live?.metadata?.managedFields ?? []) as ManagedFieldsEntry[], noop: true };
  }
  me.time = nowTimestamp();
  if (!isEmpty(me.fields)) kept.push(me);
  return { object: working, managedFields: encodeManagedFields(capUpdateManagers(kept)), noop: false };
}
