// Job validation, as upstream's batch validation (ValidateJob, ValidateJobUpdate): counts that
// cannot be negative, a pod template that runs to completion (restartPolicy OnFailure or
// Never), a selector that matches the template (the server-generated one unless
// manualSelector), and the fields that never change once the Job exists.

import { isDeepStrictEqual } from 'node:util';
import { type FieldError, FieldPath, fieldErrors } from '../errors/field.js';
import type { Job, JobSpec } from '../schemas/batch.js';
import { labelSelectorFromObject, validateLabelSelector } from '../selectors/labels.js';
import { validateLabels } from './names.js';
import { validatePodSpec } from './pod.js';
import { unchanged } from './update.js';
import { nonNegative } from './workloads.js';

/** The labels the server puts on a Job's pods and selects them by, unless manualSelector. */
export const jobLabels = {
  controllerUid: 'batch.kubernetes.io/controller-uid',
  jobName: 'batch.kubernetes.io/job-name',
  legacyControllerUid: 'controller-uid',
  legacyJobName: 'job-name',
} as const;

export const completionModes = ['NonIndexed', 'Indexed'] as const;
export const podReplacementPolicies = ['TerminatingOrFailed', 'Failed'] as const;
const jobRestartPolicies = ['OnFailure', 'Never'];
/** Upstream's cap on parallelism for Indexed Jobs. */
const maxParallelismForIndexed = 100_000;

const spec = FieldPath.root('spec');
const templateMeta = spec.child('template').child('metadata');

function notOneOf(errs: FieldError[], at: FieldPath, value: string | undefined, supported: readonly string[]): void {
  if (value !== undefined && !supported.includes(value)) errs.push(fieldErrors.notSupported(at, value, supported));
}

function validateCounts(s: JobSpec, errs: FieldError[]): void {
  nonNegative(errs, spec.child('parallelism'), s.parallelism);
  nonNegative(errs, spec.child('completions'), s.completions);
  nonNegative(errs, spec.child('activeDeadlineSeconds'), s.activeDeadlineSeconds);
  nonNegative(errs, spec.child('backoffLimit'), s.backoffLimit);
  nonNegative(errs, spec.child('backoffLimitPerIndex'), s.backoffLimitPerIndex);
  nonNegative(errs, spec.child('maxFailedIndexes'), s.maxFailedIndexes);
  nonNegative(errs, spec.child('ttlSecondsAfterFinished'), s.ttlSecondsAfterFinished);
}

function validateCompletionMode(s: JobSpec, errs: FieldError[]): void {
  notOneOf(errs, spec.child('completionMode'), s.completionMode, completionModes);
  if (s.completionMode !== 'Indexed') {
    if (s.backoffLimitPerIndex !== undefined) errs.push(fieldErrors.forbidden(spec.child('backoffLimitPerIndex'), 'requires indexed completion mode'));
    return;
  }
  if (s.completions === undefined) errs.push(fieldErrors.required(spec.child('completions'), 'when completion mode is Indexed'));
  if (s.parallelism !== undefined && s.parallelism > maxParallelismForIndexed) {
    errs.push(fieldErrors.invalid(spec.child('parallelism'), s.parallelism, `must be less than or equal to ${maxParallelismForIndexed} when completion mode is Indexed`));
  }
}

function validateSelectorAndTemplate(s: JobSpec, errs: FieldError[]): void {
  const labels = s.template?.metadata?.labels ?? {};
  errs.push(...validateLabels(labels, templateMeta.child('labels')));
  if (s.selector === undefined) errs.push(fieldErrors.required(spec.child('selector')));
  else {
    const selectorErrs = validateLabelSelector(s.selector, spec.child('selector'));
    errs.push(...selectorErrs);
    if (selectorErrs.length === 0 && !labelSelectorFromObject(s.selector).matches(labels)) {
      errs.push(fieldErrors.invalid(templateMeta.child('labels'), labels, '`selector` does not match template `labels`'));
    }
  }
  const podAt = spec.child('template').child('spec');
  errs.push(...validatePodSpec(s.template?.spec, podAt));
  const policy = s.template?.spec?.restartPolicy ?? '';
  if (!jobRestartPolicies.includes(policy)) errs.push(fieldErrors.notSupported(podAt.child('restartPolicy'), policy, jobRestartPolicies));
}

