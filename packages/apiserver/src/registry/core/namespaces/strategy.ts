// Namespaces: Active on create, always labelled with their own name, never deleted by a DELETE
// itself (it turns them Terminating; the namespace controller empties and finalizes them), and
// the initial ones never deleted at all.

import type { KubeObject } from '../../../storage/interface.js';
import { defineStrategy } from '../../default-strategy.js';
import { ageCol, col, nameCol } from '../../printing/columns.js';

/** The label every namespace carries (NetworkPolicy's namespaceSelector, `kubectl get ns -l`). */
export const namespaceNameLabel = 'kubernetes.io/metadata.name';

const immortalNamespaces = new Set(['default', 'kube-system', 'kube-public']);

/** As upstream's namespace strategy canonicalises it: a client can neither remove nor change the label. */
function labelWithName(ns: KubeObject): void {
  const m = (ns.metadata ??= {});
  if (typeof m.name !== 'string' || m.name === '') return;
  m.labels = { ...(m.labels ?? {}), [namespaceNameLabel]: m.name };
}

export const namespaceStrategy = defineStrategy({
  statusOnCreate: () => ({ phase: 'Active' }),
  canonicalize: labelWithName,
  refuseDelete: (name) => (immortalNamespaces.has(name) ? 'this namespace may not be deleted' : undefined),
  deletionFinishedByController: true,
  markDeleting(ns) {
    ns.status = { ...((ns.status as object) ?? {}), phase: 'Terminating' };
  },
  returnsDeletedObject: true,
  columns: [nameCol, col('Status', 'The status of the namespace.', (o) => o.status?.phase ?? 'Active'), ageCol],
});
