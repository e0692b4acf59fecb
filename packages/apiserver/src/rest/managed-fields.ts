// Where the REST writes meet field management: the scope of a write, and metadata.managedFields
// set on the object about to be stored.

import { apiVersionOf, type ResourceInfo } from '@kubets/api';
import type { KubeObject } from '../storage/interface.js';
import { hasStatusSubresource } from '../registry/strategy.js';
import type { Scope } from '../fieldmanager/object-fields.js';
import type { ManagedFieldsEntry } from '../fieldmanager/managed-fields.js';
import { managedFieldsAfterUpdate } from '../fieldmanager/update.js';
import type { Target } from './update.js';

export function scopeFor(info: ResourceInfo, target: Target): Scope {
  return { kind: info.kind, target, statusSeparate: hasStatusSubresource(info) };
}

/** Sets managedFields as the last key of metadata (where every write puts it, so unchanged objects encode the same). */
export function setManagedFields(obj: KubeObject, entries: unknown): void {
  const m = (obj.metadata ??= {});
  delete m.managedFields;
  if (Array.isArray(entries) && entries.length > 0) m.managedFields = entries as ManagedFieldsEntry[];
}

/**
 * Records a create, update or non-apply patch by `manager` in `next`; `sent` is the
 * managedFields the client's object carried. Without a manager (the server's own writes:
 * binding, scale) the stored entries are kept as they are.
 */
export function recordWrite(info: ResourceInfo, target: Target, old: KubeObject | undefined, next: KubeObject, sent: unknown, manager: string | undefined, subresource?: string): void {
  if (manager === undefined) {
    setManagedFields(next, old?.metadata?.managedFields);
    return;
  }
  const entries = managedFieldsAfterUpdate(old, next, sent, { manager, apiVersion: apiVersionOf(info), subresource }, scopeFor(info, target));
  setManagedFields(next, entries);
}
