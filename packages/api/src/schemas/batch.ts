// batch/v1 Job: pods run to completion, retried up to backoffLimit.

import { type Static, Type } from '@sinclair/typebox';
import { PodTemplateSpec } from './pod.js';
import { LabelSelector, Time, conditionSchema, objectSchema } from './meta.js';
import { described } from './describe.js';

export const JobSpec = Type.Object({
  parallelism: Type.Optional(Type.Integer({ description: 'The most pods the Job runs at once. Default 1.' })),
  completions: Type.Optional(Type.Integer({ description: 'How many pods must succeed for the Job to be complete. Default 1 when neither completions nor parallelism is set; unset means any one success completes it.' })),
  activeDeadlineSeconds: Type.Optional(Type.Integer({ description: 'Seconds the Job may be active (from startTime) before its pods are terminated and it fails with DeadlineExceeded.' })),
  backoffLimit: Type.Optional(Type.Integer({ description: 'How many pod failures to retry before the Job fails. Default 6.' })),
  backoffLimitPerIndex: Type.Optional(Type.Integer({ description: 'Indexed Jobs only: retries per index before that index fails. Immutable.' })),
  maxFailedIndexes: Type.Optional(Type.Integer({ description: 'With backoffLimitPerIndex: how many indexes may fail before the whole Job fails.' })),
  selector: Type.Optional(described(LabelSelector, 'Which pods belong to the Job. Normally the server generates it (batch.kubernetes.io/controller-uid); immutable.')),
  manualSelector: Type.Optional(Type.Boolean({ description: 'If true, the selector and the template labels are the client\'s to pick; otherwise the server generates labels unique to this Job. Default false.' })),
  template: Type.Optional(described(PodTemplateSpec, 'The pods to run; restartPolicy must be OnFailure or Never. Required.')),
  ttlSecondsAfterFinished: Type.Optional(Type.Integer({ description: 'Seconds after the Job finishes (Complete or Failed) until it may be deleted automatically. Unset: never.' })),
  completionMode: Type.Optional(Type.String({ description: 'NonIndexed (the default: completions successes of any pods) or Indexed (one success per index 0..completions-1). Immutable.' })),
  suspend: Type.Optional(Type.Boolean({ description: 'If true, the Job creates no pods, and deletes its active ones. Default false.' })),
  podReplacementPolicy: Type.Optional(Type.String({ description: 'When a replacement pod is created: TerminatingOrFailed (the default: as soon as a pod is terminating or failed) or Failed (only once it has fully terminated).' })),
  managedBy: Type.Optional(Type.String({ description: 'The controller that reconciles the Job; unset or kubernetes.io/job-controller is the built-in one. Immutable.' })),
}, { description: 'The desired state of a Job.' });
export type JobSpec = Static<typeof JobSpec>;

/** Complete, Failed, Suspended, FailureTarget or SuccessCriteriaMet, with when it was last checked. */
export const JobCondition = conditionSchema({ lastProbeTime: Type.Optional(described(Time, 'When the condition was last checked.')) });
export type JobCondition = Static<typeof JobCondition>;

export const UncountedTerminatedPods = Type.Object({
  succeeded: Type.Optional(Type.Array(Type.String(), { description: 'UIDs of succeeded pods not yet counted in status.succeeded.' })),
  failed: Type.Optional(Type.Array(Type.String(), { description: 'UIDs of failed pods not yet counted in status.failed.' })),
}, { description: 'Pods that have terminated but that the controller has not counted yet (their finalizer is being removed).' });

export const JobStatus = Type.Object({
  conditions: Type.Optional(Type.Array(JobCondition, { description: 'The latest observations: Complete or Failed (True) when the Job has finished.' })),
  startTime: Type.Optional(described(Time, 'When the Job controller started the Job (reset on each resume).')),
  completionTime: Type.Optional(described(Time, 'When the Job completed; set only on success.')),
  active: Type.Optional(Type.Integer({ description: 'How many pods are pending or running (and not terminating).' })),
  succeeded: Type.Optional(Type.Integer({ description: 'How many pods have succeeded.' })),
  failed: Type.Optional(Type.Integer({ description: 'How many pods have failed.' })),
  terminating: Type.Optional(Type.Integer({ description: 'How many pods are terminating (have a deletionTimestamp).' })),
  ready: Type.Optional(Type.Integer({ description: 'How many active pods are ready.' })),
  completedIndexes: Type.Optional(Type.String({ description: 'Indexed Jobs: the completed indexes, as ranges ("1,3-5,7").' })),
  failedIndexes: Type.Optional(Type.String({ description: 'Indexed Jobs with backoffLimitPerIndex: the failed indexes, as ranges.' })),
  uncountedTerminatedPods: Type.Optional(described(UncountedTerminatedPods, 'Terminated pods the controller has not counted yet.')),
}, { description: 'The observed state of a Job.' });
export type JobStatus = Static<typeof JobStatus>;

export const Job = objectSchema(
  'Job',
  {
    spec: Type.Optional(described(JobSpec, 'The pods to run, how many must succeed and how failures are retried.')),
    status: Type.Optional(described(JobStatus, 'How the Job stands, as last observed; read-only.')),
  },
  'Runs pods until a number of them succeed.',
);
export type Job = Static<typeof Job>;
