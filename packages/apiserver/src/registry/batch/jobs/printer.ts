// `kubectl get jobs` columns, as upstream's job printer derives them.

import { age, humanDuration } from '../../../http/human-duration.js';
import { ageCol, col, nameCol, wideWorkload } from '../../printing/columns.js';

function hasCondition(job: any, type: string): boolean {
  return (job.status?.conditions ?? []).some((c: any) => c.type === type && c.status === 'True');
}

/** A finished Job's outcome first, then Terminating, then the conditions of a Job still running. */
export function jobStatus(job: any): string {
  if (hasCondition(job, 'Complete')) return 'Complete';
  if (hasCondition(job, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  for (const type of ['Suspended', 'FailureTarget', 'SuccessCriteriaMet']) if (hasCondition(job, type)) return type;
  return 'Running';
}

/** `succeeded/completions`; without completions any one success completes it: `0/1`, or `0/1 of 3` when parallel. */
export function jobCompletions(job: any): string {
  const succeeded = job.status?.succeeded ?? 0;
  if (job.spec?.completions !== undefined) return `${succeeded}/${job.spec.completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** From startTime to completionTime, or to now while the Job runs; empty before it started. */
export function jobDuration(job: any, now: number): string {
  const start = job.status?.startTime;
  if (start === undefined) return '';
  const completion = job.status?.completionTime;
  if (completion === undefined) return age(start, now);
  return humanDuration(Date.parse(completion) - Date.parse(start));
}

export const jobColumns = [
  nameCol,
  col('Status', 'Status of the job.', (o) => jobStatus(o)),
  col('Completions', 'The number of pods which reached phase Succeeded.', (o) => jobCompletions(o)),
  col('Duration', 'Time required to complete the job.', (o, now) => jobDuration(o, now)),
  ageCol,
  ...wideWorkload,
];
