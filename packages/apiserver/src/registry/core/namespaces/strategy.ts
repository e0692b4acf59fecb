// Namespaces: Active on create, always labelled with their own name, holding the `kubernetes`
// finalizer in spec.finalizers from the start (which only `finalize` changes: a PUT or PATCH
// keeps the stored ones), never deleted by a DELETE itself (it turns them Terminating; the
// namespace controller empties them and finalizes them, and they go once spec.finalizers and
// metadata.finalizers are both empty), and the initial ones never deleted at all.

import type { KubeObject } from '../../../storage/interface.js';
import { defineStrategy } from '../../default-strategy.js';
import { ageCol, col, nameCol } from '../../printing/columns.js';

/** The label every namespace carries (NetworkPolicy's namespaceSelector, `kubectl get ns -l`). */
export const namespaceNameLabel = 'kubernetes.io/metadata.name';

/** The finalizer of the namespace controller, which deletes everything in the namespace. */
export const kubernetesFinalizer = 'kubernetes';

const immortalNamespaces = new Set(['default', 'kube-system', 'kube-public']);

interface NamespaceSpec {
  finalizers?: string[];
}

const specOf = (ns: KubeObject) => (ns.spec ?? {}) as NamespaceSpec;

/** As upstream's namespace strategy canonicalises it: a client can neither remove nor change the label. */
function labelWithName(ns: KubeObject): void {
  const m = (ns.metadata ??= {});
  if (typeof m.name !== 'string' || m.name === '') return;
  m.labels = { ...(m.labels ?? {}), [namespaceNameLabel]: m.name };
}

/** Upstream requires the `kubernetes` finalizer on create (not by defaulting: it may go later). */
function requireKubernetesFinalizer(ns: KubeObject): void {
  const finalizers = specOf(ns).finalizers ?? [];
  if (finalizers.includes(kubernetesFinalizer)) return;
  ns.spec = { ...specOf(ns), finalizers: [...finalizers, kubernetesFinalizer] };
}

/** spec.finalizers belong to the finalize subresource: an update of the namespace keeps the stored ones. */
function keepStoredFinalizers(next: KubeObject, old: KubeObject): void {
  const stored = specOf(old).finalizers;
  const spec: NamespaceSpec = { ...specOf(next) };
  if (stored === undefined) delete spec.finalizers;
  else spec.finalizers = stored;
  next.spec = spec;
}

const contentBeingRemoved = 'The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.';

export const namespaceStrategy = defineStrategy({
  statusOnCreate: () => ({ phase: 'Active' }),
  prepareForCreate: requireKubernetesFinalizer,
  prepareForUpdate: keepStoredFinalizers,
  canonicalize: labelWithName,
  refuseDelete: (name) => (immortalNamespaces.has(name) ? 'this namespace may not be deleted' : undefined),
  deletionHeldBy: (ns) => ((specOf(ns).finalizers ?? []).length > 0 ? contentBeingRemoved : undefined),
  markDeleting(ns) {
    ns.status = { ...((ns.status as object) ?? {}), phase: 'Terminating' };
  },
  returnsDeletedObject: true,
  columns: [nameCol, col('Status', 'The status of the namespace.', (o) => o.status?.phase ?? 'Active'), ageCol],
});
