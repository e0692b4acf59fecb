// Nodes, Leases and pods for the node controllers' cluster tests, written as a kubelet would
// (no kubelet runs): the test itself renews a node's Lease and posts its Ready status.
import type { Lease, Node, Pod, Toleration } from '@kubets/api';
import { formatMicroTime, type KubeClient } from '@kubets/client';
import { apiTime } from '../src/controllers/nodelifecycle/index.js';

export function readyCondition(status: 'True' | 'False' | 'Unknown', now = Date.now()) {
  return { type: 'Ready', status, reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: apiTime(now), lastTransitionTime: apiTime(now) };
}

export async function createNode(client: KubeClient, name: string, labels: Record<string, string> = {}): Promise<Node> {
  const allocatable = { cpu: '4', memory: '8Gi', pods: '110' };
  return client.create<Node>('nodes', undefined, {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
    spec: {},
    status: { capacity: allocatable, allocatable, conditions: [readyCondition('True')] },
  } as Node);
}

/** Renews (or creates) the node's Lease in kube-node-lease, as the kubelet's lease controller does. */
export class LeaseRenewer {
  private readonly leases = new Map<string, Lease>();

  constructor(private readonly client: KubeClient) {}

  async renew(name: string): Promise<void> {
    const spec = { holderIdentity: name, leaseDurationSeconds: 40, renewTime: formatMicroTime(Date.now()) };
    const last = this.leases.get(name);
    try {
      const lease = last === undefined
        ? await this.client.create<Lease>('leases.coordination.k8s.io', 'kube-node-lease', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name }, spec } as Lease)
        : await this.client.update<Lease>('leases.coordination.k8s.io', 'kube-node-lease', { ...last, spec: { ...last.spec, ...spec } });
      this.leases.set(name, lease);
    } catch (e) {
      // Out of step with the server: read it again and retry next time.
      if (last !== undefined) this.leases.set(name, await this.client.get<Lease>('leases.coordination.k8s.io', 'kube-node-lease', name));
      throw e;
    }
  }
}

/** A kubelet's status write: Ready with a new heartbeat, keeping the other conditions. */
export async function postReady(client: KubeClient, name: string): Promise<void> {
  const node = await client.get<Node>('nodes', undefined, name);
  const others = (node.status?.conditions ?? []).filter((c) => c.type !== 'Ready' && c.type !== 'MemoryPressure' && c.type !== 'DiskPressure' && c.type !== 'PIDPressure');
  await client.updateStatus('nodes', undefined, { ...node, status: { ...node.status, conditions: [...others, readyCondition('True')] } });
}

/** A pod bound to the node and marked Running and Ready, with exactly these tolerations. */
export async function runningPod(client: KubeClient, name: string, nodeName: string, tolerations: Toleration[]): Promise<Pod> {
  const pod = await client.create<Pod>('pods', 'default', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { nodeName, tolerations, containers: [{ name: 'app', image: 'busybox' }] },
  } as Pod);
  const now = apiTime(Date.now());
  return client.updateStatus<Pod>('pods', 'default', {
    ...pod,
    status: { ...pod.status, phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] },
  });
}

/** Matches the taint's key for admission (so no default tolerations are added) but not the taint itself. */
export const tolerationThatMatchesNothing = (key: string): Toleration => ({ key, operator: 'Equal', value: 'never', effect: 'NoExecute' });

export const tolerateFor = (key: string, seconds?: number): Toleration => ({ key, operator: 'Exists', effect: 'NoExecute', ...(seconds !== undefined ? { tolerationSeconds: seconds } : {}) });

export interface EventView {
  reason?: string;
  message?: string;
  type?: string;
  source?: { component?: string };
  involvedObject?: { name?: string; kind?: string };
}

export async function eventsAbout(client: KubeClient, name: string): Promise<EventView[]> {
  return (await client.list<EventView>('events', undefined)).items.filter((e) => e.involvedObject?.name === name);
}
