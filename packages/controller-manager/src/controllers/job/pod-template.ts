// The pod a Job makes, as upstream's GetPodFromTemplate plus the Job controller's additions:
// the template's labels, annotations and spec; generateName `<job>-`; the Job as controller
// owner; the tracking finalizer; and for an Indexed Job its completion index as annotation and
// label, hostname `<job>-<index>`, generateName `<job>-<index>-` and JOB_COMPLETION_INDEX.

import type { Container, Pod } from '@kubets/api';
import { newControllerRef, podFromTemplate } from '../../controller/util/index.js';
import { completionIndexAnnotation, completionIndexEnvName, jobKind, jobTrackingFinalizer, type Job } from './types.js';

/** Upstream names.MaxGeneratedNameLength: 63 less the five random characters. */
const maxGeneratedNameLength = 58;

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

function addCompletionIndex(pod: Pod, jobName: string, index: number): void {
  const m = pod.metadata!;
  m.annotations = { ...m.annotations, [completionIndexAnnotation]: String(index) };
  m.labels = { ...m.labels, [completionIndexAnnotation]: String(index) };
  m.generateName = generateNameFor(jobName, index);
  const spec = pod.spec!;
  spec.hostname = `${jobName}-${index}`;
  spec.containers = spec.containers.map(withCompletionIndexEnv);
  if (spec.initContainers !== undefined) spec.initContainers = spec.initContainers.map(withCompletionIndexEnv);
}

export function podForJob(job: Job, index: number | undefined): Pod {
  const name = job.metadata?.name ?? '';
  const template = { ...job.spec?.template, spec: job.spec?.template?.spec ?? { containers: [] } };
  const pod = podFromTemplate(template, name, job.metadata?.namespace ?? '', newControllerRef(job, jobKind));
  const finalizers = pod.metadata!.finalizers ?? [];
  if (!finalizers.includes(jobTrackingFinalizer)) pod.metadata!.finalizers = [...finalizers, jobTrackingFinalizer];
  if (index !== undefined) addCompletionIndex(pod, name, index);
  return pod;
}
