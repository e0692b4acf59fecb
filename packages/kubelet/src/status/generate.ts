// The status the kubelet reports for a pod, computed from the pod, what the runtime says and what
// the probes say: upstream's generateAPIPodStatus and its helpers (pkg/kubelet/kubelet_pods.go,
// pkg/kubelet/status/generate.go). Pure: the status manager decides whether it is worth a write.
import type { Container, ContainerState, ContainerStatus as ApiContainerStatus, Pod, PodStatus } from '@kubets/api';
import type { ContainerStatus } from '../runtime/types.js';
import type { Waiting } from '../pod/actions.js';
import { latestRun, previousRun, type PodRuntimeState } from '../pod/runtime-state.js';
import { podConditions } from './conditions.js';
import { podPhase, qosClass } from './phase.js';

export interface StatusInput {
  pod: Pod;
  state: PodRuntimeState;
  /** Why containers that are not running wait, from the last sync. */
  waiting: Record<string, Waiting>;
  isReady(containerName: string): boolean;
  isStarted(containerName: string): boolean;
  podIPs: string[];
  hostIPs: string[];
  runtimeName: string;
  now: Date;
  /** The pod is being terminated: containers that stopped are reported terminated, none waits. */
  terminating?: boolean;
}

import { rfc3339 } from './time.js';

const signalNumbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15 };

function terminatedState(run: ContainerStatus, runtimeName: string): ContainerState {
  const exitCode = run.exitCode ?? 255;
  const terminated: NonNullable<ContainerState['terminated']> = { exitCode, reason: run.reason ?? (exitCode === 0 ? 'Completed' : 'Error') };
  const signal = run.signal !== undefined ? signalNumbers[run.signal] : undefined;
  if (signal !== undefined) terminated.signal = signal;
  if (run.message !== undefined && run.message !== '') terminated.message = run.message;
  if (run.startedAt > 0) terminated.startedAt = rfc3339(run.startedAt);
  terminated.finishedAt = rfc3339(run.finishedAt > 0 ? run.finishedAt : run.createdAt);
  terminated.containerID = `${runtimeName}://${run.id}`;
  return { terminated };
}

function currentState(run: ContainerStatus | undefined, waiting: Waiting | undefined, defaultWaiting: string, input: StatusInput): ContainerState {
  if (run !== undefined && run.state === 'running') return { running: { startedAt: rfc3339(run.startedAt) } };
  if (waiting !== undefined && !input.terminating) return { waiting: waiting.message !== undefined ? { reason: waiting.reason, message: waiting.message } : { reason: waiting.reason } };
  if (run !== undefined && run.state !== 'created') return terminatedState(run, input.runtimeName);
  return { waiting: { reason: defaultWaiting } };
}

function containerStatus(container: Container, defaultWaiting: string, input: StatusInput): ApiContainerStatus {
  const run = latestRun(input.state, container.name);
  const state = currentState(run, input.waiting[container.name], defaultWaiting, input);
  // A container that waits to be restarted shows its last run as lastState; a running or ended one its run before.
  const last = state.waiting !== undefined && run !== undefined && run.state !== 'created' ? run : previousRun(input.state, container.name);
  const running = state.running !== undefined;
  const status: ApiContainerStatus = {
    name: container.name,
    state,
    lastState: last !== undefined && last.state !== 'created' && last.state !== 'running' ? terminatedState(last, input.runtimeName) : {},
    ready: running && input.isReady(container.name),
    restartCount: run?.attempt ?? 0,
    image: container.image ?? '',
    imageID: run?.imageRef ?? '',
    started: running && input.isStarted(container.name),
  };
  if (run !== undefined && run.state !== 'created') status.containerID = `${input.runtimeName}://${run.id}`;
  return status;
}

function initStatuses(input: StatusInput): ApiContainerStatus[] {
  return (input.pod.spec?.initContainers ?? []).map((c) => {
    const s = containerStatus(c, 'PodInitializing', input);
    // An init container that ended is not ready; one that succeeded counts as ready, as upstream shows it.
    s.ready = s.state?.terminated?.exitCode === 0;
    return s;
  });
}

export function generatePodStatus(input: StatusInput): PodStatus {
  const { pod } = input;
  const init = initStatuses(input);
  const initDone = init.every((s) => s.state?.terminated?.exitCode === 0);
  const containers = (pod.spec?.containers ?? []).map((c) => containerStatus(c, initDone ? 'ContainerCreating' : 'PodInitializing', input));
  const previous = pod.status ?? {};
  const phase = previous.phase === 'Succeeded' || previous.phase === 'Failed' ? previous.phase : podPhase(pod, init, containers);
  const status: PodStatus = {
    phase,
    conditions: podConditions({ pod, phase, init, containers, sandboxReady: input.state.sandbox?.state === 'ready' && input.podIPs.length > 0, now: input.now }),
    hostIP: input.hostIPs[0] ?? '',
    hostIPs: input.hostIPs.map((ip) => ({ ip })),
    startTime: previous.startTime ?? rfc3339(input.now.getTime()),
    containerStatuses: containers,
    qosClass: qosClass(pod),
  };
  if (input.podIPs.length > 0) {
    status.podIP = input.podIPs[0]!;
    status.podIPs = input.podIPs.map((ip) => ({ ip }));
  } else if (previous.podIP !== undefined) {
    status.podIP = previous.podIP;
    if (previous.podIPs !== undefined) status.podIPs = previous.podIPs;
  }
  if (init.length > 0) status.initContainerStatuses = init;
  return status;
}