function hasLabel(errs: FieldError[], labels: Record<string, string>, key: string, expected: string): void {
  const at = templateMeta.child('labels').key(key);
  if (labels[key] === undefined) errs.push(fieldErrors.required(at, `must be '${expected}'`));
  else if (labels[key] !== expected) errs.push(fieldErrors.invalid(at, labels[key], `must be '${expected}'`));
}

/** Where the server generated the selector, the template must carry its labels (upstream's ValidateGeneratedSelector). */
function validateGeneratedSelector(job: Job, errs: FieldError[]): void {
  const uid = job.metadata?.uid ?? '';
  const name = job.metadata?.name ?? '';
  if (uid === '') errs.push(fieldErrors.required(FieldPath.root('metadata').child('uid')));
  const labels = job.spec?.template?.metadata?.labels ?? {};
  hasLabel(errs, labels, jobLabels.legacyControllerUid, uid);
  hasLabel(errs, labels, jobLabels.legacyJobName, name);
  hasLabel(errs, labels, jobLabels.controllerUid, uid);
  hasLabel(errs, labels, jobLabels.jobName, name);
  const selector = job.spec?.selector;
  if (selector !== undefined && validateLabelSelector(selector, spec.child('selector')).length === 0 &&
      !labelSelectorFromObject(selector).matches({ [jobLabels.controllerUid]: uid })) {
    errs.push(fieldErrors.invalid(spec.child('selector'), selector, '`selector` not auto-generated'));
  }
}

function validateStatusCounts(job: Job, errs: FieldError[]): void {
  const status = job.status ?? {};
  const at = FieldPath.root('status');
  for (const f of ['active', 'succeeded', 'failed', 'ready', 'terminating'] as const) nonNegative(errs, at.child(f), status[f]);
}

export function validateJob(job: Job): FieldError[] {
  const errs: FieldError[] = [];
  const s = job.spec ?? {};
  if (job.spec?.manualSelector !== true) validateGeneratedSelector(job, errs);
  validateCounts(s, errs);
  validateCompletionMode(s, errs);
  notOneOf(errs, spec.child('podReplacementPolicy'), s.podReplacementPolicy, podReplacementPolicies);
  if (s.template === undefined) errs.push(fieldErrors.required(spec.child('template')));
  validateSelectorAndTemplate(s, errs);
  validateStatusCounts(job, errs);
  return errs;
}

type Obj = Record<string, any>;

/** The template fields a suspended Job that never started may change (upstream's mutable scheduling directives). */
function withoutSchedulingDirectives(template: Obj | undefined): Obj {
  const t = structuredClone(template ?? {});
  if (t.metadata !== undefined) {
    delete t.metadata.labels;
    delete t.metadata.annotations;
  }
  for (const f of ['nodeSelector', 'affinity', 'tolerations', 'schedulingGates']) delete t.spec?.[f];
  return t;
}

function templateUpdate(next: Obj, old: Obj, errs: FieldError[]): void {
  const mayReschedule = old.spec?.suspend === true && old.status?.startTime === undefined;
  const before = mayReschedule ? withoutSchedulingDirectives(old.spec?.template) : old.spec?.template;
  const after = mayReschedule ? withoutSchedulingDirectives(next.spec?.template) : next.spec?.template;
  if (!isDeepStrictEqual(after, before)) errs.push(fieldErrors.invalid(spec.child('template'), next.spec?.template ?? null, 'field is immutable'));
}

/** Indexed Jobs are elastic: completions may change together with parallelism (kept equal). */
function completionsUpdate(next: Obj, old: Obj, errs: FieldError[]): void {
  const elastic = next.spec?.completionMode === 'Indexed' && next.spec?.completions === next.spec?.parallelism;
  if (!elastic) unchanged(errs, String(spec.child('completions')), next.spec?.completions, old.spec?.completions);
}

export function jobUpdate(next: Obj, old: Obj, errs: FieldError[]): void {
  unchanged(errs, String(spec.child('selector')), next.spec?.selector, old.spec?.selector);
  templateUpdate(next, old, errs);
  completionsUpdate(next, old, errs);
  unchanged(errs, String(spec.child('completionMode')), next.spec?.completionMode, old.spec?.completionMode);
  unchanged(errs, String(spec.child('backoffLimitPerIndex')), next.spec?.backoffLimitPerIndex, old.spec?.backoffLimitPerIndex);
  unchanged(errs, String(spec.child('managedBy')), next.spec?.managedBy, old.spec?.managedBy);
}
