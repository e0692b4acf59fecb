// Rules that only an update can break: fields that may not change once set, as upstream's
// ValidateObjectMetaUpdate and the per-kind Validate*Update functions enforce them. The
// registry (registry/resources.ts) gives each kind its own; ResourceInfo.validateUpdate runs
// the metadata rules and the kind's.

import { isDeepStrictEqual } from 'node:util';
import { type FieldError, FieldPath, fieldErrors } from '../errors/field.js';

type Obj = Record<string, any>;

const immutable = 'field is immutable';

export function unchanged(errs: FieldError[], path: string, next: unknown, old: unknown, detail = immutable): void {
  if (!isDeepStrictEqual(next, old)) errs.push(fieldErrors.invalid(path, next ?? null, detail));
}

/** Pod specs may change only in images, activeDeadlineSeconds, tolerations (additions) and grace period. */
export function podUpdate(next: Obj, old: Obj, errs: FieldError[]): void {
  const masked = (spec: Obj | undefined) => {
    const s = structuredClone(spec ?? {});
    for (const list of ['containers', 'initContainers']) for (const c of s[list] ?? []) delete c.image;
    delete s.activeDeadlineSeconds;
    delete s.tolerations;
    delete s.terminationGracePeriodSeconds;
    return s;
  };
  if (!isDeepStrictEqual(masked(next.spec), masked(old.spec))) {
    errs.push(fieldErrors.forbidden('spec', 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)'));
  }
  const oldTolerations: unknown[] = old.spec?.tolerations ?? [];
  const nextTolerations: unknown[] = next.spec?.tolerations ?? [];
  if (oldTolerations.some((t) => !nextTolerations.some((n) => isDeepStrictEqual(n, t)))) {
    errs.push(fieldErrors.forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
  }
  if (old.spec?.nodeName && next.spec?.nodeName !== old.spec.nodeName) unchanged(errs, 'spec.nodeName', next.spec?.nodeName, old.spec.nodeName);
}

export function serviceUpdate(next: Obj, old: Obj, errs: FieldError[]): void {
  const oldIP = old.spec?.clusterIP;
  const newType = next.spec?.type ?? 'ClusterIP';
  if (oldIP && newType !== 'ExternalName' && next.spec?.clusterIP !== oldIP) {
    unchanged(errs, 'spec.clusterIP', next.spec?.clusterIP, oldIP, 'may not change once set');
  }
}

function configUpdate(next: Obj, old: Obj, errs: FieldError[], fields: string[]): void {
  if (old.immutable !== true) return;
  if (next.immutable !== true) errs.push(fieldErrors.forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) {
    if (!isDeepStrictEqual(next[f] ?? {}, old[f] ?? {})) errs.push(fieldErrors.forbidden(f, 'field is immutable when `immutable` is set'));
  }
}

export function configMapUpdate(next: Obj, old: Obj, errs: FieldError[]): void {
  configUpdate(next, old, errs, ['data', 'binaryData']);
}

export function secretUpdate(next: Obj, old: Obj, errs: FieldError[]): void {
  configUpdate(next, old, errs, ['data']);
  unchanged(errs, 'type', next.type ?? 'Opaque', old.type ?? 'Opaque');
}

/** Deployments and ReplicaSets: the selector is fixed for life. */
export function selectorUpdate(next: Obj, old: Obj, errs: FieldError[]): void {
  unchanged(errs, 'spec.selector', next.spec?.selector, old.spec?.selector);
}

export function nodeUpdate(next: Obj, old: Obj, errs: FieldError[]): void {
  if (old.spec?.podCIDR) unchanged(errs, 'spec.podCIDR', next.spec?.podCIDR, old.spec.podCIDR, 'node updates may not change podCIDR except from "" to valid');
}

/** Go's `%#v` of a []string, as upstream's messages print one: `[]string{"a", "b"}`. */
function goStringSlice(items: string[]): string {
  return `[]string{${items.map((i) => JSON.stringify(i)).join(', ')}}`;
}

/** Once deletion has started, finalizers may only be removed (upstream's ValidateNoNewFinalizers). */
function noNewFinalizersWhileDeleting(next: Obj, old: Obj, errs: FieldError[]): void {
  if (old.metadata?.deletionTimestamp === undefined) return;
  const before = new Set<string>(old.metadata?.finalizers ?? []);
  const added = [...new Set<string>(next.metadata?.finalizers ?? [])].filter((f) => !before.has(f)).sort();
  if (added.length === 0) return;
  errs.push(fieldErrors.forbidden('metadata.finalizers', `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(added)}`));
}

/** A kind's own update rules, pushing what they find onto `errs`. */
export type KindUpdateRules = (next: Obj, old: Obj, errs: FieldError[]) => void;

/** Every field error an update from `old` to `next` makes: ObjectMeta's rules, then the kind's. */
export function validateUpdateWith(kindRules: KindUpdateRules | undefined, next: Obj, old: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const meta = FieldPath.root('metadata');
  unchanged(errs, String(meta.child('name')), next.metadata?.name, old.metadata?.name);
  unchanged(errs, String(meta.child('namespace')), next.metadata?.namespace, old.metadata?.namespace);
  unchanged(errs, String(meta.child('uid')), next.metadata?.uid, old.metadata?.uid);
  unchanged(errs, String(meta.child('creationTimestamp')), next.metadata?.creationTimestamp, old.metadata?.creationTimestamp);
  noNewFinalizersWhileDeleting(next, old, errs);
  kindRules?.(next, old, errs);
  return errs;
}
