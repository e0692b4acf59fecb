// What a hollow node reports for a pod bound to it: Running and Ready at once, every container
// running, ready and started, as if its processes had started (kubemark's fake runtime). Pure:
// the status from the pod, the addresses and the time, keeping times already reported.
import type { Pod, PodStatus } from '@kubets/api';

type PodCondition = NonNullable<PodStatus['conditions']>[number];
type ContainerStatus = NonNullable<PodStatus['containerStatuses']>[number];

export const hollowRuntime = 'kubets-process';
const readyConditionTypes = ['PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready', 'PodScheduled'];

function trueCondition(type: string, previous: PodCondition | undefined, now: string): PodCondition {
  if (previous?.status === 'True') return previous;
  return { type, status: 'True', lastProbeTime: null, lastTransitionTime: now };
}

function containerId(pod: Pod, name: string): string {
  return `${hollowRuntime}://hollow-${pod.metadata?.uid ?? ''}-${name}`;
}

function runningStatus(pod: Pod, c: { name: string; image?: string }, previous: ContainerStatus | undefined, startedAt: string): ContainerStatus {
  const image = c.image ?? '';
  return {
    name: c.name,
    state: { running: { startedAt: previous?.state?.running?.startedAt ?? startedAt } },
    lastState: {},
    ready: true,
    started: true,
    restartCount: 0,
    image,
    imageID: `${hollowRuntime}://hollow/${image}`,
    containerID: containerId(pod, c.name),
  };
}

function completedInitStatus(pod: Pod, c: { name: string; image?: string }, previous: ContainerStatus | undefined, at: string): ContainerStatus {
  const image = c.image ?? '';
  const done = previous?.state?.terminated;
  return {
    name: c.name,
    state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: done?.startedAt ?? at, finishedAt: done?.finishedAt ?? at, containerID: containerId(pod, c.name) } },
    lastState: {},
    ready: true,
    started: false,
    restartCount: 0,
    image,
    imageID: `${hollowRuntime}://hollow/${image}`,
    containerID: containerId(pod, c.name),
  };
}

/** The status a hollow node reports for the pod at `now` (RFC 3339). */
export function hollowPodStatus(pod: Pod, addresses: { hostIP: string; podIP: string }, now: string): PodStatus {
  const current = pod.status ?? {};
  const byType = new Map((current.conditions ?? []).map((c) => [c.type, c]));
  const previousOf = (list: ContainerStatus[] | undefined, name: string) => list?.find((s) => s.name === name);
  const startTime = current.startTime ?? now;
  return {
    ...current,
    phase: 'Running',
    conditions: readyConditionTypes.map((type) => trueCondition(type, byType.get(type), now)),
    hostIP: addresses.hostIP,
    hostIPs: [{ ip: addresses.hostIP }],
    podIP: addresses.podIP,
    podIPs: [{ ip: addresses.podIP }],
    startTime,
    initContainerStatuses: (pod.spec?.initContainers ?? []).map((c) => completedInitStatus(pod, c, previousOf(current.initContainerStatuses, c.name), startTime)),
    containerStatuses: (pod.spec?.containers ?? []).map((c) => runningStatus(pod, c, previousOf(current.containerStatuses, c.name), startTime)),
  };
}

/** Whether the pod's status already says what the hollow node would (so no write is needed). */
export function alreadyReported(pod: Pod, desired: PodStatus): boolean {
  const s = pod.status ?? {};
  if (s.phase !== desired.phase || s.podIP !== desired.podIP || s.hostIP !== desired.hostIP) return false;
  const trueTypes = new Set((s.conditions ?? []).filter((c) => c.status === 'True').map((c) => c.type));
  if (!readyConditionTypes.every((t) => trueTypes.has(t))) return false;
  const same = (a: ContainerStatus[] | undefined, b: ContainerStatus[] | undefined) =>
    (a ?? []).length === (b ?? []).length && (a ?? []).every((x, i) => x.name === b?.[i]?.name && x.ready === b[i]!.ready && x.containerID === b[i]!.containerID);
  return same(s.containerStatuses, desired.containerStatuses) && same(s.initContainerStatuses, desired.initContainerStatuses);
}
