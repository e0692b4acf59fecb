// The pod facts the endpoint controllers read, as upstream's pkg/api/v1/pod helpers (which
// k8s.io/endpointslice/util copies): a pod is ready when its Ready condition is True, and
// terminal once it Succeeded or Failed, after which it never runs again.
// The shared pod helpers of src/controller/util/ may replace these at merge.

import type { Pod } from '@kubets/api';

export type PodCondition = NonNullable<NonNullable<Pod['status']>['conditions']>[number];

export function podReadyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

export function isPodReady(pod: Pod): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

export function isPodTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}
