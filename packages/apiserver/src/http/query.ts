// Query parameters of resource requests, parsed once with clear 400s for bad values.

import { badRequest, type FieldMatcher, oneTermEqualFieldSelector, type LabelMatcher, objectMatchesFields, parseFieldSelectorFor, parseLabelSelector, type ResourceInfo } from '@kubets/api';
import type { Predicate } from '../storage/interface.js';

export type Query = Record<string, string | string[] | undefined>;

export function one(q: Query, name: string): string | undefined {
  const v = q[name];
  return Array.isArray(v) ? v[v.length - 1] : v;
}

export function intParam(q: Query, name: string, min = 0): number | undefined {
  const v = one(q, name);
  if (v === undefined || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)} is not an integer`);
  const n = Number(v);
  if (n < min) throw badRequest(`invalid value for ${name}: must be at least ${min}`);
  return n;
}

// The spellings Go's strconv.ParseBool accepts, which kube-apiserver's query decoding uses: the
// official Python client sends `watch=True`.
const TRUE_WORDS = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE_WORDS = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** A boolean query parameter, parsed as Go's strconv.ParseBool; absent or empty is false. */
export function boolParam(q: Query, name: string): boolean {
  const v = one(q, name);
  if (v === undefined || v === '' || FALSE_WORDS.has(v)) return false;
  if (TRUE_WORDS.has(v)) return true;
  throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)} is not a boolean (1, t, T, TRUE, true, True, 0, f, F, FALSE, false or False)`);
}

export function isDryRun(q: Query): boolean {
  const v = one(q, 'dryRun');
  if (v === undefined || v === '') return false;
  if (v !== 'All') throw badRequest(`invalid dry run value ${JSON.stringify(v)}: only "All" is supported`);
  return true;
}

export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

export function fieldValidation(q: Query): FieldValidation {
  const v = one(q, 'fieldValidation');
  if (v === undefined || v === '') return 'Warn';
  if (v === 'Ignore' || v === 'Warn' || v === 'Strict') return v;
  throw badRequest(`fieldValidation must be one of "Ignore", "Warn" or "Strict"; got ${JSON.stringify(v)}`);
}

export interface Selection {
  labels: LabelMatcher | undefined;
  fields: FieldMatcher | undefined;
  predicate: Predicate | undefined;
}

/**
 * labelSelector and fieldSelector as one predicate over stored objects. `name` is the object a
 * watch path names (/watch/.../<name>): as kube-apiserver's ListResource, it selects
 * metadata.name=<name>, and a fieldSelector sent as well must require that same name.
 */
export function selection(info: ResourceInfo, q: Query, name?: string): Selection {
  const ls = one(q, 'labelSelector');
  const fs = one(q, 'fieldSelector');
  const labels = ls === undefined || ls === '' ? undefined : parseLabelSelector(ls);
  let fields = fs === undefined || fs === '' ? undefined : parseFieldSelectorFor(info.resource, fs);
  if (name !== undefined) {
    if (fields === undefined || fields.isEmpty()) fields = oneTermEqualFieldSelector('metadata.name', name);
    else if (fields.requiresExactMatch('metadata.name') !== name) throw badRequest("fieldSelector metadata.name doesn't match requested name");
  }
  if (labels === undefined && fields === undefined) return { labels, fields, predicate: undefined };
  const predicate: Predicate = (obj) =>
    (labels === undefined || labels.matches(obj.metadata?.labels)) &&
    (fields === undefined || objectMatchesFields(info.resource, obj, fields));
  return { labels, fields, predicate };
}
