// Strategic merge patch, as kubectl sends it for `apply`, `edit`, `label` and `patch`:
// a merge patch in which lists with a merge key (containers by name, ports by containerPort ...)
// merge element by element instead of being replaced, plus the directives kubectl emits
// ($patch, $retainKeys, $setElementOrder/<list>, $deleteFromPrimitiveList/<list>).

import { badRequest } from '@kubets/api';
import { isObject } from './merge-patch.js';

/** The merge key of a list, by the path of field names leading to it; undefined means "replace". */
export function mergeKeyOf(kind: string, path: string[]): string | undefined {
  const field = path[path.length - 1];
  const parent = path[path.length - 2];
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
    case 'schedulingGates':
    case 'readinessGates':
      return field === 'readinessGates' ? 'conditionType' : 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'volumeDevices':
      return 'devicePath';
    case 'ports':
      if (parent === 'containers' || parent === 'initContainers' || parent === 'ephemeralContainers') return 'containerPort';
      if (kind === 'Service' && parent === 'spec') return 'port';
      return undefined;
    case 'conditions':
      return 'type';
    case 'ownerReferences':
      return 'uid';
    case 'addresses':
      return kind === 'Node' ? 'type' : undefined;
    case 'hostAliases':
      return 'ip';
    case 'topologySpreadConstraints':
      return 'topologyKey';
    default:
      return undefined;
  }
}

/** Lists of scalars that merge as sets rather than being replaced. */
export function isPrimitiveMergeList(path: string[]): boolean {
  const field = path[path.length - 1];
  return field === 'finalizers' && path.length === 2 && path[0] === 'metadata';
}

/** `$patch` is replace, delete or merge; anything else is refused, as upstream refuses it. */
function checkPatchDirective(p: Record<string, unknown>): void {
  const d = p.$patch;
  if (d !== undefined && d !== 'replace' && d !== 'delete' && d !== 'merge') throw badRequest(`strategic merge patch: unknown patch type ${JSON.stringify(d)}`);
}

function mergeList(kind: string, path: string[], original: unknown[], patch: unknown[], order: unknown[] | undefined): unknown[] {
  const key = mergeKeyOf(kind, path);
  if (isPrimitiveMergeList(path)) {
    const out = [...original];
    for (const v of patch) if (!out.includes(v)) out.push(v);
    return order === undefined ? out : sortByOrder(out, order, undefined);
  }
  if (key === undefined) return patch.map((p) => stripDirectives(p));
  if (patch.some((p) => isObject(p) && p.$patch === 'replace')) {
    return patch.filter((p) => !(isObject(p) && p.$patch === 'replace')).map((p) => stripDirectives(p));
  }
  const out = original.map((o) => structuredClone(o));
  for (const p of patch) {
    if (!isObject(p)) throw badRequest(`strategic merge patch: the elements of ${path.join('.')} must be objects with the merge key ${JSON.stringify(key)}`);
    if (!(key in p)) throw badRequest(`strategic merge patch: an element of ${path.join('.')} lacks the merge key ${JSON.stringify(key)}`);
    checkPatchDirective(p);
    const at = out.findIndex((o) => isObject(o) && o[key] === p[key]);
    if (p.$patch === 'delete') {
      if (at >= 0) out.splice(at, 1);
      continue;
    }
    if (at >= 0) out[at] = mergeValue(kind, path, out[at], p);
    else out.push(mergeValue(kind, path, undefined, p));
  }
  return order === undefined ? out : sortByOrder(out, order, key);
}

/** Orders a merged list as `$setElementOrder` says; elements it does not name keep their place at the end. */
function sortByOrder(list: unknown[], order: unknown[], key: string | undefined): unknown[] {
  const keyOf = (v: unknown) => (key === undefined ? v : isObject(v) ? v[key] : v);
  const wanted = order.map((o) => (key === undefined ? o : isObject(o) ? o[key] : o));
  const rank = (v: unknown) => {
    const i = wanted.indexOf(keyOf(v));
    return i < 0 ? wanted.length : i;
  };
  return list.map((v, i) => ({ v, i })).sort((a, b) => rank(a.v) - rank(b.v) || a.i - b.i).map((x) => x.v);
}

function stripDirectives(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$') && k !== '__proto__') out[k] = stripDirectives(x);
  return out;
}

function mergeValue(kind: string, path: string[], original: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return stripDirectives(patch);
  if (patch.$patch === 'replace') return stripDirectives(patch);
  if (patch.$patch === 'delete') return undefined;
  checkPatchDirective(patch);
  const out: Record<string, unknown> = isObject(original) ? { ...original } : {};
  const retain = Array.isArray(patch.$retainKeys) ? new Set(patch.$retainKeys as unknown[]) : undefined;
  for (const [k, v] of Object.entries(patch)) {
    if (k === '__proto__' || k === '$patch' || k === '$retainKeys') continue;
    if (k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const list = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[list]) && Array.isArray(v)) out[list] = (out[list] as unknown[]).filter((x) => !v.includes(x));
      continue;
    }
    if (k.startsWith('$')) throw badRequest(`strategic merge patch: unknown directive ${JSON.stringify(k)}`);
    const childPath = [...path, k];
    if (v === null) delete out[k];
    else if (Array.isArray(v)) {
      const order = patch[`$setElementOrder/${k}`];
      out[k] = mergeList(kind, childPath, Array.isArray(out[k]) ? (out[k] as unknown[]) : [], v, Array.isArray(order) ? order : undefined);
    } else if (isObject(v)) {
      const merged = mergeValue(kind, childPath, out[k], v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else out[k] = v;
  }
  // $setElementOrder without the list itself reorders what is there.
  for (const [k, v] of Object.entries(patch)) {
    if (!k.startsWith('$setElementOrder/')) continue;
    const list = k.slice('$setElementOrder/'.length);
    if (!(list in patch) && Array.isArray(out[list]) && Array.isArray(v)) {
      out[list] = sortByOrder(out[list] as unknown[], v, mergeKeyOf(kind, [...path, list]));
    }
  }
  if (retain !== undefined) for (const k of Object.keys(out)) if (!retain.has(k)) delete out[k];
  return out;
}

export function applyStrategicMergePatch(kind: string, original: unknown, patch: unknown): unknown {
  if (!isObject(patch)) throw badRequest('a strategic merge patch must be a JSON object');
  return mergeValue(kind, [], original, patch);
}
