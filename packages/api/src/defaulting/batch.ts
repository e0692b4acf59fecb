// Job defaults, as upstream's SetDefaults_Job (batch/v1).

import type { Job } from '../schemas/batch.js';
import { defaultPodSpec } from './pod.js';

/** backoffLimit when backoffLimitPerIndex is set: retries are counted per index instead (math.MaxInt32). */
const unlimitedBackoff = 2_147_483_647;

export function defaultJob(job: Job): void {
  job.spec ??= {};
  const spec = job.spec;
  // A non-parallel Job may leave both unset: both become 1.
  if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? unlimitedBackoff : 6;
  // The Job takes its template's labels when it has none of its own.
  const templateLabels = spec.template?.metadata?.labels;
  if (templateLabels !== undefined && Object.keys(job.metadata?.labels ?? {}).length === 0) {
    job.metadata ??= {};
    job.metadata.labels = { ...templateLabels };
  }
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= 'TerminatingOrFailed';
  spec.manualSelector ??= false;
  defaultPodSpec(spec.template?.spec);
}
