// Deployments and what a test watches of their rollouts: whether one has completed, and the
// active and Ready pods by image at every change (from a watch, not from samples).
import type { Deployment, Pod } from '@kubets/api';
import { type KubeClient, SharedInformerFactory } from '@kubets/client';

type Strategy = NonNullable<NonNullable<Deployment['spec']>['strategy']>;

export function deployment(name: string, replicas: number, strategy: Strategy, extra: Partial<NonNullable<Deployment['spec']>> = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas,
      strategy,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'busybox:1' }] } },
      ...extra,
    },
  };
}

/** Every replica of the current template updated and available, as `kubectl rollout status` waits for. */
export async function rolledOut(client: KubeClient, name: string): Promise<boolean> {
  const d = await client.get<Deployment>('deployments', 'default', name);
  const s = d.status ?? {};
  const n = d.spec?.replicas ?? 1;
  return (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) && s.updatedReplicas === n && s.replicas === n && s.availableReplicas === n;
}

export const image = (p: Pod) => p.spec?.containers[0]?.image;
export const isReady = (p: Pod) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
export const total = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

export interface PodSample {
  /** Pods not being deleted, by image. */
  active: Record<string, number>;
  ready: number;
}

/** Watches the pods of `app` and records, at every change, the active and Ready pods by image. */
export async function watchPods(client: KubeClient, app: string): Promise<{ samples: PodSample[]; stop(): Promise<void> }> {
  const factory = new SharedInformerFactory(client);
  const pods = factory.informerFor<Pod>('pods', { labelSelector: { app } });
  const samples: PodSample[] = [];
  const sample = () => {
    const active = pods.list().filter((p) => p.metadata?.deletionTimestamp === undefined);
    const byImage: Record<string, number> = {};
    for (const p of active) byImage[image(p) ?? ''] = (byImage[image(p) ?? ''] ?? 0) + 1;
    samples.push({ active: byImage, ready: active.filter(isReady).length });
  };
  pods.addEventHandler({ onAdd: sample, onUpdate: sample, onDelete: sample });
  factory.start();
  await factory.waitForCacheSync();
  return { samples, stop: () => factory.shutdown() };
}
