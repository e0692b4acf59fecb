// metadata.managedFields in upstream's format: one entry per manager, operation (Apply or
// Update) and subresource, each with the set of fields it owns as fieldsV1 JSON. Update
// entries are also told apart by apiVersion; Apply entries are not, so an applier keeps one
// entry across versions.

import { fromFieldsV1, toFieldsV1, type FieldSet, type FieldsV1 } from './field-set.js';

export type Operation = 'Apply' | 'Update';

export interface ManagerEntry {
  manager: string;
  operation: Operation;
  apiVersion: string;
  time?: string;
  subresource?: string;
  fields: FieldSet;
}

/** The wire shape, as stored in metadata.managedFields. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: FieldsV1;
  subresource?: string;
}

export function identityOf(e: { manager: string; operation: Operation; apiVersion: string; subresource?: string | undefined }): string {
  return JSON.stringify([e.manager, e.operation, e.operation === 'Apply' ? '' : e.apiVersion, e.subresource ?? '']);
}

const isString = (v: unknown) => v === undefined || typeof v === 'string';

/**
 * Entries decoded from managedFields; undefined when they are not valid (an entry with an
 * unknown operation or fieldsType, malformed fieldsV1, two entries of the same identity).
 */
export function decodeManagedFields(raw: unknown): ManagerEntry[] | undefined {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) return undefined;
  const out: ManagerEntry[] = [];
  const seen = new Set<string>();
  for (const r of raw as unknown[]) {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) return undefined;
    const e = r as Record<string, unknown>;
    if (!isString(e.manager) || !isString(e.apiVersion) || !isString(e.time) || !isString(e.subresource)) return undefined;
    if (e.operation !== 'Apply' && e.operation !== 'Update') return undefined;
    if (e.fieldsType !== 'FieldsV1') return undefined;
    const fields = fromFieldsV1(e.fieldsV1 ?? {});
    if (fields === undefined) return undefined;
    const entry: ManagerEntry = { manager: (e.manager as string | undefined) ?? '', operation: e.operation, apiVersion: (e.apiVersion as string | undefined) ?? '', fields };
    if (e.time !== undefined) entry.time = e.time as string;
    if (e.subresource !== undefined && e.subresource !== '') entry.subresource = e.subresource as string;
    const id = identityOf(entry);
    if (seen.has(id)) return undefined;
    seen.add(id);
    out.push(entry);
  }
  return out;
}

/** `[]` or `[{}]` sent on a non-apply write: the client asks for managedFields to be cleared. */
export function isReset(raw: unknown): boolean {
  if (!Array.isArray(raw)) return false;
  if (raw.length === 0) return true;
  const only = raw[0] as unknown;
  return raw.length === 1 && typeof only === 'object' && only !== null && Object.keys(only).length === 0;
}

// Upstream's order: Apply before Update, then oldest first, then by manager, version, subresource.
function order(a: ManagerEntry, b: ManagerEntry): number {
  const by = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return (
    by(a.operation, b.operation) ||
    by(a.time ?? '', b.time ?? '') ||
    by(a.manager, b.manager) ||
    by(a.apiVersion, b.apiVersion) ||
    by(a.subresource ?? '', b.subresource ?? '')
  );
}

export function encodeManagedFields(entries: ManagerEntry[]): ManagedFieldsEntry[] {
  return [...entries].sort(order).map((e) => {
    const out: ManagedFieldsEntry = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion };
    if (e.time !== undefined) out.time = e.time;
    out.fieldsType = 'FieldsV1';
    out.fieldsV1 = toFieldsV1(e.fields);
    if (e.subresource !== undefined) out.subresource = e.subresource;
    return out;
  });
}
