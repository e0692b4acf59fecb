// Which run of a container `/containerLogs` shows, from the pod's status, as upstream's
// validateContainerLogStatus chooses (pkg/kubelet/kubelet_pods.go): with `previous` the last
// terminated run, else the running one, else the one that ended, else the previous one; and the
// same messages when there is none. A run is named by its container ID and by its attempt (its
// restart count then), which places its log file: `<container>/<attempt>.log`.
import type { ContainerStatus, Pod } from '@kubets/api';

export type LogRunChoice = { containerId: string; attempt: number } | { error: string };

function statusOf(pod: Pod, container: string): ContainerStatus | undefined {
  const all = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  return all.find((s) => s.name === container);
}

function waitingMessage(container: string, podName: string, reason: string | undefined): string {
  if (reason === 'ErrImagePull') return `container "${container}" in pod "${podName}" is waiting to start: image can't be pulled`;
  if (reason === 'ImagePullBackOff') return `container "${container}" in pod "${podName}" is waiting to start: trying and failing to pull image`;
  return `container "${container}" in pod "${podName}" is waiting to start: ${reason ?? ''}`;
}

export function selectLogRun(pod: Pod, container: string, previous: boolean): LogRunChoice {
  const podName = pod.metadata?.name ?? '';
  const s = statusOf(pod, container);
  if (s === undefined) return { error: `container "${container}" in pod "${podName}" is not available` };
  const last = s.lastState?.terminated;
  // The last terminated run is the one before the current attempt.
  const lastRun = last?.containerID ? { containerId: last.containerID, attempt: Math.max(0, s.restartCount - 1) } : undefined;
  const terminatedMessage = `container "${container}" in pod "${podName}" is terminated`;
  if (previous) return lastRun ?? { error: `previous terminated container "${container}" in pod "${podName}" not found` };
  if (s.state?.running !== undefined) return { containerId: s.containerID ?? '', attempt: s.restartCount };
  const ended = s.state?.terminated;
  if (ended !== undefined) {
    if (ended.containerID) return { containerId: ended.containerID, attempt: s.restartCount };
    return lastRun ?? { error: terminatedMessage };
  }
  if (last !== undefined) return lastRun ?? { error: terminatedMessage };
  if (s.state?.waiting !== undefined) return { error: waitingMessage(container, podName, s.state.waiting.reason) };
  return { error: `container "${container}" in pod "${podName}" is waiting to start - no logs yet` };
}
