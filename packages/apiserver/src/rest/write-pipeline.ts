// The steps every object write shares: decode, strict-field check, defaulting, validation.

import { assertValidObject, badRequest, decodeObject, dropEmptyOptionalFields, type ResourceInfo, unknownFields, writeZeroValues } from '@kubets/api';
import type { KubeObject } from '../storage/interface.js';
import type { FieldValidation } from '../http/query.js';
import { type BodyDuplicates, duplicateFieldsOf } from '../http/body.js';

export interface Warnings {
  add(message: string): void;
}

/** Unknown fields: refused with 400 under Strict (kubectl's default), reported as warnings under Warn. */
export function checkUnknownFields(info: ResourceInfo, body: unknown, mode: FieldValidation, warnings: Warnings, source?: unknown): void {
  if (mode === 'Ignore') return;
  const problems = strictDecodingErrors(unknownFields(info.schema, body), source === undefined ? undefined : duplicateFieldsOf(source), source === body);
  if (problems.length === 0) return;
  if (mode === 'Strict') throw badRequest(`strict decoding error: ${problems.join(', ')}`);
  for (const p of problems) warnings.add(p);
}

/**
 * Upstream's strict decoding errors: a field both unknown and repeated counts as unknown only,
 * nothing under an unknown field is looked at, and a JSON patch's repeated op fields are named
 * as such. A body's errors come in document order; a patch's repeated fields come first, then
 * the unknown fields of the patched object.
 */
function strictDecodingErrors(unknown: string[], found: BodyDuplicates | undefined, sameDocument: boolean): string[] {
  const under = (path: string, field: string) => path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);
  const duplicates = (found?.duplicates ?? []).filter((d) => !unknown.some((u) => under(d.path, u)));
  const unknownText = (f: string) => `unknown field ${JSON.stringify(f)}`;
  const duplicateText = (path: string) => `${path.startsWith('[') ? 'json patch ' : ''}duplicate field ${JSON.stringify(path)}`;
  if (duplicates.length === 0) return unknown.map(unknownText);
  if (!sameDocument || unknown.length === 0) return [...duplicates.map((d) => duplicateText(d.path)), ...unknown.map(unknownText)];
  const first = found!.firstOffsets();
  const all = [...duplicates.map((d) => ({ at: d.offset, text: duplicateText(d.path) })), ...unknown.map((u) => ({ at: first.get(u) ?? 0, text: unknownText(u) }))];
  return all.sort((a, b) => a.at - b.at).map((e) => e.text);
}

/**
 * Decodes a request body as `info`'s kind and checks its fields. Empty optional maps and lists
 * are dropped, and missing fields without omitempty set to their zero values, as upstream's Go
 * types decode and encode them, before anything records who owns them. `source` is the body as
 * the client sent it (a patch, for a patched object): its repeated fields count too.
 */
export function decodeFor(info: ResourceInfo, body: unknown, mode: FieldValidation, warnings: Warnings, source: unknown = body): KubeObject {
  const obj = decodeObject<KubeObject>(info, body);
  dropEmptyOptionalFields(info.schema, obj);
  writeZeroValues(info.schema, obj);
  checkUnknownFields(info, obj, mode, warnings, source);
  return obj;
}

/** The kind's defaults, then the zero values of what the server itself set (a new `status`). */
export function applyDefaults(info: ResourceInfo, obj: KubeObject): void {
  info.applyDefaults(obj);
  writeZeroValues(info.schema, obj);
}

export function defaultAndValidate(info: ResourceInfo, obj: KubeObject): void {
  applyDefaults(info, obj);
  assertValidObject(info, obj as never);
}

/** The body's namespace must agree with the URL's, as upstream insists. */
export function checkNamespace(info: ResourceInfo, obj: KubeObject, namespace: string | undefined): void {
  const ns = obj.metadata?.namespace;
  if (info.namespaced && ns !== undefined && ns !== '' && ns !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}

export function checkName(obj: KubeObject, name: string): void {
  const bodyName = obj.metadata?.name;
  if (bodyName !== undefined && bodyName !== '' && bodyName !== name) {
    throw badRequest(`the name of the object (${bodyName}) does not match the name on the URL (${name})`);
  }
}
