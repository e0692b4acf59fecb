// The API side of `kubets status`: the leaders of the scheduler and the controller manager
// (their Leases in kube-system), the nodes and the pods as `kubectl get -o wide` sums them up,
// and the pods counted by phase.
// Asked through the cluster's kubeconfig, with short timeouts: status must answer even when
// the API does not.
import { ApiError, type Lease, type Node, type Pod } from '@kubets/api';
import { clientFromKubeconfig, type KubeClient } from '@kubets/client';
import { nodeRow, type NodeRow, podRow, type PodRow } from './object-rows.js';

export interface ObjectsStatus {
  reachable: boolean;
  error?: string;
  leaders: { scheduler?: string; controllerManager?: string };
  nodes: NodeRow[];
  pods: PodRow[];
  podsByPhase: Record<string, number>;
}

const call = { timeoutMs: 2000 };

async function leaseHolder(client: KubeClient, name: string): Promise<string | undefined> {
  try {
    const lease = await client.get<Lease>('leases.coordination.k8s.io', 'kube-system', name, call);
    return lease.spec?.holderIdentity ?? undefined;
  } catch (e) {
    if (e instanceof ApiError && e.status.code === 404) return undefined;
    throw e;
  }
}

export async function objectsStatus(kubeconfig: string): Promise<ObjectsStatus> {
  const client = clientFromKubeconfig({ path: kubeconfig, component: 'kubets-status', maxAttempts: 1 });
  try {
    const [scheduler, controllerManager, nodes, pods] = await Promise.all([
      leaseHolder(client, 'kube-scheduler'),
      leaseHolder(client, 'kube-controller-manager'),
      client.list<Node>('nodes', undefined, call),
      client.list<Pod>('pods', undefined, call),
    ]);
    const podsByPhase: Record<string, number> = {};
    for (const p of pods.items) podsByPhase[p.status?.phase ?? 'Pending'] = (podsByPhase[p.status?.phase ?? 'Pending'] ?? 0) + 1;
    return {
      reachable: true,
      leaders: { ...(scheduler !== undefined ? { scheduler } : {}), ...(controllerManager !== undefined ? { controllerManager } : {}) },
      nodes: nodes.items.map((n) => nodeRow(n)),
      pods: pods.items.map((p) => podRow(p)),
      podsByPhase,
    };
  } catch (e) {
    return { reachable: false, error: (e as Error).message, leaders: {}, nodes: [], pods: [], podsByPhase: {} };
  }
}
