// ObjectMeta validation, as upstream's ValidateObjectMeta: names, namespace, labels,
// annotations, owner references and finalizers.

import { type FieldError, FieldPath, fieldErrors } from '../errors/field.js';
import type { ObjectMeta } from '../schemas/meta.js';
import { type ValidateNameFunc, isDNS1123Label, isQualifiedName, validateAnnotations, validateLabels } from './names.js';

/** How a kind's names are checked: returns upstream's messages, empty when valid. */
export type NameValidator = ValidateNameFunc;

export interface MetaRules {
  namespaced: boolean;
  validateName: NameValidator;
}

const metaPath = FieldPath.root('metadata');

export function validateObjectMeta(meta: ObjectMeta | undefined, rules: MetaRules): FieldError[] {
  const errs: FieldError[] = [];
  const m = meta ?? {};
  if (m.generateName !== undefined && m.generateName !== '') {
    for (const msg of rules.validateName(m.generateName, true)) {
      errs.push(fieldErrors.invalid(metaPath.child('generateName'), m.generateName, msg));
    }
  }
  if (m.name === undefined || m.name === '') {
    if (m.generateName === undefined || m.generateName === '') {
      errs.push(fieldErrors.required(metaPath.child('name'), 'name or generateName is required'));
    }
  } else {
    for (const msg of rules.validateName(m.name, false)) errs.push(fieldErrors.invalid(metaPath.child('name'), m.name, msg));
  }
  if (rules.namespaced) {
    if (m.namespace === undefined || m.namespace === '') {
      errs.push(fieldErrors.required(metaPath.child('namespace')));
    } else {
      for (const msg of isDNS1123Label(m.namespace)) {
        errs.push(fieldErrors.invalid(metaPath.child('namespace'), m.namespace, msg));
      }
    }
  } else if (m.namespace !== undefined && m.namespace !== '') {
    errs.push(fieldErrors.forbidden(metaPath.child('namespace'), 'not allowed on this type'));
  }
  if (m.generation !== undefined && m.generation < 0) {
    errs.push(fieldErrors.invalid(metaPath.child('generation'), m.generation, 'must be greater than or equal to 0'));
  }
  errs.push(...validateLabels(m.labels ?? {}, metaPath.child('labels')));
  errs.push(...validateAnnotations(m.annotations ?? {}, metaPath.child('annotations')));
  errs.push(...validateOwnerReferences(m.ownerReferences ?? [], metaPath.child('ownerReferences')));
  errs.push(...validateFinalizers(m.finalizers ?? [], metaPath.child('finalizers')));
  return errs;
}

/** The version in an apiVersion (`apps/v1`, `v1`); empty when it does not parse as group/version. */
function versionOf(apiVersion: string): string {
  const parts = apiVersion.split('/');
  if (parts.length > 2) return '';
  return parts[parts.length - 1]!;
}

/**
 * As upstream's ValidateOwnerReferences (1.27-1.33): the paths name the list, not the entry
 * (`metadata.ownerReferences.uid`), and a second controller is reported where it is found.
 */
function validateOwnerReferences(refs: NonNullable<ObjectMeta['ownerReferences']>, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let firstController: string | undefined;
  for (const ref of refs) {
    const apiVersion = ref.apiVersion ?? '';
    if (versionOf(apiVersion) === '') errs.push(fieldErrors.invalid(path.child('apiVersion'), apiVersion, 'version must not be empty'));
    if (!ref.kind) errs.push(fieldErrors.invalid(path.child('kind'), ref.kind ?? '', 'kind must not be empty'));
    if (!ref.name) errs.push(fieldErrors.invalid(path.child('name'), ref.name ?? '', 'name must not be empty'));
    if (!ref.uid) errs.push(fieldErrors.invalid(path.child('uid'), ref.uid ?? '', 'uid must not be empty'));
    if (ref.controller !== true) continue;
    const controller = `${ref.kind}/${ref.name}`;
    if (firstController === undefined) firstController = controller;
    else errs.push(fieldErrors.invalid(path, refs, `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${controller}`));
  }
  return errs;
}

function validateFinalizers(finalizers: string[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  finalizers.forEach((f, i) => {
    for (const msg of isQualifiedName(f)) errs.push(fieldErrors.invalid(path.index(i), f, msg));
    if (seen.has(f)) errs.push(fieldErrors.duplicate(path.index(i), f));
    seen.add(f);
  });
  if (seen.has('orphan') && seen.has('foregroundDeletion')) {
    errs.push(fieldErrors.invalid(path, finalizers, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}
