// A pod made from a controller's template (upstream GetPodFromTemplate): the template's
// labels, annotations, finalizers and spec, a generateName of `<owner>-`, and the controller
// reference. The server picks the name, so creates never collide.

import type { OwnerReference, Pod } from '@kubets/api';

type PodTemplate = { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] }; spec?: Pod['spec'] };

export function podFromTemplate(template: PodTemplate, ownerName: string, namespace: string, controllerRef: OwnerReference): Pod {
  const meta = template.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${ownerName}-`,
      namespace,
      labels: { ...meta.labels },
      ownerReferences: [controllerRef],
    },
    spec: structuredClone(template.spec) as Pod['spec'],
  };
  if (meta.annotations !== undefined) pod.metadata!.annotations = { ...meta.annotations };
  if (meta.finalizers !== undefined) pod.metadata!.finalizers = [...meta.finalizers];
  return pod;
}

/** Upstream refuses to create a pod no selector could ever match. */
export function checkPodHasLabels(pod: Pod): void {
  if (Object.keys(pod.metadata?.labels ?? {}).length === 0) throw new Error('unable to create pods, no labels');
}
