// The Endpoints controller (upstream pkg/controller/endpoint): for every Service with a selector,
// the Endpoints of the same name lists the addresses and ports of the pods it selects. Keyed by
// Service; pod changes queue the Services whose selectors match the pod. Each sync reads the
// caches, computes the Endpoints and writes only when its content changed. Endpoints whose
// Service is gone are deleted, including those left over from before a restart.

import type { Endpoints, Pod, Service } from '@kubets/api';
import { type Informer, isNotFound, objectKey, type RateLimitingQueue, splitKey } from '@kubets/client';
import type { ControllerContext } from '../../controller/context.js';
import { type Controller, runWorkers } from '../../controller/controller.js';
import { errorText, isNamespaceTerminating } from '../../controller/util/api-errors.js';
import { hasManagedEndpoints } from '../endpointslice/util/pod-endpoints.js';
import { podEventHandler, podsSelectedBy } from '../endpointslice/util/pod-handlers.js';
import { TriggerTimeTracker } from '../endpointslice/util/trigger-time-tracker.js';
import { desiredEndpoints } from './desired-endpoints.js';
import { desiredSubsets } from './desired-subsets.js';
import { StaleEndpointsTracker } from './stale-endpoints-tracker.js';

/** Endpoints kept by leader election (old-style locks) have no Service and must stay. */
const leaderElectionAnnotation = 'control-plane.alpha.kubernetes.io/leader';

export interface EndpointsControllerOptions {
  /** Upstream's endpointUpdatesBatchPeriod: pod changes wait this long so several make one write. Default 0. */
  endpointUpdatesBatchPeriodMs?: number;
}

export class EndpointsController implements Controller {
  private readonly services: Informer<Service>;
  private readonly pods: Informer<Pod>;
  private readonly endpoints: Informer<Endpoints>;
  private readonly queue: RateLimitingQueue<string>;
  private readonly triggerTimes = new TriggerTimeTracker();
  private readonly staleEndpoints = new StaleEndpointsTracker();
  private readonly batchPeriodMs: number;
  private readonly stopped = new AbortController();

  constructor(private readonly ctx: ControllerContext, opts: EndpointsControllerOptions = {}) {
    this.batchPeriodMs = opts.endpointUpdatesBatchPeriodMs ?? 0;
    this.queue = ctx.newQueue('endpoint');
    this.services = ctx.informers.informerFor<Service>('services');
    this.pods = ctx.informers.informerFor<Pod>('pods');
    this.endpoints = ctx.informers.informerFor<Endpoints>('endpoints');
    const enqueueObject = (obj: Service | Endpoints) => this.queue.add(objectKey(obj));
    this.services.addEventHandler({ onAdd: enqueueObject, onUpdate: (_old, cur) => enqueueObject(cur), onDelete: enqueueObject });
    this.pods.addEventHandler(podEventHandler(this.services, (key) => this.queue.addAfter(key, this.batchPeriodMs)));
    this.endpoints.addEventHandler({ onDelete: enqueueObject });
  }

  async run(): Promise<void> {
    const synced = await Promise.all([this.services, this.pods, this.endpoints].map((i) => i.waitForSync(this.stopped.signal)));
    if (!synced.every(Boolean)) return;
    this.ctx.logger.info({ controller: 'endpoints-controller' }, 'Starting controller');
    this.queueLeftoverEndpoints();
    await runWorkers(this.ctx, this.queue, this.ctx.options.concurrentEndpointSyncs, (key) => this.syncService(key));
  }

  async stop(): Promise<void> {
    this.stopped.abort();
    await this.queue.shutDownWithDrain();
  }

  /** Once at start: Endpoints whose Service went while no controller ran are found and deleted. */
  private queueLeftoverEndpoints(): void {
    for (const ep of this.endpoints.list()) {
      if (ep.metadata?.annotations?.[leaderElectionAnnotation] !== undefined) continue;
      this.queue.add(objectKey(ep));
    }
  }

  /** One step for one Service: its Endpoints made to list its pods as they are now. */
  async syncService(key: string): Promise<void> {
    const { namespace = '', name } = splitKey(key);
    const service = this.services.get(namespace, name);
    if (service === undefined) return this.deleteEndpoints(namespace, name);
    if (!hasManagedEndpoints(service)) return;
    const pods = podsSelectedBy(this.pods, service);
    // Computed on every sync, so the tracker sees this state even when nothing is written.
    const triggerTime = this.triggerTimes.compute(service, pods);
    const current = this.endpoints.get(namespace, name);
    if (current !== undefined && this.staleEndpoints.isStale(current)) {
      throw new Error(`endpoints informer cache is out of date, resource version ${current.metadata?.resourceVersion} already processed for endpoints ${key}`);
    }
    const next = desiredEndpoints(current, service, desiredSubsets(service, pods), triggerTime);
    if (next === undefined) return;
    await this.write(service, current, next);
  }

  private async write(service: Service, current: Endpoints | undefined, next: Endpoints): Promise<void> {
    const svcName = `${service.metadata!.namespace}/${service.metadata!.name}`;
    try {
      if (current === undefined) {
        await this.ctx.client.create('endpoints', service.metadata!.namespace, next);
        return;
      }
      const updated = await this.ctx.client.update<Endpoints>('endpoints', service.metadata!.namespace, next);
      if (updated.metadata?.resourceVersion !== current.metadata?.resourceVersion) this.staleEndpoints.stale(current);
    } catch (e) {
      if (current === undefined && isNamespaceTerminating(e)) return;
      const recorder = this.ctx.recorder('endpoint-controller');
      if (current === undefined) recorder.event(next, 'Warning', 'FailedToCreateEndpoint', `Failed to create endpoint for service ${svcName}: ${errorText(e)}`);
      else recorder.event(next, 'Warning', 'FailedToUpdateEndpoint', `Failed to update endpoint ${svcName}: ${errorText(e)}`);
      throw e;
    }
  }

  private async deleteEndpoints(namespace: string, name: string): Promise<void> {
    try {
      await this.ctx.client.delete('endpoints', namespace, name);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    this.triggerTimes.deleteService(namespace, name);
    this.staleEndpoints.delete(namespace, name);
  }
}
