// The steps every object write shares: decode, strict-field check, defaulting, validation.

import { assertValidObject, badRequest, decodeObject, dropEmptyOptionalFields, type ResourceInfo, unknownFields, writeZeroValues } from '@kubets/api';
import type { KubeObject } from '../storage/interface.js';
import type { FieldValidation } from '../http/query.js';

export interface Warnings {
  add(message: string): void;
}

/** Unknown fields: refused with 400 under Strict (kubectl's default), reported as warnings under Warn. */
export function checkUnknownFields(info: ResourceInfo, body: unknown, mode: FieldValidation, warnings: Warnings): void {
  if (mode === 'Ignore') return;
  const unknown = unknownFields(info.schema, body);
  if (unknown.length === 0) return;
  if (mode === 'Strict') {
    const list = unknown.map((f) => `unknown field ${JSON.stringify(f)}`);
    throw badRequest(`strict decoding error: ${list.join(', ')}`);
  }
  for (const f of unknown) warnings.add(`unknown field ${JSON.stringify(f)}`);
}

/**
 * Decodes a request body as `info`'s kind and checks its fields. Empty optional maps and lists
 * are dropped, and missing fields without omitempty set to their zero values, as upstream's Go
 * types decode and encode them, before anything records who owns them.
 */
export function decodeFor(info: ResourceInfo, body: unknown, mode: FieldValidation, warnings: Warnings): KubeObject {
  const obj = decodeObject<KubeObject>(info, body);
  dropEmptyOptionalFields(info.schema, obj);
  writeZeroValues(info.schema, obj);
  checkUnknownFields(info, obj, mode, warnings);
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
