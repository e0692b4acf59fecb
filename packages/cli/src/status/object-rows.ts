// Nodes and pods as `kubectl get nodes,pods -o wide` sums them up (kubectl's printNode and
// printPod): a node's STATUS from its Ready condition, a pod's STATUS from the first init
// container that has not succeeded or else the last app container that is not running, its
// ready containers and restarts. Pure functions of the objects, so tests need no cluster.
import type { ContainerStatus, Node, Pod } from '@kubets/api';

export interface NodeRow {
  name: string;
  /** Ready, NotReady or Unknown, and SchedulingDisabled when cordoned: kubectl's STATUS. */
  status: string;
  ready: boolean;
  /** Its InternalIP. */
  address?: string;
  podCidr?: string;
  ageSeconds?: number;
}

export interface PodRow {
  namespace: string;
  name: string;
  phase: string;
  /** kubectl's STATUS: Running, Completed, CrashLoopBackOff, Init:0/2, Terminating ... */
  status: string;
  readyContainers: number;
  containers: number;
  restarts: number;
  podIp?: string;
  node?: string;
  ageSeconds?: number;
}

const ageOf = (created: string | null | undefined, now: number) => (created === undefined || created === null ? undefined : Math.max(0, Math.floor((now - Date.parse(created)) / 1000)));

export function nodeRow(n: Node, now = Date.now()): NodeRow {
  const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
  const status = [ready === undefined ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady', ...(n.spec?.unschedulable === true ? ['SchedulingDisabled'] : [])];
  const address = n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  const age = ageOf(n.metadata?.creationTimestamp, now);
  return {
    name: n.metadata?.name ?? '',
    status: status.join(','),
    ready: ready?.status === 'True',
    ...(address !== undefined ? { address } : {}),
    ...(n.spec?.podCIDR !== undefined ? { podCidr: n.spec.podCIDR } : {}),
    ...(age !== undefined ? { ageSeconds: age } : {}),
  };
}

/** "Error" as kubectl words a container that ended without a reason: by its signal or exit code. */
const endedWithout = (t: NonNullable<NonNullable<ContainerStatus['state']>['terminated']>) => (t.signal ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`);

/** The first init container that has not succeeded decides, as long as one has not. */
function initStatus(pod: Pod): { status: string; restarts: number } | undefined {
  const statuses = pod.status?.initContainerStatuses ?? [];
  const total = pod.spec?.initContainers?.length ?? statuses.length;
  let restarts = 0;
  for (const [i, c] of statuses.entries()) {
    restarts += c.restartCount;
    const { terminated, waiting } = c.state ?? {};
    if (terminated?.exitCode === 0) continue;
    if (terminated !== undefined) return { status: `Init:${terminated.reason ?? endedWithout(terminated)}`, restarts };
    if (waiting?.reason !== undefined && waiting.reason !== '' && waiting.reason !== 'PodInitializing') return { status: `Init:${waiting.reason}`, restarts };
    return { status: `Init:${i}/${total}`, restarts };
  }
  return undefined;
}

function containersStatus(pod: Pod, fallback: string): { status: string; restarts: number; ready: number } {
  let status = fallback;
  let restarts = 0;
  let ready = 0;
  let running = false;
  // The last container that is not running and ready names the pod's state, as in kubectl.
  for (const c of [...(pod.status?.containerStatuses ?? [])].reverse()) {
    restarts += c.restartCount;
    const { waiting, terminated } = c.state ?? {};
    if (waiting?.reason !== undefined && waiting.reason !== '') status = waiting.reason;
    else if (terminated !== undefined) status = terminated.reason !== undefined && terminated.reason !== '' ? terminated.reason : endedWithout(terminated);
    else if (c.ready && c.state?.running !== undefined) {
      running = true;
      ready++;
    }
  }
  if (status === 'Completed' && running) status = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
  return { status, restarts, ready };
}

export function podRow(pod: Pod, now = Date.now()): PodRow {
  const phase = pod.status?.phase ?? 'Pending';
  const initialized = pod.status?.conditions?.some((c) => c.type === 'Initialized' && c.status === 'True') === true;
  const init = initStatus(pod);
  const fallback = pod.status?.reason !== undefined && pod.status.reason !== '' ? pod.status.reason : phase;
  const apps = init === undefined || initialized ? containersStatus(pod, init?.status ?? fallback) : undefined;
  let status = apps?.status ?? init!.status;
  if (pod.metadata?.deletionTimestamp) status = pod.status?.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  const age = ageOf(pod.metadata?.creationTimestamp, now);
  return {
    namespace: pod.metadata?.namespace ?? '',
    name: pod.metadata?.name ?? '',
    phase,
    status,
    readyContainers: apps?.ready ?? 0,
    containers: pod.spec?.containers?.length ?? 0,
    restarts: apps?.restarts ?? init!.restarts,
    ...(pod.status?.podIP !== undefined && pod.status.podIP !== '' ? { podIp: pod.status.podIP } : {}),
    ...(pod.spec?.nodeName !== undefined ? { node: pod.spec.nodeName } : {}),
    ...(age !== undefined ? { ageSeconds: age } : {}),
  };
}
