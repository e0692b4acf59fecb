// Kubelets in name only, for the benchmark and the tests that need pods to become Ready without
// running anything: each node is registered Ready and its Lease in kube-node-lease renewed every
// renewMs; a pod bound to a live node is marked Running and Ready at once, and one being deleted
// there is finished (deleted with grace 0), as a kubelet would after stopping it. kill(node)
// stops both for that node, as a dead kubelet does.

import { formatMicroTime, type Informer, type KubeClient, type KubeObject, SharedInformerFactory } from '@kubets/client';

const leases = 'leases.coordination.k8s.io';
const leaseNamespace = 'kube-node-lease';

interface PodView extends KubeObject {
  spec?: { nodeName?: string; containers?: { name: string; image?: string }[] };
  status?: { phase?: string; conditions?: { type: string; status: string }[] };
}

export interface FakeKubeletsOptions {
  renewMs?: number;
  /** Pods marked or finished at once. */
  concurrency?: number;
  onError?: (err: unknown) => void;
}

const seconds = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

export class FakeKubelets {
  private readonly live = new Set<string>();
  private readonly informers: SharedInformerFactory;
  private readonly pods: Informer<PodView>;
  private readonly pending = new Set<string>();
  private readonly queue: PodView[] = [];
  private inFlight = 0;
  private renewTimer: NodeJS.Timeout | undefined;
  private nextIp = 1;
  /** When each node's lease was last renewed (ms). */
  readonly lastRenewal = new Map<string, number>();

  constructor(private readonly client: KubeClient, private readonly opts: FakeKubeletsOptions = {}) {
    this.informers = new SharedInformerFactory(client);
    this.pods = this.informers.informerFor<PodView>('pods');
    const look = (pod: PodView) => this.look(pod);
    this.pods.addEventHandler({ onAdd: look, onUpdate: (_old, pod) => look(pod) });
  }

  /** Registers the nodes (cpu and pods as given) and starts renewing and serving them. */
  async start(nodes: string[], capacity: { cpu: string; memory: string; pods: string } = { cpu: '64', memory: '256Gi', pods: '500' }): Promise<void> {
    await Promise.all(nodes.map((name) => this.register(name, capacity)));
    for (const n of nodes) this.live.add(n);
    this.informers.start();
    await this.informers.waitForCacheSync();
    const renewMs = this.opts.renewMs ?? 1000;
    this.renewTimer = setInterval(() => void this.renewAll(), renewMs);
  }

  /** Stops renewing the node's lease and serving its pods. */
  kill(node: string): void {
    this.live.delete(node);
  }

  async stop(): Promise<void> {
    clearInterval(this.renewTimer);
    this.live.clear();
    await this.informers.shutdown();
  }

  private async register(name: string, capacity: Record<string, string>): Promise<void> {
    const now = Date.now();
    await this.client.create('nodes', undefined, {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name } },
      status: {
        capacity,
        allocatable: capacity,
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: seconds(now), lastTransitionTime: seconds(now) }],
      },
    });
    await this.client.create(leases, leaseNamespace, {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace: leaseNamespace },
      spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: formatMicroTime(now) },
    });
    this.lastRenewal.set(name, now);
  }

  private async renewAll(): Promise<void> {
    await Promise.all([...this.live].map(async (name) => {
      try {
        const now = Date.now();
        await this.client.patch(leases, leaseNamespace, name, { spec: { renewTime: formatMicroTime(now) } }, { type: 'merge' });
        this.lastRenewal.set(name, now);
      } catch (e) {
        this.opts.onError?.(e);
      }
    }));
  }

  private look(pod: PodView): void {
    const node = pod.spec?.nodeName;
    if (node === undefined || !this.live.has(node)) return;
    const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
    if (ready && pod.metadata?.deletionTimestamp === undefined) return;
    const key = `${pod.metadata!.namespace}/${pod.metadata!.name}`;
    if (this.pending.has(key)) return;
    this.pending.add(key);
    this.queue.push(pod);
    this.pump();
  }

  private pump(): void {
    const limit = this.opts.concurrency ?? 32;
    while (this.inFlight < limit && this.queue.length > 0) {
      const pod = this.queue.shift()!;
      this.inFlight++;
      void this.serve(pod).finally(() => {
        this.inFlight--;
        this.pending.delete(`${pod.metadata!.namespace}/${pod.metadata!.name}`);
        this.pump();
      });
    }
  }

  private async serve(pod: PodView): Promise<void> {
    const { namespace, name, uid } = pod.metadata!;
    try {
      if (pod.metadata?.deletionTimestamp !== undefined) {
        await this.client.delete('pods', namespace, name!, { gracePeriodSeconds: 0, preconditions: { uid: uid as string } });
        return;
      }
      await this.client.updateStatus('pods', namespace, this.running(pod));
    } catch (e) {
      // 404/409: deleted or changed meanwhile; the informer brings the new state back here.
      if (!(typeof e === 'object' && e !== null && 'code' in e && (e.code === 404 || e.code === 409))) this.opts.onError?.(e);
    }
  }

  private running(pod: PodView): PodView {
    const now = seconds(Date.now());
    const n = this.nextIp++;
    const conditions = ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastTransitionTime: now }));
    return {
      ...pod,
      status: {
        ...pod.status,
        phase: 'Running',
        hostIP: '127.0.0.1',
        podIP: `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
        startTime: now,
        conditions,
        containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
          name: c.name, image: c.image ?? '', imageID: '', ready: true, restartCount: 0, started: true, state: { running: { startedAt: now } },
        })),
      } as PodView['status'],
    };
  }
}
