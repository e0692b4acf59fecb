// Upstream stores and returns objects as its Go types serialise them, and almost every map and
// slice there is `json:",omitempty"`: `labels: {}`, `data: {}` or `ports: []` in a request are
// gone from what is stored and answered (`kubectl diff` would otherwise show `annotations: {}`).
// Empty structs are not omitted by Go (`emptyDir: {}`, `securityContext: {}` stay), nor are
// fields the schema requires (`containers: []` stays, for validation to refuse).

import type { TSchema } from '@sinclair/typebox';
import { isPlainObject } from './object.js';

/**
 * A map (`map[string]T` upstream): keys are data, not field names. A record of untyped values is
 * not one: it stands for a struct this schema does not spell out (`securityContext`, `affinity`).
 */
function mapValueSchema(schema: TSchema): TSchema | undefined {
  if (schema.type !== 'object' || schema.properties !== undefined) return undefined;
  const values = schema.patternProperties !== undefined ? (Object.values(schema.patternProperties)[0] as TSchema) : schema.additionalProperties;
  if (typeof values !== 'object' || values === null) return undefined;
  return values.type !== undefined || values.anyOf !== undefined ? (values as TSchema) : undefined;
}

function isEmptyMapOrList(schema: TSchema, v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 0 && schema.type === 'array';
  return isPlainObject(v) && mapValueSchema(schema) !== undefined && Object.keys(v).length === 0;
}

/** The member of a union that describes `value` (unions here are scalars or int-or-string). */
function memberFor(schema: TSchema, value: unknown): TSchema | undefined {
  if (schema.anyOf === undefined) return schema;
  return (schema.anyOf as TSchema[]).find((s) => (Array.isArray(value) ? s.type === 'array' : s.type === 'object'));
}

/**
 * Deletes, in place, every optional field of `value` that holds an empty map or an empty list.
 * `metadata.managedFields` is kept: `[]` there asks for managedFields to be cleared. Fields the
 * schema does not know, and free-form values, are left as they are. The walk follows the schema,
 * so its depth is the schema's, whatever the body's.
 */
export function dropEmptyOptionalFields(schema: TSchema, value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  const s = memberFor(schema, value);
  if (s === undefined) return;
  if (Array.isArray(value)) {
    if (s.items !== undefined) for (const item of value) dropEmptyOptionalFields(s.items as TSchema, item);
    return;
  }
  const obj = value as Record<string, unknown>;
  const mapValues = mapValueSchema(s);
  if (mapValues !== undefined) {
    for (const v of Object.values(obj)) dropEmptyOptionalFields(mapValues, v);
    return;
  }
  if (s.properties === undefined) return;
  const required = new Set<string>((s.required as string[] | undefined) ?? []);
  for (const [k, v] of Object.entries(obj)) {
    const child = s.properties[k] as TSchema | undefined;
    if (child === undefined) continue;
    if (!required.has(k) && k !== 'managedFields' && isEmptyMapOrList(child, v)) delete obj[k];
    else dropEmptyOptionalFields(child, v);
  }
}
