// managedFields after a create, update or non-apply patch: the writer's Update entry gains
// every field it added or changed, and every other manager loses the fields this write changed
// or removed (the writer takes them over, as upstream's forced update does).

import { nowTimestamp } from '../registry/strategy.js';
import type { KubeObject } from '../storage/interface.js';
import { difference, isEmpty, union } from './field-set.js';
import { decodeManagedFields, encodeManagedFields, identityOf, isReset, type ManagedFieldsEntry, type ManagerEntry } from './managed-fields.js';
import { capUpdateManagers } from './cap-managers.js';
import { compareObjects, type Scope } from './object-fields.js';

export interface Writer {
  manager: string;
  apiVersion: string;
  /** The subresource written through, when it is not the status target (scale). */
  subresource?: string | undefined;
}

/**
 * The entries a write starts from. Those the client sent count when they are valid and not
 * empty (that is how a client edits ownership); `[]` or `[{}]` clears them; anything else, and
 * any write to a subresource, keeps the stored ones, so clients unaware of managedFields
 * cannot drop them by accident.
 */
function baseEntries(stored: unknown, sent: unknown, scope: Scope): { entries: ManagerEntry[]; fromStored: boolean } {
  if (scope.target === 'main') {
    if (isReset(sent)) return { entries: [], fromStored: false };
    if (sent !== undefined && sent !== stored && JSON.stringify(sent) !== JSON.stringify(stored)) {
      const decoded = decodeManagedFields(sent);
      if (decoded !== undefined && decoded.length > 0) return { entries: decoded, fromStored: false };
    }
  }
  return { entries: decodeManagedFields(stored) ?? [], fromStored: true };
}

/**
 * The managedFields of `next`, written by `writer` over `old` (undefined on create). `sent` is
 * what the client put in metadata.managedFields; `stored` is what `old` holds.
 */
export function managedFieldsAfterUpdate(
  old: KubeObject | undefined,
  next: KubeObject,
  sent: unknown,
  writer: Writer,
  scope: Scope,
): ManagedFieldsEntry[] {
  const stored = old?.metadata?.managedFields;
  const { entries, fromStored } = baseEntries(stored, sent, scope);
  const cmp = compareObjects(old ?? {}, next, scope);
  const changed = union(cmp.added, cmp.modified);
  const removed = cmp.removed;
  // Nothing this write owns or takes away: the stored entries stay byte for byte.
  if (fromStored && isEmpty(changed) && isEmpty(removed) && Array.isArray(stored)) return stored as ManagedFieldsEntry[];
  const mine: ManagerEntry = { manager: writer.manager, operation: 'Update', apiVersion: writer.apiVersion, fields: changed };
  const subresource = writer.subresource ?? (scope.target === 'status' ? 'status' : undefined);
  if (subresource !== undefined) mine.subresource = subresource;
  const id = identityOf(mine);
  const out: ManagerEntry[] = [];
  let previous: ManagerEntry | undefined;
  for (const e of entries) {
    if (identityOf(e) === id) {
      previous = e;
      continue;
    }
    const fields = difference(difference(e.fields, changed), removed);
    if (!isEmpty(fields)) out.push(fields === e.fields ? e : { ...e, fields });
  }
  if (previous !== undefined) {
    mine.fields = union(difference(previous.fields, removed), changed);
    if (previous.time !== undefined) mine.time = previous.time;
  }
  if (!isEmpty(changed)) mine.time = nowTimestamp();
  if (!isEmpty(mine.fields)) out.push(mine);
  return encodeManagedFields(capUpdateManagers(out));
}
