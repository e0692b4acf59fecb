// The proxy's control loop, as upstream's: informers on Services and EndpointSlices say that
// something changed; the bounded-frequency runner folds those changes into syncs at most every
// --min-sync-period (after a burst of two) and at least every --sync-period; each sync builds the
// whole snapshot from the caches and hands it to the data path. Health and the sync metrics are
// kept here, so any data path behind this loop gets them.
import type { EndpointSlice, Service } from '@kubets/api';
import { type Informer, type KubeClient, SharedInformerFactory } from '@kubets/client';
import type { createLogger } from '@kubets/component-base';
import type { SyncMetrics } from '../metrics.js';
import { buildSnapshot } from '../model/snapshot.js';
import { headlessLabel, serviceProxyNameLabel } from '../model/service-ports.js';
import type { ProxierHealth } from '../server/proxier-health.js';
import { BoundedFrequencyRunner } from './bounded-frequency-runner.js';
import type { DataPath } from './data-path.js';

type Logger = ReturnType<typeof createLogger>;

export interface SyncLoopOptions {
  client: KubeClient;
  nodeName: string;
  dataPath: DataPath;
  minSyncPeriodMs: number;
  syncPeriodMs: number;
  health: ProxierHealth;
  metrics: SyncMetrics;
  logger: Logger;
}

export class SyncLoop {
  private readonly informers: SharedInformerFactory;
  private readonly services: Informer<Service>;
  private readonly slices: Informer<EndpointSlice>;
  private readonly runner: BoundedFrequencyRunner;
  private pendingServices = new Set<string>();
  private pendingSlices = new Set<string>();

  constructor(private readonly o: SyncLoopOptions) {
    this.informers = new SharedInformerFactory(o.client, { onError: (err, context) => o.logger.warn({ err: String(err), context }, 'watch failed') });
    this.services = this.informers.informerFor<Service>('services', { labelSelector: `!${serviceProxyNameLabel}` });
    this.slices = this.informers.informerFor<EndpointSlice>('endpointslices', { labelSelector: `!${headlessLabel},!${serviceProxyNameLabel}` });
    this.runner = new BoundedFrequencyRunner(() => this.sync(), {
      minIntervalMs: o.minSyncPeriodMs,
      maxIntervalMs: o.syncPeriodMs,
      burst: 2,
      onError: (err) => o.logger.error({ err: String(err) }, 'sync failed'),
    });
    this.watchChanges(this.services, this.pendingServices, () => o.metrics.serviceChangesTotal.inc());
    this.watchChanges(this.slices, this.pendingSlices, () => o.metrics.endpointChangesTotal.inc());
  }

  /** Starts the informers; the first sync runs once both caches have synced. */
  async start(signal?: AbortSignal): Promise<void> {
    this.informers.start();
    if (!(await this.informers.waitForCacheSync(signal))) return;
    this.o.logger.info({ mode: this.o.dataPath.mode }, 'caches synced, starting the sync loop');
    this.runner.start();
  }

  async stop(): Promise<void> {
    await this.runner.stop();
    await this.informers.shutdown();
  }

  private watchChanges<T extends Service | EndpointSlice>(informer: Informer<T>, pending: Set<string>, count: () => void): void {
    const changed = (obj: T) => {
      count();
      pending.add(`${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`);
      this.o.metrics.serviceChangesPending.set(this.pendingServices.size);
      this.o.metrics.endpointChangesPending.set(this.pendingSlices.size);
      this.o.metrics.lastQueuedTimestamp.set(Date.now() / 1000);
      this.o.health.queued();
      this.runner.run();
    };
    informer.addEventHandler({
      onAdd: (obj) => changed(obj),
      // A resync delivers the same object twice: nothing changed.
      onUpdate: (old, obj) => { if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) changed(obj); },
      onDelete: (obj) => changed(obj),
    });
  }

  private async sync(): Promise<void> {
    const started = performance.now();
    const startedAt = Date.now();
    this.pendingServices.clear();
    this.pendingSlices.clear();
    this.o.metrics.serviceChangesPending.set(0);
    this.o.metrics.endpointChangesPending.set(0);
    const snapshot = buildSnapshot(this.services.list(), this.slices.list(), this.o.nodeName);
    const result = await this.o.dataPath.sync(snapshot);
    const seconds = (performance.now() - started) / 1000;
    this.o.metrics.duration.observe(seconds);
    this.o.metrics.lastTimestamp.set(Date.now() / 1000);
    this.o.health.updated(startedAt);
    if (result.retryAfterMs !== undefined) this.runner.retryAfter(result.retryAfterMs);
    this.o.logger.debug({ servicePorts: snapshot.services.size, seconds }, 'synced');
  }
}
