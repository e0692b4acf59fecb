// A pod's phase from its containers' states: upstream's getPhase (pkg/kubelet/kubelet_pods.go).
import { compareQuantities, type ContainerStatus, type Pod, type PodSpec, tryParseQuantity } from '@kubets/api';

function initPhase(spec: PodSpec, statuses: ContainerStatus[]): 'Pending' | 'Failed' | 'done' {
  for (const c of spec.initContainers ?? []) {
    const s = statuses.find((x) => x.name === c.name);
    const terminated = s?.state?.terminated;
    if (terminated?.exitCode === 0) continue;
    if (terminated !== undefined && spec.restartPolicy === 'Never') return 'Failed';
    if (s?.state?.waiting !== undefined && s.lastState?.terminated !== undefined && spec.restartPolicy === 'Never') return 'Failed';
    return 'Pending';
  }
  return 'done';
}

export function podPhase(pod: Pod, initStatuses: ContainerStatus[], statuses: ContainerStatus[]): string {
  const spec = pod.spec ?? { containers: [] };
  const init = initPhase(spec, initStatuses);
  if (init !== 'done') return init;
  let waiting = 0;
  let running = 0;
  let stopped = 0;
  let succeeded = 0;
  let unknown = 0;
  for (const c of spec.containers) {
    const s = statuses.find((x) => x.name === c.name);
    if (s?.state === undefined) unknown++;
    else if (s.state.running !== undefined) running++;
    else if (s.state.terminated !== undefined) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state.waiting !== undefined) {
      if (s.lastState?.terminated !== undefined) stopped++;
      else waiting++;
    } else unknown++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (spec.restartPolicy === 'Always' || spec.restartPolicy === undefined) return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (spec.restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

/** The QoS class (pkg/apis/core/v1/helper/qos): Guaranteed when every container has equal cpu and memory requests and limits. */
export function qosClass(pod: Pod): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const requests = c.resources?.requests ?? {};
    const limits = c.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      const req = requests[r] ?? limits[r];
      const lim = limits[r];
      if (req !== undefined || lim !== undefined) any = true;
      if (lim === undefined || req === undefined || !sameQuantity(String(req), String(lim))) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function sameQuantity(a: string, b: string): boolean {
  const qa = tryParseQuantity(a);
  const qb = tryParseQuantity(b);
  if (qa instanceof Error || qb instanceof Error) return a === b;
  return compareQuantities(qa, qb) === 0;
}
