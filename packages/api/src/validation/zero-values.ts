// Upstream decodes a body into Go structs: a field the body leaves out holds its zero value, and
// a field without `omitempty` (the ones this schema marks required) is written back all the same:
// a ReplicaSet created without status is stored with `status: {replicas: 0}`, an ownerReference
// without uid reaches validation with `uid: ""` (422, not a decoding error). This fills in those
// zero values, so what is stored and answered is what kube-apiserver stores and answers.

import type { TSchema } from '@sinclair/typebox';
import { isPlainObject } from './object.js';

/** Go's zero value for a scalar field; undefined for lists, maps and structs (nil, left out). */
function zeroOf(schema: TSchema): unknown {
  if (schema.anyOf !== undefined) return zeroOf((schema.anyOf as TSchema[])[0]!); // int-or-string: 0
  switch (schema.type) {
    case 'string':
      return '';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    default:
      return undefined;
  }
}

/** The member of a union that describes `value` (unions here are scalars or int-or-string). */
function memberFor(schema: TSchema, value: unknown): TSchema | undefined {
  if (schema.anyOf === undefined) return schema;
  return (schema.anyOf as TSchema[]).find((s) => (Array.isArray(value) ? s.type === 'array' : s.type === 'object'));
}

function valuesSchema(schema: TSchema): TSchema | undefined {
  if (schema.patternProperties !== undefined) return Object.values(schema.patternProperties)[0] as TSchema;
  const extra = schema.additionalProperties;
  return typeof extra === 'object' && extra !== null ? (extra as TSchema) : undefined;
}

/**
 * Sets, in place, every missing required scalar field of `value` (and of the objects in it) to
 * its zero value. The walk follows the schema, so its depth is the schema's, whatever the body's.
 */
export function writeZeroValues(schema: TSchema, value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  const s = memberFor(schema, value);
  if (s === undefined) return;
  if (Array.isArray(value)) {
    if (s.items !== undefined) for (const item of value) writeZeroValues(s.items as TSchema, item);
    return;
  }
  if (!isPlainObject(value)) return;
  if (s.properties === undefined) {
    const values = valuesSchema(s);
    if (values !== undefined) for (const v of Object.values(value)) writeZeroValues(values, v);
    return;
  }
  for (const key of (s.required as string[] | undefined) ?? []) {
    const child = s.properties[key] as TSchema | undefined;
    if (value[key] !== undefined || child === undefined) continue;
    const zero = zeroOf(child);
    if (zero !== undefined) value[key] = zero;
  }
  for (const [key, v] of Object.entries(value)) {
    const child = s.properties[key] as TSchema | undefined;
    if (child !== undefined) writeZeroValues(child, v);
  }
}
