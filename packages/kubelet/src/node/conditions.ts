// The node conditions the kubelet owns, as upstream's nodestatus setters write them:
// MemoryPressure, DiskPressure, PIDPressure and Ready (Ready last, as upstream keeps it). Each
// gets a fresh lastHeartbeatTime; lastTransitionTime moves only when its status changes.
// Conditions of other owners (NetworkUnavailable) are kept as they are.
import type { NodeCondition, NodePressure } from './types.js';

export interface NodeHealth {
  pressure: NodePressure;
  /** Undefined when the node is ready; else why not (the Ready condition's message). */
  notReadyReason: string | undefined;
}

/** A condition that changed status, for the Event upstream records ("Node x status is now: NodeReady"). */
export interface ConditionTransition {
  type: string;
  /** The event reason: NodeReady, NodeNotReady, NodeHasSufficientMemory ... */
  event: string;
}

interface PressureCondition {
  type: string;
  underPressure: { reason: string; message: string; event: string };
  noPressure: { reason: string; message: string; event: string };
}

const pressureConditions: Record<keyof NodePressure, PressureCondition> = {
  memory: {
    type: 'MemoryPressure',
    underPressure: { reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available', event: 'NodeHasInsufficientMemory' },
    noPressure: { reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available', event: 'NodeHasSufficientMemory' },
  },
  disk: {
    type: 'DiskPressure',
    underPressure: { reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure', event: 'NodeHasDiskPressure' },
    noPressure: { reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure', event: 'NodeHasNoDiskPressure' },
  },
  pid: {
    type: 'PIDPressure',
    underPressure: { reason: 'KubeletHasInsufficientPID', message: 'kubelet has insufficient PID available', event: 'NodeHasInsufficientPID' },
    noPressure: { reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available', event: 'NodeHasSufficientPID' },
  },
};

export const kubeletConditionTypes = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'];

function pressureCondition(def: PressureCondition, under: boolean, previous: NodeCondition | undefined, now: string, transitions: ConditionTransition[]): NodeCondition {
  const want = under ? def.underPressure : def.noPressure;
  const status = under ? 'True' : 'False';
  if (previous?.status === status) return { ...previous, lastHeartbeatTime: now };
  transitions.push({ type: def.type, event: want.event });
  return { type: def.type, status, reason: want.reason, message: want.message, lastHeartbeatTime: now, lastTransitionTime: now };
}

function readyCondition(notReadyReason: string | undefined, previous: NodeCondition | undefined, now: string, transitions: ConditionTransition[]): NodeCondition {
  const ready = notReadyReason === undefined;
  const next: NodeCondition = ready
    ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now }
    : { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: notReadyReason, lastHeartbeatTime: now };
  if (previous?.status === next.status) return { ...next, lastTransitionTime: previous.lastTransitionTime ?? now };
  // Upstream records an event only for a change from an earlier Ready, not for the first one.
  if (previous !== undefined) transitions.push({ type: 'Ready', event: ready ? 'NodeReady' : 'NodeNotReady' });
  return { ...next, lastTransitionTime: now };
}

/** The conditions after one check at `now` (RFC 3339), and the transitions that happened. */
export function nextConditions(current: readonly NodeCondition[] | undefined, health: NodeHealth, now: string): { conditions: NodeCondition[]; transitions: ConditionTransition[] } {
  const byType = new Map((current ?? []).map((c) => [c.type, c]));
  const transitions: ConditionTransition[] = [];
  const others = (current ?? []).filter((c) => !kubeletConditionTypes.includes(c.type));
  const conditions = [
    ...others,
    pressureCondition(pressureConditions.memory, health.pressure.memory, byType.get('MemoryPressure'), now, transitions),
    pressureCondition(pressureConditions.disk, health.pressure.disk, byType.get('DiskPressure'), now, transitions),
    pressureCondition(pressureConditions.pid, health.pressure.pid, byType.get('PIDPressure'), now, transitions),
    readyCondition(health.notReadyReason, byType.get('Ready'), now, transitions),
  ];
  return { conditions, transitions };
}

function withoutHeartbeat(c: NodeCondition): string {
  const { lastHeartbeatTime: _ignored, ...rest } = c;
  return JSON.stringify(Object.entries(rest).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b)));
}

/** Whether the conditions differ in anything but their heartbeat times (upstream nodeConditionsHaveChanged). */
export function conditionsChanged(a: readonly NodeCondition[] | undefined, b: readonly NodeCondition[] | undefined): boolean {
  const x = (a ?? []).map(withoutHeartbeat).sort();
  const y = (b ?? []).map(withoutHeartbeat).sort();
  return x.length !== y.length || x.some((s, i) => s !== y[i]);
}
