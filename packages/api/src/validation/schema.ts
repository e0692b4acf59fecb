// Type checking of decoded JSON against a kind's TypeBox schema. A type mismatch is a decoding
// failure upstream (400 BadRequest: "... cannot be handled as a Deployment: ..."), not a 422,
// so this reports it separately from the semantic validation of validate*.ts.

import { FormatRegistry, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { badRequest } from '../errors/status.js';

// TypeBox checks only formats it has been told about; metav1.Time is RFC 3339.
const rfc3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/i;
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (v) => rfc3339.test(v) && !Number.isNaN(Date.parse(v)));

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checkerFor(schema: TSchema): TypeCheck<TSchema> {
  let c = compiled.get(schema);
  if (c === undefined) {
    c = TypeCompiler.Compile(schema);
    compiled.set(schema, c);
  }
  return c;
}

/** `/spec/containers/0/name` -> `spec.containers[0].name` (JSON Pointer to the upstream field path). */
export function pointerToFieldPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${seg}]`;
  }
  return out;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
  if (typeof v === 'object') return 'object';
  return `${typeof v} ${String(v)}`;
}

function expected(schema: TSchema): string {
  if (schema.anyOf !== undefined) return (schema.anyOf as TSchema[]).map(expected).join(' or ');
  if (schema.type === 'object' && schema.patternProperties !== undefined) return 'object (map)';
  return String(schema.type ?? 'a different value');
}

export interface TypeProblem {
  field: string;
  message: string;
}

/** Every place where the value's JSON types disagree with the schema (at most `max`, one per field). */
export function typeProblems(schema: TSchema, value: unknown, max = 10): TypeProblem[] {
  const check = checkerFor(schema);
  if (check.Check(value)) return [];
  const out: TypeProblem[] = [];
  const seen = new Set<string>();
  for (const e of check.Errors(value)) {
    // A missing field is no decoding error: Go leaves it at its zero value (writeZeroValues),
    // and validation says which must be set (422), as kube-apiserver does.
    if (e.value === undefined) continue;
    const field = pointerToFieldPath(e.path);
    // A union reports its members' failures too; the first error at a path says enough.
    if (seen.has(field) || [...seen].some((s) => s === '' || field.startsWith(`${s}.`) || field.startsWith(`${s}[`))) continue;
    seen.add(field);
    out.push({ field: field === '' ? '<root>' : field, message: `expected ${expected(e.schema)}, got ${describe(e.value)}` });
    if (out.length >= max) break;
  }
  return out;
}

/**
 * Throws 400 BadRequest, worded as kube-apiserver's decoding errors, when `value` does not
 * have the JSON types of `kind`'s schema.
 */
export function assertDecodable(schema: TSchema, kind: string, version: string, value: unknown): void {
  const problems = typeProblems(schema, value);
  if (problems.length === 0) return;
  throw cannotBeHandled(kind, version, problems.map((p) => `${p.field}: ${p.message}`).join('; '));
}

/** A decoding failure as kube-apiserver words it: 400, `<Kind> in version "<v>" cannot be handled as a <Kind>: ...`. */
export function cannotBeHandled(kind: string, version: string, problem: string) {
  return badRequest(`${kind} in version ${JSON.stringify(version)} cannot be handled as a ${kind}: ${problem}`);
}

function childSchemaOf(schema: TSchema, key: string): TSchema | undefined | 'any' {
  if (schema.properties !== undefined && key in schema.properties) return schema.properties[key] as TSchema;
  if (schema.patternProperties !== undefined) return Object.values(schema.patternProperties)[0] as TSchema;
  if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) {
    return schema.additionalProperties === true ? 'any' : (schema.additionalProperties as TSchema);
  }
  if (schema.type !== 'object') return 'any';
  return undefined;
}

/**
 * Fields of `value` that `schema` does not declare, as upstream's strict decoding reports them
 * (`spec.template.spec.containers[0].imagePullPolicyy`). Used for `fieldValidation=Strict|Warn`.
 */
export function unknownFields(schema: TSchema, value: unknown, at = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  if (schema.anyOf !== undefined) {
    // Check against the first member whose type fits; unions here are scalars or int-or-string.
    const member = (schema.anyOf as TSchema[]).find((s) => (Array.isArray(value) ? s.type === 'array' : s.type === 'object'));
    return member === undefined ? [] : unknownFields(member, value, at);
  }
  if (Array.isArray(value)) {
    if (schema.items === undefined) return [];
    return value.flatMap((v, i) => unknownFields(schema.items as TSchema, v, `${at}[${i}]`));
  }
  if (schema.type !== 'object') return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const path = at === '' ? k : `${at}.${k}`;
    const child = childSchemaOf(schema, k);
    if (child === undefined) out.push(path);
    else if (child !== 'any') out.push(...unknownFields(child, v, path));
  }
  return out;
}
