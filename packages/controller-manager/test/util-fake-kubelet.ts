// What the kubelet and scheduler would do, for controller tests on a real cluster with neither:
// every new pod is bound to one node, then marked Running and Ready (after `readyAfterMs`, so
// rollouts interleave); a pod being deleted is removed at once. Pods can be held unready.
import type { Pod } from '@kubets/api';
import { type Informer, type KubeClient, SharedInformerFactory, formatEventTime, isNotFound } from '@kubets/client';

export interface FakeKubeletOptions {
  node?: string;
  readyAfterMs?: number;
}

export class FakeKubelet {
  readonly errors: unknown[] = [];
  readonly node: string;
  private readonly factory: SharedInformerFactory;
  private readonly pods: Informer<Pod>;
  private readonly inFlight = new Set<string>();
  private readonly held = new Set<string>();
  /** What was done per pod uid: the cache may still show the pod as it was before. */
  private readonly done = new Map<string, 'bound' | 'ready'>();
  private readonly readyAfterMs: number;

  constructor(private readonly client: KubeClient, o: FakeKubeletOptions = {}) {
    this.node = o.node ?? 'node-1';
    this.readyAfterMs = o.readyAfterMs ?? 0;
    this.factory = new SharedInformerFactory(client);
    this.pods = this.factory.informerFor<Pod>('pods');
    this.pods.addEventHandler({ onAdd: (p) => this.handle(p), onUpdate: (_o, p) => this.handle(p) });
  }

  async start(): Promise<void> {
    await this.client.create('nodes', undefined, nodeObject(this.node)).catch((e: unknown) => {
      if ((e as { code?: number }).code !== 409) throw e;
    });
    this.factory.start();
    await this.factory.waitForCacheSync();
  }

  stop(): Promise<void> {
    return this.factory.shutdown();
  }

  /** Pods named here stay unready (their status is the test's to write). */
  hold(name: string): void {
    this.held.add(name);
  }

  private handle(pod: Pod): void {
    const key = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
    if (this.inFlight.has(key) || this.held.has(pod.metadata?.name ?? '')) return;
    const step = this.stepFor(pod);
    if (step === undefined) return;
    this.inFlight.add(key);
    step()
      .catch((e: unknown) => {
        if (!isNotFound(e)) this.errors.push(e);
      })
      .finally(() => {
        this.inFlight.delete(key);
        const cur = this.pods.getByKey(key);
        if (cur !== undefined) this.handle(cur);
      });
  }

  private stepFor(pod: Pod): (() => Promise<unknown>) | undefined {
    const ns = pod.metadata?.namespace ?? 'default';
    const name = pod.metadata?.name ?? '';
    if (pod.metadata?.deletionTimestamp !== undefined) return () => this.client.delete('pods', ns, name, { gracePeriodSeconds: 0 });
    const uid = pod.metadata?.uid ?? '';
    const done = this.done.get(uid);
    if ((pod.spec?.nodeName ?? '') === '' && done === undefined) return () => this.client.bind(ns, name, this.node).then(() => this.done.set(uid, 'bound'));
    if (pod.status?.phase !== 'Running' && done !== 'ready') return () => this.markReady(ns, name).then(() => this.done.set(uid, 'ready'));
    return undefined;
  }

  private async markReady(ns: string, name: string): Promise<void> {
    if (this.readyAfterMs > 0) await new Promise((r) => setTimeout(r, this.readyAfterMs));
    await setReady(this.client, ns, name, true);
  }
}

export async function setReady(client: KubeClient, ns: string, name: string, ready: boolean, restartCount = 0): Promise<void> {
  const now = formatEventTime(Date.now());
  const status = ready ? 'True' : 'False';
  await client.patchStatus('pods', ns, name, {
    status: {
      phase: 'Running',
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
        { type: 'Initialized', status: 'True', lastTransitionTime: now },
        { type: 'ContainersReady', status, lastTransitionTime: now },
        { type: 'Ready', status, lastTransitionTime: now },
      ],
      containerStatuses: [{ name: 'app', image: 'busybox', imageID: '', ready, restartCount, started: true, state: { running: { startedAt: now } } }],
    },
  });
}

function nodeObject(name: string) {
  const allocatable = { cpu: '64', memory: '64Gi', pods: '1000' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    status: { capacity: allocatable, allocatable, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'written by the test' }] },
  };
}
