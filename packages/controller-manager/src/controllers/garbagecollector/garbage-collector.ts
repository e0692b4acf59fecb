// The garbage collector (upstream's pkg/controller/garbagecollector): deletes objects whose
// owners are all gone, and carries out the Foreground and Orphan propagation policies the API
// server leaves to it as finalizers. At start it reads the API server's discovery documents and
// watches every resource that can be listed, watched and deleted (events aside), through the
// shared informers; a GraphBuilder keeps the owner graph from their events, and two queues do the
// work: attemptToDelete (objects whose owners may be gone, foreground owners, virtual owners to
// verify) and attemptToOrphan (owners deleted with the orphan finalizer).
//
// Upstream re-runs discovery every 30 s to follow new resources (CRDs); kubets serves a fixed set
// of resources, so discovery runs once, retried until it answers.

import { type EventHandler, type KubeObject, RateLimitingQueue, sleep } from '@kubets/client';
import type { ControllerContext } from '../../controller/context.js';
import type { Controller } from '../../controller/controller.js';
import { AbsentOwnerCache } from './absent-owner-cache.js';
import { AttemptToDelete } from './attempt-to-delete.js';
import { AttemptToOrphan } from './attempt-to-orphan.js';
import { apiVersionOf, type DiscoveredResource, discoverPreferredResources, RestMapper, supportsVerbs, targetName } from './discovery.js';
import { DependencyGraph } from './graph.js';
import { GraphBuilder, type GraphSink, type ObservedChange } from './graph-builder.js';
import { finalizersOf, identityOf, identityString, isBeingDeleted, type ObjectIdentity, ownerIdentity, ownerReferencesOf, type OwnerReference } from './identity.js';
import { errorText, GcOperations } from './operations.js';
import { processQueue } from './queue-loop.js';

/** The Event source, as upstream's names.GarbageCollectorController. */
export const garbageCollectorComponent = 'garbage-collector-controller';

/** Never watched: events are many, short-lived and owned by nobody (upstream's DefaultIgnoredResources). */
export const defaultIgnoredResources: { group: string; resource: string }[] = [
  { group: '', resource: 'events' },
  { group: 'events.k8s.io', resource: 'events' },
];

export interface GarbageCollectorOptions {
  ignoredResources?: { group: string; resource: string }[];
  /** Workers per queue; the context's concurrentGcSyncs by default. */
  workers?: number;
}

export class GarbageCollector implements Controller {
  readonly graph = new DependencyGraph();
  readonly absentOwners = new AbsentOwnerCache();
  readonly builder: GraphBuilder;
  readonly attemptToDeleteQueue: RateLimitingQueue<string>;
  readonly attemptToOrphanQueue: RateLimitingQueue<string>;
  private mapper = new RestMapper([]);
  private readonly stopping = new AbortController();
  private readonly ignored: { group: string; resource: string }[];
  private readonly workers: number;

  constructor(private readonly ctx: ControllerContext, opts: GarbageCollectorOptions = {}) {
    this.ignored = opts.ignoredResources ?? defaultIgnoredResources;
    this.workers = opts.workers ?? ctx.options.concurrentGcSyncs;
    this.attemptToDeleteQueue = ctx.newQueue('garbage_collector_attempt_to_delete');
    this.attemptToOrphanQueue = ctx.newQueue('garbage_collector_attempt_to_orphan');
    this.builder = new GraphBuilder(this.graph, this.absentOwners, this.sink());
  }

