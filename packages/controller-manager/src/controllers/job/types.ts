// The batch/v1 Job as the Job controller reads and writes it, with the names and defaults of
// k8s.io/api/batch/v1. Local until @kubets/api exports the kind; the fields mirror upstream's.

import type { LabelSelectorInput, ObjectMeta, PodTemplateSpec } from '@kubets/api';
import type { ResourceTarget } from '@kubets/client';

export const jobsResource: ResourceTarget = { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true, kind: 'Job' };

/** Upstream's batch.JobTrackingFinalizer: a finished pod keeps it until the Job has counted it. */
export const jobTrackingFinalizer = 'batch.kubernetes.io/job-tracking';
/** Upstream's batch.JobCompletionIndexAnnotation, also used as the label name. */
export const completionIndexAnnotation = 'batch.kubernetes.io/job-completion-index';
export const completionIndexEnvName = 'JOB_COMPLETION_INDEX';

export type CompletionMode = 'NonIndexed' | 'Indexed';
export type JobConditionType = 'Suspended' | 'Complete' | 'Failed' | 'FailureTarget' | 'SuccessCriteriaMet';

export type JobCondition = {
  type: JobConditionType | string;
  status: 'True' | 'False' | 'Unknown' | string;
  lastProbeTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
};

export type UncountedTerminatedPods = { succeeded?: string[]; failed?: string[] };

export type JobSpec = {
  parallelism?: number;
  completions?: number | null;
  activeDeadlineSeconds?: number;
  backoffLimit?: number;
  selector?: LabelSelectorInput;
  manualSelector?: boolean;
  template: PodTemplateSpec;
  ttlSecondsAfterFinished?: number;
  completionMode?: CompletionMode | string;
  suspend?: boolean;
  podReplacementPolicy?: 'TerminatingOrFailed' | 'Failed' | string;
  /** Not interpreted by this controller (see README): the pod failure policy is left out. */
  podFailurePolicy?: unknown;
  managedBy?: string;
};

export type JobStatus = {
  conditions?: JobCondition[];
  startTime?: string;
  completionTime?: string;
  active?: number;
  succeeded?: number;
  failed?: number;
  terminating?: number;
  completedIndexes?: string;
  failedIndexes?: string;
  uncountedTerminatedPods?: UncountedTerminatedPods;
  ready?: number;
};

export type Job = {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: JobSpec;
  status?: JobStatus;
};

/** The controller every Job without spec.managedBy (or with this value) belongs to. */
export const jobControllerName = 'kubernetes.io/job-controller';

export function isIndexedJob(job: Job): boolean {
  return job.spec?.completionMode === 'Indexed';
}

export function isSuspended(job: Job): boolean {
  return job.spec?.suspend === true;
}

/** spec.parallelism, 1 when the API server did not default it. */
export function parallelismOf(job: Job): number {
  return job.spec?.parallelism ?? 1;
}

/** spec.completions; undefined for a work-queue Job (parallelism set, completions not). */
export function completionsOf(job: Job): number | undefined {
  return job.spec?.completions ?? undefined;
}

/** spec.backoffLimit, 6 when not defaulted, as upstream's default. */
export function backoffLimitOf(job: Job): number {
  return job.spec?.backoffLimit ?? 6;
}

/** Upstream onlyReplaceFailedPods (without the pod failure policy): wait for terminating pods to fail. */
export function onlyReplaceFailedPods(job: Job): boolean {
  return job.spec?.podReplacementPolicy === 'Failed';
}
