// Small helpers on node and pod conditions and API times, shared by the node controllers.

import type { Node } from '@kubets/api';
import { errorText } from '../../controller/util/api-errors.js';

/** A node condition; the schema's generic condition type does not carry lastHeartbeatTime. */
export interface NodeCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastHeartbeatTime?: string;
}

/** The node's conditions, typed with their heartbeat. */
export function nodeConditions(node: Node): NodeCondition[] {
  return (node.status?.conditions ?? []) as NodeCondition[];
}

/** The condition of this type, or undefined (upstream's GetNodeCondition). */
export function findCondition<C extends { type: string }>(conditions: readonly C[] | undefined, type: string): C | undefined {
  return conditions?.find((c) => c.type === type);
}

/** An API Time (RFC 3339, whole seconds), as metav1.Time serialises. */
export function apiTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Milliseconds since the epoch of an API time, or undefined when absent or unreadable. */
export function parseApiTime(value: string | undefined | null): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A reference to a node for Events, as upstream's RecordNodeStatusChange builds it. */
export function nodeReference(node: Node): { apiVersion: string; kind: string; name: string; uid?: string } {
  const ref = { apiVersion: 'v1', kind: 'Node', name: node.metadata?.name ?? '' };
  return node.metadata?.uid !== undefined ? { ...ref, uid: node.metadata.uid } : ref;
}

export { errorText } from '../../controller/util/api-errors.js';
