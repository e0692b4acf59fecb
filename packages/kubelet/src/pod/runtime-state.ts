// What the runtime says a pod has: its sandbox and every container it has made for it, the dead
// ones included (the last run of each is kept for lastState, restartCount and `logs --previous`).
import type { ContainerStatus, PodSandboxStatus } from '../runtime/types.js';

export interface PodRuntimeState {
  sandbox?: PodSandboxStatus;
  containers: ContainerStatus[];
}

/** The latest run of a container by name (highest attempt), if it ever ran. */
export function latestRun(state: PodRuntimeState, name: string): ContainerStatus | undefined {
  let latest: ContainerStatus | undefined;
  for (const c of state.containers) {
    if (c.name !== name) continue;
    if (latest === undefined || c.attempt > latest.attempt || (c.attempt === latest.attempt && c.createdAt > latest.createdAt)) latest = c;
  }
  return latest;
}

/** The run before the latest one, for lastState. */
export function previousRun(state: PodRuntimeState, name: string): ContainerStatus | undefined {
  const latest = latestRun(state, name);
  if (latest === undefined) return undefined;
  let previous: ContainerStatus | undefined;
  for (const c of state.containers) {
    if (c.name !== name || c === latest || c.attempt >= latest.attempt) continue;
    if (previous === undefined || c.attempt > previous.attempt) previous = c;
  }
  return previous;
}

export const isExited = (c: ContainerStatus): boolean => c.state === 'exited' || c.state === 'unknown';

/** Stable back-off key of a container of a pod (upstream's getStableKey, without the spec hash). */
export function backoffKey(podUid: string, containerName: string): string {
  return `${podUid}/${containerName}`;
}
