// ReplicaSet, Deployment and Scale validation, as upstream's apps validation: a non-empty
// selector that matches the template's labels, a valid pod template with restartPolicy
// Always, and sane rollout parameters.

import { type FieldError, FieldPath, fieldErrors } from '../errors/field.js';
import type { LabelSelectorObject, IntOrString, PodTemplateSpec } from '../schemas/index.js';
import type { Deployment, ReplicaSet, Scale } from '../schemas/workloads.js';
import { labelSelectorFromObject, validateLabelSelector } from '../selectors/labels.js';
import { isValidPercent, validateLabels } from './names.js';
import { validatePodSpec } from './pod.js';

const spec = FieldPath.root('spec');

export function nonNegative(errs: FieldError[], at: FieldPath, v: number | undefined): void {
  if (v !== undefined && v < 0) errs.push(fieldErrors.invalid(at, v, 'must be greater than or equal to 0'));
}

function validateSelectorAndTemplate(
  selector: LabelSelectorObject | undefined,
  template: PodTemplateSpec | undefined,
): FieldError[] {
  const errs: FieldError[] = [];
  const selAt = spec.child('selector');
  const empty = selector === undefined ||
    (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);
  if (empty) errs.push(fieldErrors.invalid(selAt, selector ?? null, 'empty selector is invalid for deployment'));
  else errs.push(...validateLabelSelector(selector, selAt));
  const tAt = spec.child('template');
  if (template === undefined) {
    errs.push(fieldErrors.required(tAt));
    return errs;
  }
  const labels = template.metadata?.labels ?? {};
  errs.push(...validateLabels(labels, tAt.child('metadata').child('labels')));
  if (!empty && errs.length === 0 && !labelSelectorFromObject(selector).matches(labels)) {
    errs.push(fieldErrors.invalid(tAt.child('metadata').child('labels'), labels, '`selector` does not match template `labels`'));
  }
  const podAt = tAt.child('spec');
  errs.push(...validatePodSpec(template.spec, podAt));
  const policy = template.spec?.restartPolicy ?? 'Always';
  if (policy !== 'Always') errs.push(fieldErrors.notSupported(podAt.child('restartPolicy'), policy, ['Always']));
  if (template.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(fieldErrors.forbidden(podAt.child('activeDeadlineSeconds'), 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return errs;
}

export function validateReplicaSet(rs: ReplicaSet): FieldError[] {
  const errs: FieldError[] = [];
  nonNegative(errs, spec.child('replicas'), rs.spec?.replicas);
  nonNegative(errs, spec.child('minReadySeconds'), rs.spec?.minReadySeconds);
  errs.push(...validateSelectorAndTemplate(rs.spec?.selector, rs.spec?.template));
  return errs;
}

/** An IntOrString that must be a non-negative integer or a percentage; returns its integer or percent value. */
function validateIntOrPercent(v: IntOrString | undefined, at: FieldPath, errs: FieldError[]): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') {
    nonNegative(errs, at, v);
    return v;
  }
  const msgs = isValidPercent(v);
  for (const m of msgs) errs.push(fieldErrors.invalid(at, v, m));
  if (msgs.length > 0) return undefined;
  const pct = Number.parseInt(v.slice(0, -1), 10);
  if (pct > 100) errs.push(fieldErrors.invalid(at, v, 'must not be greater than 100%'));
  return pct;
}

export function validateDeployment(d: Deployment): FieldError[] {
  const errs: FieldError[] = [];
  const s = d.spec ?? {};
  nonNegative(errs, spec.child('replicas'), s.replicas);
  nonNegative(errs, spec.child('minReadySeconds'), s.minReadySeconds);
  nonNegative(errs, spec.child('revisionHistoryLimit'), s.revisionHistoryLimit);
  errs.push(...validateSelectorAndTemplate(s.selector, s.template));
  const strategy = s.strategy ?? {};
  const sAt = spec.child('strategy');
  const type = strategy.type ?? 'RollingUpdate';
  if (type === 'Recreate') {
    if (strategy.rollingUpdate !== undefined) {
      errs.push(fieldErrors.forbidden(sAt.child('rollingUpdate'), 'may not be specified when strategy `type` is \'Recreate\''));
    }
  } else if (type === 'RollingUpdate') {
    const ru = strategy.rollingUpdate ?? {};
    const surge = validateIntOrPercent(ru.maxSurge, sAt.child('rollingUpdate').child('maxSurge'), errs);
    const unavailable = validateIntOrPercent(ru.maxUnavailable, sAt.child('rollingUpdate').child('maxUnavailable'), errs);
    if (surge === 0 && unavailable === 0) {
      errs.push(fieldErrors.invalid(sAt.child('rollingUpdate').child('maxUnavailable'), ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
    }
  } else {
    errs.push(fieldErrors.notSupported(sAt.child('type'), type, ['Recreate', 'RollingUpdate']));
  }
  if (s.progressDeadlineSeconds !== undefined) {
    if (s.progressDeadlineSeconds <= 0) {
      errs.push(fieldErrors.invalid(spec.child('progressDeadlineSeconds'), s.progressDeadlineSeconds, 'must be greater than 0'));
    } else if (s.progressDeadlineSeconds <= (s.minReadySeconds ?? 0)) {
      errs.push(fieldErrors.invalid(spec.child('progressDeadlineSeconds'), s.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

export function validateScale(scale: Scale): FieldError[] {
  const errs: FieldError[] = [];
  nonNegative(errs, spec.child('replicas'), scale.spec?.replicas);
  return errs;
}
