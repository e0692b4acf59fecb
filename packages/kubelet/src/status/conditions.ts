// The pod's conditions as the kubelet owns them (pkg/kubelet/status/generate.go): PodReadyToStartContainers,
// Initialized, ContainersReady and Ready, each keeping its lastTransitionTime while it holds; PodScheduled
// and conditions others own (DisruptionTarget, readiness gates) are kept as they are.
import type { ContainerStatus, Pod, PodStatus } from '@kubets/api';
import { rfc3339 } from './time.js';

type Condition = NonNullable<PodStatus['conditions']>[number];

const kubeletOwned = new Set(['PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready']);

export interface ConditionInput {
  pod: Pod;
  phase: string;
  init: ContainerStatus[];
  containers: ContainerStatus[];
  sandboxReady: boolean;
  now: Date;
}

function condition(type: string, ok: boolean, reason?: string, message?: string): Omit<Condition, 'lastTransitionTime'> {
  const c: Omit<Condition, 'lastTransitionTime'> = { type, status: ok ? 'True' : 'False' };
  if (!ok && reason !== undefined) c.reason = reason;
  if (!ok && message !== undefined) c.message = message;
  return c;
}

function initialized(input: ConditionInput) {
  if (input.phase === 'Succeeded' || input.phase === 'Failed') {
    if (input.init.every((s) => s.state?.terminated?.exitCode === 0)) return condition('Initialized', true);
  }
  const incomplete = input.init.filter((s) => s.state?.terminated?.exitCode !== 0).map((s) => s.name);
  return condition('Initialized', incomplete.length === 0, 'ContainersNotInitialized', `containers with incomplete status: [${incomplete.join(' ')}]`);
}

function containersReady(input: ConditionInput) {
  if (input.phase === 'Succeeded' || input.phase === 'Failed') return condition('ContainersReady', false, 'PodCompleted');
  const unready = input.containers.filter((s) => !s.ready).map((s) => s.name);
  return condition('ContainersReady', unready.length === 0, 'ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`);
}

function ready(input: ConditionInput, containers: ReturnType<typeof containersReady>) {
  if (containers.status !== 'True') return condition('Ready', false, containers.reason, containers.message);
  const have = input.pod.status?.conditions ?? [];
  const missing = (input.pod.spec?.readinessGates ?? []).map((g) => g.conditionType).filter((t) => have.find((c) => c.type === t)?.status !== 'True');
  if (missing.length === 0) return condition('Ready', true);
  return condition('Ready', false, 'ReadinessGatesNotReady', `corresponding condition of pod readiness gate "${missing[0]}" does not exist.`);
}

/** Keeps lastTransitionTime (and lastProbeTime) of a condition whose status did not change. */
function stamp(c: Omit<Condition, 'lastTransitionTime'>, previous: Condition[], now: Date): Condition {
  const before = previous.find((p) => p.type === c.type);
  const lastTransitionTime = before !== undefined && before.status === c.status && before.lastTransitionTime !== undefined ? before.lastTransitionTime : rfc3339(now.getTime());
  return { ...c, lastProbeTime: null, lastTransitionTime } as Condition;
}

export function podConditions(input: ConditionInput): Condition[] {
  const previous = input.pod.status?.conditions ?? [];
  const containers = containersReady(input);
  const mine = [condition('PodReadyToStartContainers', input.sandboxReady), initialized(input), ready(input, containers), containers];
  const others = previous.filter((c) => !kubeletOwned.has(c.type));
  if (!others.some((c) => c.type === 'PodScheduled')) others.unshift(stamp(condition('PodScheduled', true), previous, input.now));
  return [...others, ...mine.map((c) => stamp(c, previous, input.now))];
}
