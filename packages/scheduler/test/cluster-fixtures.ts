// Nodes and pods for tests against a running cluster: Node objects written as a kubelet would
// register them (no kubelet runs), pods with requests, and waits on what the scheduler did.
import type { KubeClient } from '@kubets/client';
import { eventually } from '@kubets/testing';

export interface NodeShape {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  ready?: 'True' | 'False' | 'Unknown';
}

export function nodeObject(name: string, s: NodeShape = {}) {
  const allocatable = { cpu: s.cpu ?? '4', memory: s.memory ?? '8Gi', pods: s.pods ?? '110', 'ephemeral-storage': '100Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', ...s.labels } },
    spec: { ...(s.taints ? { taints: s.taints } : {}) },
    status: {
      capacity: allocatable,
      allocatable,
      conditions: [{ type: 'Ready', status: s.ready ?? 'True', reason: 'KubeletReady', message: 'written by the test' }],
    },
  };
}

export async function createNode(client: KubeClient, name: string, s: NodeShape = {}) {
  return client.create('nodes', undefined, nodeObject(name, s));
}

export interface PodShape {
  cpu?: string;
  memory?: string;
  labels?: Record<string, string>;
  spec?: Record<string, unknown>;
  ownerUid?: string;
}

export function podObject(name: string, s: PodShape = {}) {
  const requests = { ...(s.cpu ? { cpu: s.cpu } : {}), ...(s.memory ? { memory: s.memory } : {}) };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      labels: s.labels ?? {},
      ...(s.ownerUid ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: s.ownerUid, controller: true }] } : {}),
    },
    spec: { containers: [{ name: 'app', image: 'busybox', resources: { requests } }], ...s.spec },
  };
}

export async function createPod(client: KubeClient, name: string, s: PodShape = {}, namespace = 'default') {
  return client.create('pods', namespace, podObject(name, s));
}

interface PodView {
  spec?: { nodeName?: string };
  status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

export async function nodeOf(client: KubeClient, name: string, namespace = 'default'): Promise<string | undefined> {
  return (await client.get<PodView>('pods', namespace, name)).spec?.nodeName || undefined;
}

export async function waitBound(client: KubeClient, name: string, timeoutMs = 15_000, namespace = 'default'): Promise<string> {
  let node: string | undefined;
  await eventually(async () => (node = await nodeOf(client, name, namespace)) !== undefined, `pod ${name} bound`, timeoutMs);
  return node!;
}

export async function scheduledCondition(client: KubeClient, name: string, namespace = 'default') {
  const pod = await client.get<PodView>('pods', namespace, name);
  return pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
}

export interface EventView {
  reason: string;
  message: string;
  type: string;
  count?: number;
  source?: { component?: string };
  involvedObject: { name: string };
}

export async function eventsFor(client: KubeClient, name: string, namespace = 'default'): Promise<EventView[]> {
  const list = await client.list<EventView>('events', namespace, { fieldSelector: `involvedObject.name=${name}` });
  return list.items;
}
