// The two checks every write goes through, in the API server's order: decode (the body is an
// object of the right apiVersion, kind and JSON types: 400 otherwise), then validate (the kind's
// rules and ObjectMeta's: 422 Invalid with every cause otherwise).

import { type FieldError } from '../errors/field.js';
import { badRequest, invalid } from '../errors/status.js';
import { apiVersionOf, groupKindOf } from '../registry/lookup.js';
import type { ResourceInfo } from '../registry/types.js';
import { validateObjectMeta } from './meta.js';
import { normalizeMicroTimes } from './micro-time.js';
import { assertDecodable } from './schema.js';

/** A JSON object: not null, not an array. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A JSON null in a field means "unset", as Go's decoding treats it (`creationTimestamp: null`,
 * `nodePort: null` in a patched list). Walks with a stack, not recursion: bodies may nest deeply.
 */
function dropNullFields(root: Record<string, unknown>): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (Array.isArray(v)) {
      for (const item of v) if (item !== null && typeof item === 'object') stack.push(item);
    } else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        if (o[k] === null) delete o[k];
        else if (typeof o[k] === 'object') stack.push(o[k]);
      }
    }
  }
}

/**
 * Checks that `body` is an object of `info`'s kind: apiVersion and kind as expected (or absent,
 * then filled in), and every field of the right JSON type. Returns it typed; throws 400 otherwise.
 */
export function decodeObject<T = Record<string, unknown>>(info: ResourceInfo, body: unknown): T {
  const apiVersion = apiVersionOf(info);
  if (!isPlainObject(body)) {
    throw badRequest(`the body of the request must be a JSON object of kind ${JSON.stringify(info.kind)}`);
  }
  if (body.apiVersion !== undefined && body.apiVersion !== apiVersion) {
    throw badRequest(
      `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersion})`,
    );
  }
  if (body.kind !== undefined && body.kind !== info.kind) {
    throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${info.kind})`);
  }
  dropNullFields(body);
  normalizeMicroTimes(info.schema, info.kind, info.version, body);
  assertDecodable(info.schema, info.kind, info.version, body);
  body.apiVersion = apiVersion;
  body.kind = info.kind;
  return body as T;
}

/** ObjectMeta's rules plus the kind's own; empty when valid. */
export function validateObject(info: ResourceInfo, obj: { metadata?: unknown }): FieldError[] {
  const meta = validateObjectMeta(obj.metadata as never, { namespaced: info.namespaced, validateName: info.validateName });
  return [...meta, ...info.validate(obj)];
}

/** Throws 422 Invalid listing every problem, as kube-apiserver does. */
export function assertValidObject(info: ResourceInfo, obj: { metadata?: { name?: string; generateName?: string } }): void {
  const errs = validateObject(info, obj);
  if (errs.length > 0) throw invalid(groupKindOf(info), obj.metadata?.name ?? obj.metadata?.generateName ?? '', errs);
}
