// A Scheduler wired to the API: shared informers for pods, nodes and namespaces feeding its
// cache and queue. The informers run from the start, also on a standby replica, so that a new
// leader schedules from a warm cache within moments of taking the lease (as upstream's).

import type { KubeClient, KubeObject } from '@kubets/client';
import { SharedInformerFactory } from '@kubets/client';
import type { Framework } from '../framework/runtime.js';
import type { Pod } from '../framework/types.js';
import type { SchedulerMetrics } from '../metrics.js';
import { addNodeHandlers, addPodHandlers } from './event-handlers.js';
import type { Recorder } from './recorder.js';
import { type Logger, Scheduler } from './scheduler.js';

export interface SetupOptions {
  client: KubeClient;
  frameworks: Map<string, Framework>;
  recorder: Recorder;
  logger: Logger;
  metrics?: SchedulerMetrics;
  percentageOfNodesToScore?: number;
  podInitialBackoffMs?: number;
  podMaxBackoffMs?: number;
}

export interface WiredScheduler {
  scheduler: Scheduler;
  informers: SharedInformerFactory;
  /** Resolves true once pods, nodes and namespaces are listed. */
  synced(signal?: AbortSignal): Promise<boolean>;
  stop(): Promise<void>;
}

export function wireScheduler(o: SetupOptions): WiredScheduler {
  const informers = new SharedInformerFactory(o.client, {
    onError: (err, context) => o.logger.warn({ err: String(err), context }, 'informer'),
  });
  const pods = informers.informerFor<KubeObject>('pods');
  const nodes = informers.informerFor<KubeObject>('nodes');
  const namespaces = informers.informerFor<KubeObject>('namespaces');
  const scheduler = new Scheduler({
    client: o.client,
    profiles: o.frameworks,
    recorder: o.recorder,
    logger: o.logger,
    ...(o.metrics !== undefined ? { metrics: o.metrics } : {}),
    ...(o.percentageOfNodesToScore !== undefined ? { percentageOfNodesToScore: o.percentageOfNodesToScore } : {}),
    ...(o.podInitialBackoffMs !== undefined ? { podInitialBackoffMs: o.podInitialBackoffMs } : {}),
    ...(o.podMaxBackoffMs !== undefined ? { podMaxBackoffMs: o.podMaxBackoffMs } : {}),
    currentPod: (key) => pods.getByKey(key) as unknown as Pod | undefined,
    namespaceLabels: (ns) => namespaces.get(undefined, ns)?.metadata?.labels,
  });
  // Nodes first: pods that arrive before their node are held, but scheduling wants the nodes.
  addNodeHandlers(scheduler, nodes);
  addPodHandlers(scheduler, pods);
  informers.start();
  return {
    scheduler,
    informers,
    synced: (signal) => informers.waitForCacheSync(signal),
    stop: () => informers.shutdown(),
  };
}
