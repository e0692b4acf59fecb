// What the Job controller needs of the batch/v1 Job (@kubets/api): its resource, upstream's
// finalizer and annotation names, and the spec fields with the defaults upstream assumes.

import type { Job } from '@kubets/api';
import type { ResourceTarget } from '@kubets/client';
import type { ControllerKind } from '../../controller/util/index.js';

export type { Job, JobCondition, JobStatus } from '@kubets/api';

export const jobsResource: ResourceTarget = { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true, kind: 'Job' };
export const jobKind: ControllerKind = { apiVersion: 'batch/v1', kind: 'Job' };

/** Upstream's batch.JobTrackingFinalizer: a finished pod keeps it until the Job has counted it. */
export const jobTrackingFinalizer = 'batch.kubernetes.io/job-tracking';
/** Upstream's batch.JobCompletionIndexAnnotation, also used as the label name. */
export const completionIndexAnnotation = 'batch.kubernetes.io/job-completion-index';
export const completionIndexEnvName = 'JOB_COMPLETION_INDEX';

export type JobConditionType = 'Suspended' | 'Complete' | 'Failed' | 'FailureTarget' | 'SuccessCriteriaMet';

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
