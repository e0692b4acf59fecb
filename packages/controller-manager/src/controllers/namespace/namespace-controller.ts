// The namespace controller (upstream's pkg/controller/namespace): for every namespace being
// deleted, the NamespacedResourcesDeleter empties it and then removes the `kubernetes`
// finalizer so that it goes. Namespaces are looked at a few seconds after their deletion is
// seen (other API servers and etcd members catch up with last-moment creations meanwhile), again
// after the deleter's estimate while content remains, and every --namespace-sync-period.

import type { Namespace } from '@kubets/api';
import { BucketRateLimiter, type Informer, ItemExponentialFailureRateLimiter, MaxOfRateLimiter, type RateLimitingQueue, type TimerHandle } from '@kubets/client';
import type { ControllerContext } from '../../controller/context.js';
import { type Controller, runWorkers } from '../../controller/controller.js';
import { discoverPreferredResources } from '../garbagecollector/discovery.js';
import { NamespacedResourcesDeleter, ResourcesRemainingError } from './deleter.js';

export interface NamespaceControllerOptions {
  /** Workers; the context's concurrentNamespaceSyncs by default. */
  workers?: number;
  /** How often every namespace is looked at again; the context's namespaceSyncPeriodMs by default. */
  resyncPeriodMs?: number;
  /** Wait after a deletion is seen before the first pass (upstream's namespaceDeletionGracePeriod, 5 s). */
  deletionGracePeriodMs?: number;
}

export const namespaceDeletionGracePeriodMs = 5_000;

export class NamespaceController implements Controller {
  readonly queue: RateLimitingQueue<string>;
  private readonly informer: Informer<Namespace>;
  private readonly deleter: NamespacedResourcesDeleter;
  private readonly workers: number;
  private readonly resyncPeriodMs: number;
  private readonly gracePeriodMs: number;
  private resyncTimer: TimerHandle | undefined;
  private stopped = false;

  constructor(private readonly ctx: ControllerContext, opts: NamespaceControllerOptions = {}) {
    this.workers = opts.workers ?? ctx.options.concurrentNamespaceSyncs;
    this.resyncPeriodMs = opts.resyncPeriodMs ?? ctx.options.namespaceSyncPeriodMs;
    this.gracePeriodMs = opts.deletionGracePeriodMs ?? namespaceDeletionGracePeriodMs;
    this.queue = ctx.newQueue('namespace', namespaceRateLimiter(ctx));
    this.deleter = new NamespacedResourcesDeleter({ client: ctx.client, clock: ctx.clock, discover: () => discoverPreferredResources(ctx.client) });
    this.informer = ctx.informers.informerFor<Namespace>('namespaces');
    this.informer.addEventHandler({
      onAdd: (ns) => this.enqueue(ns),
      onUpdate: (_old, ns) => this.enqueue(ns),
    });
  }

  async run(): Promise<void> {
    if (!(await this.informer.waitForSync())) return;
    this.scheduleResync();
    await runWorkers(this.ctx, this.queue, this.workers, (key) => this.sync(key));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.resyncTimer?.cancel();
    this.queue.shutDown();
  }

  /** Only namespaces being deleted have anything to do. */
  private enqueue(ns: Namespace): void {
    if (ns.metadata?.deletionTimestamp === undefined || ns.metadata.name === undefined) return;
    this.queue.addAfter(ns.metadata.name, this.gracePeriodMs);
  }

  private scheduleResync(): void {
    if (this.stopped || this.resyncPeriodMs <= 0) return;
    this.resyncTimer = this.ctx.clock.setTimer(this.resyncPeriodMs, () => {
      for (const ns of this.informer.list()) this.enqueue(ns);
      this.scheduleResync();
    });
  }

  private async sync(name: string): Promise<void> {
    const started = this.ctx.clock.now();
    try {
      if (this.informer.get(undefined, name) === undefined) {
        this.ctx.logger.info({ namespace: name }, 'Namespace has been deleted');
        return;
      }
      await this.deleter.delete(name);
    } catch (e) {
      if (!(e instanceof ResourcesRemainingError)) throw e;
      // Content is still going: come back in about half the estimate.
      this.queue.addAfter(name, (Math.floor(e.estimate / 2) + 1) * 1000);
    } finally {
      this.ctx.logger.debug({ namespace: name, durationMs: this.ctx.clock.now() - started }, 'Finished syncing namespace');
    }
  }
}

/** Upstream's nsControllerRateLimiter: retries at least every minute, 10 qps overall. */
function namespaceRateLimiter(ctx: ControllerContext) {
  return new MaxOfRateLimiter<string>(new ItemExponentialFailureRateLimiter<string>(5, 60_000), new BucketRateLimiter<string>(10, 100, { clock: ctx.clock }));
}
