// The EndpointSlice controller (upstream pkg/controller/endpointslice): for every Service with a
// selector, EndpointSlices listing the pods it selects, at most maxEndpointsPerSlice endpoints
// each. Keyed by Service; pod changes queue the Services that select the pod, and changes to the
// controller's own slices queue their Service unless the tracker knows them as its own writes.
// Deviation: when a Service is gone its slices are deleted here too, not only by the garbage
// collector through their ownerReference as upstream leaves it.

import type { EndpointSlice, Node, Pod, Service } from '@kubets/api';
import { type Informer, objectKey, type RateLimitingQueue, splitKey } from '@kubets/client';
import type { ControllerContext } from '../../controller/context.js';
import { type Controller, runWorkers } from '../../controller/controller.js';
import { SliceReconciler, endpointSlicesResource } from './reconciler.js';
import { controllerName, managedByLabel } from './slice-objects.js';
import { errorText } from '../../controller/util/api-errors.js';
import { EndpointSliceTracker, serviceNameLabel } from './util/endpointslice-tracker.js';
import { hasManagedEndpoints } from './util/pod-endpoints.js';
import { podEventHandler, podsSelectedBy } from './util/pod-handlers.js';
import { TriggerTimeTracker } from './util/trigger-time-tracker.js';

/** Upstream's endpointSliceChangeMinSyncDelay: slice changes wait this long, so a burst makes one sync. */
const sliceChangeMinSyncDelayMs = 1000;
const byServiceIndex = 'endpointslice-controller/service';

export interface EndpointSliceControllerOptions {
  /** kube-controller-manager's --max-endpoints-per-slice. Default 100. */
  maxEndpointsPerSlice?: number;
  /** Upstream's endpointUpdatesBatchPeriod for pod changes (--endpointslice-updates-batch-period). Default 0. */
  endpointUpdatesBatchPeriodMs?: number;
}

export class EndpointSliceController implements Controller {
  private readonly services: Informer<Service>;
  private readonly pods: Informer<Pod>;
  private readonly slices: Informer<EndpointSlice>;
  private readonly nodes: Informer<Node>;
  private readonly queue: RateLimitingQueue<string>;
  private readonly tracker = new EndpointSliceTracker();
  private readonly triggerTimes = new TriggerTimeTracker();
  private readonly reconciler: SliceReconciler;
  private readonly batchPeriodMs: number;
  private readonly stopped = new AbortController();

  constructor(private readonly ctx: ControllerContext, opts: EndpointSliceControllerOptions = {}) {
    this.batchPeriodMs = opts.endpointUpdatesBatchPeriodMs ?? 0;
    this.queue = ctx.newQueue('endpoint_slice');
    this.services = ctx.informers.informerFor<Service>('services');
    this.pods = ctx.informers.informerFor<Pod>('pods');
    this.slices = ctx.informers.informerFor<EndpointSlice>(endpointSlicesResource);
    this.nodes = ctx.informers.informerFor<Node>('nodes');
    this.slices.addIndexer(byServiceIndex, (s) => (isManaged(s) ? [serviceKeyOf(s)] : []));
    this.reconciler = new SliceReconciler(ctx.client, this.tracker, (name) => this.nodes.get(undefined, name), opts.maxEndpointsPerSlice ?? 100);
    const enqueueService = (svc: Service) => this.queue.add(objectKey(svc));
    this.services.addEventHandler({ onAdd: enqueueService, onUpdate: (_old, cur) => enqueueService(cur), onDelete: enqueueService });
    this.pods.addEventHandler(podEventHandler(this.services, (key) => this.queue.addAfter(key, this.batchPeriodMs)));
    this.slices.addEventHandler({
      onAdd: (s) => {
        if (isManaged(s) && this.tracker.shouldSync(s)) this.queueForSlice(s);
      },
      onUpdate: (prev, cur) => this.onSliceUpdate(prev, cur),
      onDelete: (s) => {
        // A deletion the controller did not make is undone by a sync.
        if (isManaged(s) && this.tracker.has(s) && !this.tracker.handleDeletion(s)) this.queueForSlice(s);
      },
    });
  }

  async run(): Promise<void> {
    const synced = await Promise.all([this.services, this.pods, this.slices, this.nodes].map((i) => i.waitForSync(this.stopped.signal)));
    if (!synced.every(Boolean)) return;
    this.ctx.logger.info({ controller: 'endpointslice-controller' }, 'Starting controller');
    await runWorkers(this.ctx, this.queue, this.ctx.options.concurrentServiceEndpointSyncs, (key) => this.syncService(key));
  }

  async stop(): Promise<void> {
    this.stopped.abort();
    await this.queue.shutDownWithDrain();
  }

  private onSliceUpdate(prev: EndpointSlice, cur: EndpointSlice): void {
    // Users may relabel a slice to another Service: both Services are looked at.
    if (prev.metadata?.labels?.[serviceNameLabel] !== cur.metadata?.labels?.[serviceNameLabel]) {
      this.queueForSlice(cur);
      this.queueForSlice(prev);
      return;
    }
    if (isManaged(prev) !== isManaged(cur) || (isManaged(cur) && this.tracker.shouldSync(cur))) this.queueForSlice(cur);
  }

  private queueForSlice(slice: EndpointSlice): void {
    if (!slice.metadata?.labels?.[serviceNameLabel]) {
      this.ctx.logger.warn({ slice: slice.metadata?.name }, `EndpointSlice missing ${serviceNameLabel} label`);
      return;
    }
    this.queue.addAfter(serviceKeyOf(slice), Math.max(sliceChangeMinSyncDelayMs, this.batchPeriodMs));
  }

  /** One step for one Service: its slices made to list its pods as they are now. */
  async syncService(key: string): Promise<void> {
    const { namespace = '', name } = splitKey(key);
    const service = this.services.get(namespace, name);
    const existing = this.slices.byIndex(byServiceIndex, key).filter((s) => s.metadata?.deletionTimestamp === undefined);
    if (service === undefined) {
      for (const slice of existing) await this.reconciler.deleteSlice(slice);
      this.triggerTimes.deleteService(namespace, name);
      this.tracker.deleteService(namespace, name);
      return;
    }
    if (!hasManagedEndpoints(service)) return;
    if (this.tracker.staleSlices(service, existing)) throw new Error('EndpointSlice informer cache is out of date');
    const pods = podsSelectedBy(this.pods, service);
    // Computed on every sync, so the tracker sees this state even when nothing is written.
    const triggerTime = this.triggerTimes.compute(service, pods);
    try {
      await this.reconciler.reconcile({ service, pods, existing, triggerTime });
    } catch (e) {
      this.ctx.recorder('endpoint-slice-controller').event(service, 'Warning', 'FailedToUpdateEndpointSlices', `Error updating Endpoint Slices for Service ${key}: ${errorText(e)}`);
      throw e;
    }
  }
}

function isManaged(slice: EndpointSlice): boolean {
  return slice.metadata?.labels?.[managedByLabel] === controllerName;
}

function serviceKeyOf(slice: EndpointSlice): string {
  return `${slice.metadata?.namespace ?? ''}/${slice.metadata?.labels?.[serviceNameLabel] ?? ''}`;
}
