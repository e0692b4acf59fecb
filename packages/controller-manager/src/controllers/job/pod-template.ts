// The pod a Job makes, as upstream's GetPodFromTemplate plus the Job controller's additions:
// the template's labels, annotations and spec; generateName `<job>-`; the Job as controller
// owner; the tracking finalizer; and for an Indexed Job its completion index as annotation and
// label, hostname `<job>-<index>`, generateName `<job>-<index>-` and JOB_COMPLETION_INDEX.

import type { Container, OwnerReference, Pod } from '@kubets/api';
import { completionIndexAnnotation, completionIndexEnvName, jobTrackingFinalizer, type Job } from './types.js';

/** Upstream names.MaxGeneratedNameLength: 63 less the five random characters. */
const maxGeneratedNameLength = 58;

export function controllerRefTo(job: Job): OwnerReference {
  return { apiVersion: 'batch/v1', kind: 'Job', name: job.metadata?.name ?? '', uid: job.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
}

export function generateNameFor(jobName: string, index: number | undefined): string {
  if (index === undefined) return `${jobName}-`;
  const suffix = `-${index}-`;
  const prefix = jobName + suffix;
  return prefix.length > maxGeneratedNameLength ? jobName.slice(0, maxGeneratedNameLength - suffix.length) + suffix : prefix;
}

/** The env var upstream injects, reading the index from the pod's label (PodIndexLabel, GA in 1.32). */
function withCompletionIndexEnv(c: Container): Container {
  if (c.env?.some((e) => e.name === completionIndexEnvName)) return c;
  const valueFrom = { fieldRef: { fieldPath: `metadata.labels['${completionIndexAnnotation}']` } };
  return { ...c, env: [...(c.env ?? []), { name: completionIndexEnvName, valueFrom }] };
}

export function podForJob(job: Job, index: number | undefined): Pod {
  const template = structuredClone(job.spec?.template ?? {});
  const labels: Record<string, string> = { ...(template.metadata?.labels ?? {}) };
  const annotations: Record<string, string> = { ...(template.metadata?.annotations ?? {}) };
  const finalizers = [...(template.metadata?.finalizers ?? [])];
  if (!finalizers.includes(jobTrackingFinalizer)) finalizers.push(jobTrackingFinalizer);
  const spec = template.spec ?? { containers: [] };
  if (index !== undefined) {
    annotations[completionIndexAnnotation] = String(index);
    labels[completionIndexAnnotation] = String(index);
    spec.hostname = `${job.metadata?.name ?? ''}-${index}`;
    spec.containers = spec.containers.map(withCompletionIndexEnv);
    if (spec.initContainers !== undefined) spec.initContainers = spec.initContainers.map(withCompletionIndexEnv);
  }
  const metadata: NonNullable<Pod['metadata']> = {
    generateName: generateNameFor(job.metadata?.name ?? '', index),
    namespace: job.metadata?.namespace ?? '',
    labels,
    finalizers,
    ownerReferences: [controllerRefTo(job)],
  };
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}