  async run(): Promise<void> {
    const resources = await this.discoverUntilAnswered();
    if (resources === undefined) return;
    this.mapper = new RestMapper(resources);
    const informers = resources.filter((r) => this.shouldWatch(r)).map((r) => this.watch(r));
    const synced = await Promise.all(informers.map((inf) => inf.waitForSync(this.stopping.signal)));
    if (!synced.every(Boolean)) return;
    this.ctx.logger.info({ resources: informers.length }, 'synced garbage collector');
    const ops = new GcOperations(this.ctx.client, () => this.mapper);
    const { logger } = this.ctx;
    const deleter = new AttemptToDelete({
      graph: this.graph,
      builder: this.builder,
      absentOwners: this.absentOwners,
      ops,
      logger,
      enqueue: (node) => this.attemptToDeleteQueue.add(node.uid),
      reportInvalidOwner: (item, ref) => this.reportInvalidNamespace(item, ref),
    });
    const orphaner = new AttemptToOrphan({ graph: this.graph, ops, logger });
    const loops = Array.from({ length: Math.max(1, this.workers) }, () => [
      processQueue(this.attemptToDeleteQueue, (uid) => deleter.process(uid), logger),
      processQueue(this.attemptToOrphanQueue, (uid) => orphaner.process(uid), logger),
    ]);
    await Promise.all(loops.flat());
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.attemptToDeleteQueue.shutDown();
    this.attemptToOrphanQueue.shutDown();
  }

  private sink(): GraphSink {
    return {
      attemptToDelete: (node, o) => (o?.rateLimited === true ? this.attemptToDeleteQueue.addRateLimited(node.uid) : this.attemptToDeleteQueue.add(node.uid)),
      attemptToOrphan: (node) => this.attemptToOrphanQueue.add(node.uid),
      invalidNamespaceOwnerRef: (dep, ref) => this.reportInvalidNamespace(dep.identity, ref),
    };
  }

  /** Discovery, retried with back-off (1 s doubling to 30 s) until it answers or the collector stops. */
  private async discoverUntilAnswered(): Promise<DiscoveredResource[] | undefined> {
    for (let delay = 1000; !this.stopping.signal.aborted; delay = Math.min(2 * delay, 30_000)) {
      try {
        const found = await discoverPreferredResources(this.ctx.client, this.stopping.signal);
        if (found.failure !== undefined) this.ctx.logger.warn({ err: found.failure.message }, 'failed to discover some groups');
        return found.resources;
      } catch (e) {
        if (this.stopping.signal.aborted) return undefined;
        this.ctx.logger.warn({ err: errorText(e) }, 'failed to discover preferred resources');
      }
      await sleep(this.ctx.clock, delay, this.stopping.signal);
    }
    return undefined;
  }

  private shouldWatch(r: DiscoveredResource): boolean {
    if (this.ignored.some((i) => i.group === r.group && i.resource === r.resource)) return false;
    return supportsVerbs(r, ['delete', 'list', 'watch']);
  }

  private watch(r: DiscoveredResource) {
    const informer = this.ctx.informers.informerFor<KubeObject>(r);
    informer.addEventHandler(this.handlerFor(r));
    this.ctx.logger.debug({ resource: targetName(r) }, 'garbage collector monitors resource');
    return informer;
  }

  private handlerFor(r: DiscoveredResource): EventHandler<KubeObject> {
    const gvk = { apiVersion: apiVersionOf(r), kind: r.kind };
    const change = (type: ObservedChange['type'], obj: KubeObject): ObservedChange => ({
      type,
      identity: identityOf(obj, gvk),
      owners: ownerReferencesOf(obj),
      beingDeleted: isBeingDeleted(obj),
      finalizers: finalizersOf(obj),
    });
    return {
      onAdd: (obj) => this.builder.observe(change('add', obj)),
      onUpdate: (old, obj) => this.builder.observe({ ...change('update', obj), old: { beingDeleted: isBeingDeleted(old), finalizers: finalizersOf(old) } }),
      onDelete: (obj) => this.builder.observe(change('delete', obj)),
    };
  }

  private reportInvalidNamespace(item: ObjectIdentity, ref: OwnerReference): void {
    const involved = { apiVersion: item.apiVersion, kind: item.kind, name: item.name, uid: item.uid, ...(item.namespace !== '' ? { namespace: item.namespace } : {}) };
    const message = `ownerRef ${identityString(ownerIdentity(ref, item.namespace))} does not exist in namespace ${JSON.stringify(item.namespace)}`;
    this.ctx.recorder(garbageCollectorComponent).event(involved, 'Warning', 'OwnerRefInvalidNamespace', message);
  }
}
