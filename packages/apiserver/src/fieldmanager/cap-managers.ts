// Upstream's cap on Update entries (capManagersManager): when more than ten managers own fields
// through updates, the oldest are folded, per apiVersion, into one "ancient-changes" entry, so a
// long-lived object touched by many clients does not carry an entry for each of them. Apply
// entries are never folded: their owners must be able to apply again and see their own fields.

import { union } from './field-set.js';
import type { ManagerEntry } from './managed-fields.js';

export const maxUpdateManagers = 10;
export const ancientChangesManager = 'ancient-changes';

/** Upstream's manager identifier (the entry's JSON without time and fields), its tie-break. */
function identifier(e: ManagerEntry): string {
  const id: Record<string, string> = {};
  if (e.manager !== '') id.manager = e.manager;
  id.operation = e.operation;
  if (e.operation === 'Update' && e.apiVersion !== '') id.apiVersion = e.apiVersion;
  if (e.subresource !== undefined && e.subresource !== '') id.subresource = e.subresource;
  return JSON.stringify(id);
}

const seconds = (e: ManagerEntry) => (e.time === undefined ? 0 : Math.floor((Date.parse(e.time) || 0) / 1000));

const isBucket = (e: ManagerEntry) => e.manager === ancientChangesManager && e.operation === 'Update' && e.subresource === undefined;

export function capUpdateManagers(entries: ManagerEntry[], max = maxUpdateManagers): ManagerEntry[] {
  const updaters = entries.filter((e) => e.operation === 'Update');
  if (updaters.length <= max) return entries;
  // Oldest first (by whole seconds, as upstream compares them), then by identifier.
  updaters.sort((a, b) => seconds(a) - seconds(b) || (identifier(a) < identifier(b) ? -1 : identifier(a) > identifier(b) ? 1 : 0));
  const kept = new Set(entries);
  const buckets = new Map<string, ManagerEntry>();
  for (const e of entries) if (isBucket(e)) buckets.set(e.apiVersion, e);
  // The first (oldest) entry of each version stays as it is until a second one of that version
  // has to go: then both become the version's bucket.
  const firstOfVersion = new Map<string, ManagerEntry>();
  let count = updaters.length;
  for (const e of updaters) {
    if (count <= max) break;
    const first = firstOfVersion.get(e.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(e.apiVersion, e);
      continue;
    }
    let bucket = buckets.get(e.apiVersion);
    if (bucket === undefined) {
      kept.delete(first);
      bucket = { manager: ancientChangesManager, operation: 'Update', apiVersion: e.apiVersion, fields: first.fields };
      buckets.set(e.apiVersion, bucket);
      kept.add(bucket);
    } else if (bucket === e) {
      // The bucket itself came up after an older entry of its version: that one joins it.
      kept.delete(first);
      bucket.fields = union(bucket.fields, first.fields);
      firstOfVersion.set(e.apiVersion, bucket);
      count--;
      continue;
    }
    bucket.fields = union(bucket.fields, e.fields);
    // The time of the update merged in, the more recent one.
    if (e.time !== undefined) bucket.time = e.time;
    else delete bucket.time;
    kept.delete(e);
    count--;
  }
  return [...kept];
}
