// The node lifecycle controller (upstream's pkg/controller/nodelifecycle): every
// --node-monitor-period it checks that each node's kubelet is still heard of (its Lease or its
// Ready heartbeat); a node silent past the grace period gets its conditions set Unknown, its
// pods marked not Ready, and (rate-limited per zone, slowed or stopped when a zone or the
// whole cluster looks down) the NoExecute taint that makes the taint eviction controller
// evict its pods. It also keeps the NoSchedule taints that mirror the node's conditions.

import type { Lease, Node, Pod } from '@kubets/api';
import { type EventRecorder, type Informer, isNotFound, objectKey, type RateLimitingQueue, sleep, splitKey } from '@kubets/client';
import type { ControllerContext } from '../../controller/context.js';
import { type Controller, runWorkers } from '../../controller/controller.js';
import { apiTime, errorText, findCondition, nodeConditions, type NodeCondition, nodeReference, parseApiTime } from './conditions.js';
import { every, forEachLimit } from './loops.js';
import { isSilent, type NodeHealth, observeNodeHealth, silentNodeConditions } from './node-health.js';
import { markPodsNotReady, swapNodeTaints } from './node-writes.js';
import { ensurePodNodeIndex, podsOnNode } from './pod-index.js';
import { noExecuteTaintFor, noScheduleTaintChanges, notReadyTaint, taintExists, unreachableTaint } from './taints.js';
import { ZoneTainters } from './zone-tainters.js';
import { defaultDisruptionOptions, type DisruptionOptions, excludedFromDisruption, stepDisruption, type ZoneState, zoneKey } from './zones.js';

export const nodeLeaseNamespace = 'kube-node-lease';
/** How often the NoExecute tainting queues are looked at (upstream's NodeEvictionPeriod). */
export const nodeEvictionPeriodMs = 100;
const nodeUpdateWorkers = 8;
const podUpdateWorkers = 4;
/** Tries of one node's health update (upstream's NodeHealthUpdateRetry), retrySleepTime apart. */
const healthUpdateRetries = 5;
const retrySleepMs = 20;

/** Settings beyond ControllerManagerOptions (kube-controller-manager flags the lead may add). */
export type NodeLifecycleOptions = Omit<DisruptionOptions, 'evictionQps'>;

interface ReadyPair {
  /** The Ready condition as the kubelet left it (or a stand-in Unknown when it never posted). */
  observed: NodeCondition;
  /** The Ready condition after this pass (undefined when the node has none). */
  current: NodeCondition | undefined;
}

export class NodeLifecycleController implements Controller {
  private readonly nodes: Informer<Node>;
  private readonly pods: Informer<Pod>;
  private readonly leases: Informer<Lease>;
  private readonly recorder: EventRecorder;
  private readonly nodeQueue: RateLimitingQueue<string>;
  private readonly podQueue: RateLimitingQueue<string>;
  private readonly tainters: ZoneTainters;
  private readonly disruption: DisruptionOptions;
  private readonly health = new Map<string, NodeHealth>();
  private readonly knownNodes = new Set<string>();
  private zoneStates = new Map<string, ZoneState>();
  private readonly nodesToRetry = new Set<string>();
  private readonly stopping = new AbortController();

  constructor(private readonly ctx: ControllerContext, options: Partial<NodeLifecycleOptions> = {}) {
    this.disruption = { ...defaultDisruptionOptions, ...options, evictionQps: ctx.options.nodeEvictionRate };
    this.nodes = ctx.informers.informerFor<Node>('nodes');
    this.pods = ctx.informers.informerFor<Pod>('pods');
    this.leases = ctx.informers.informerFor<Lease>('leases.coordination.k8s.io', { namespace: nodeLeaseNamespace });
    ensurePodNodeIndex(this.pods);
    this.recorder = ctx.recorder('node-controller');
    this.nodeQueue = ctx.newQueue('node_lifecycle_controller');
    this.podQueue = ctx.newQueue('node_lifecycle_controller_pods');
    this.tainters = new ZoneTainters(ctx.client, this.nodes, ctx.clock, ctx.logger, this.disruption.evictionQps);
    this.nodes.addEventHandler({
      onAdd: (n) => this.nodeQueue.add(objectKey(n)),
      onUpdate: (_old, n) => this.nodeQueue.add(objectKey(n)),
    });
    this.pods.addEventHandler({
      onAdd: (p) => this.podAssigned(undefined, p),
      onUpdate: (old, p) => this.podAssigned(old, p),
    });
  }

  /** The zone states after the last pass, for tests and metrics. */
  get zones(): ReadonlyMap<string, ZoneState> {
    return this.zoneStates;
  }

  async run(): Promise<void> {
    const signal = this.stopping.signal;
    if (!(await this.ctx.informers.waitForCacheSync(signal))) return;
    const { clock, logger, options } = this.ctx;
    await Promise.all([
      runWorkers(this.ctx, this.nodeQueue, nodeUpdateWorkers, (name) => this.doNoScheduleTaintingPass(name)),
      runWorkers(this.ctx, this.podQueue, podUpdateWorkers, (key) => this.processPod(key)),
      every(clock, nodeEvictionPeriodMs, signal, logger, 'NoExecute tainting pass', () => this.tainters.taintingPass()),
      every(clock, options.nodeMonitorPeriodMs, signal, logger, 'monitoring node health', () => this.monitorNodeHealth()),
    ]);
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    this.nodeQueue.shutDown();
    this.podQueue.shutDown();
  }

  // --- NoSchedule taints by condition -------------------------------------------------------

  private async doNoScheduleTaintingPass(name: string): Promise<void> {
    const node = this.nodes.get(undefined, name);
    if (node === undefined) return;
    const { add, remove } = noScheduleTaintChanges(node);
    if (add.length === 0 && remove.length === 0) return;
    await swapNodeTaints(this.ctx.client, node, add, remove, this.ctx.clock.now());
  }

  // --- pods bound to nodes that are not Ready -------------------------------------------------

  private podAssigned(old: Pod | undefined, pod: Pod): void {
    const node = pod.spec?.nodeName;
    if (node && node !== old?.spec?.nodeName) this.podQueue.add(objectKey(pod));
  }

  private async processPod(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pod = this.pods.get(namespace, name);
    const nodeName = pod?.spec?.nodeName;
    if (pod === undefined || !nodeName) return;
    const ready = this.health.get(nodeName)?.savedReady;
    if (ready === undefined || this.nodes.get(undefined, nodeName) === undefined) return; // not looked at yet
    if (ready.status !== 'True') await markPodsNotReady(this.ctx.client, this.recorder, [pod], nodeName, this.ctx.clock.now());
  }

  // --- the health pass ------------------------------------------------------------------------

  /** One look at every node (upstream's monitorNodeHealth). */
  async monitorNodeHealth(): Promise<void> {
    const nodes = this.nodes.list();
    await this.classifyNodes(nodes);
    const zoneConditions = new Map<string, (NodeCondition | undefined)[]>();
    await forEachLimit(nodes, nodeUpdateWorkers, async (node) => {
      const pair = await this.updateHealthWithRetries(node);
      if (pair === undefined) return;
      if (!excludedFromDisruption(node)) {
        const zone = zoneKey(node);
        zoneConditions.set(zone, [...(zoneConditions.get(zone) ?? []), pair.current]);
      }
      if (pair.current !== undefined) await this.actOnReadiness(node, pair);
    });
    await this.handleDisruption(zoneConditions, nodes);
  }

  /** Notes new and deleted nodes, with upstream's RegisteredNode and RemovingNode Events. */
  private async classifyNodes(nodes: readonly Node[]): Promise<void> {
    const seen = new Set<string>();
    for (const node of nodes) {
      const name = node.metadata!.name!;
      seen.add(name);
      this.tainters.ensureZone(zoneKey(node));
      if (this.knownNodes.has(name)) continue;
      this.knownNodes.add(name);
      this.recorder.event(nodeReference(node), 'Normal', 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`);
      await this.tainters.markReachable(node);
    }
    for (const name of [...this.knownNodes]) {
      if (seen.has(name)) continue;
      this.knownNodes.delete(name);
      this.health.delete(name);
      this.nodesToRetry.delete(name);
      this.recorder.event({ apiVersion: 'v1', kind: 'Node', name }, 'Normal', 'RemovingNode', `Node ${name} event: Removing Node ${name} from Controller`);
    }
  }

  private async updateHealthWithRetries(cached: Node): Promise<ReadyPair | undefined> {
    let node = cached;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.tryUpdateNodeHealth(node);
      } catch (e) {
        if (attempt >= healthUpdateRetries) {
          this.ctx.logger.error({ node: node.metadata?.name, err: errorText(e) }, 'Update health of Node from Controller error, Skipping - no pods will be evicted');
          return undefined;
        }
      }
      await sleep(this.ctx.clock, retrySleepMs);
      try {
        node = await this.ctx.client.get<Node>('nodes', undefined, node.metadata!.name!);
      } catch (e) {
        if (!isNotFound(e)) this.ctx.logger.error({ node: node.metadata?.name, err: errorText(e) }, 'Failed while getting a Node to retry updating node health');
        return undefined;
      }
    }
  }

  /** Upstream's tryUpdateNodeHealth: notes heartbeats, and sets a silent node's conditions Unknown. */
  private async tryUpdateNodeHealth(node: Node): Promise<ReadyPair> {
    const name = node.metadata!.name!;
    const now = this.ctx.clock.now();
    const created = node.metadata?.creationTimestamp ?? apiTime(now);
    const current = findCondition(nodeConditions(node), 'Ready');
    const observed = current ?? { type: 'Ready', status: 'Unknown', lastHeartbeatTime: created, lastTransitionTime: created };
    const lease = this.leases.get(nodeLeaseNamespace, name);
    const health = observeNodeHealth(this.health.get(name), node, lease, now);
    this.health.set(name, health);
    if (!isSilent(health, node, this.ctx.options, now)) return { observed, current };
    const conditions = silentNodeConditions(node, now);
    const ready = findCondition(conditions, 'Ready')!;
    if (sameCondition(ready, observed)) return { observed, current: ready };
    await this.ctx.client.updateStatus<Node>('nodes', undefined, { ...node, status: { ...node.status, conditions } });
    this.health.set(name, { ...health, readyTransitionTimestamp: now, savedReady: ready, leaseRenewMs: parseApiTime(lease?.spec?.renewTime) ?? health.leaseRenewMs });
    return { observed, current: ready };
  }

  /** Taints or untaints the node, and on a turn away from Ready tells of it and marks its pods. */
  private async actOnReadiness(node: Node, { observed, current }: ReadyPair): Promise<void> {
    const name = node.metadata!.name!;
    try {
      await this.processTaintBasedEviction(node, observed);
      const turnedNotReady = current!.status !== 'True' && observed.status === 'True';
      if (turnedNotReady) this.recorder.event(nodeReference(node), 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
      if (turnedNotReady || (this.nodesToRetry.has(name) && observed.status !== 'True')) {
        await markPodsNotReady(this.ctx.client, this.recorder, podsOnNode(this.pods, name), name, this.ctx.clock.now());
      }
      this.nodesToRetry.delete(name);
    } catch (e) {
      this.ctx.logger.warn({ node: name, err: errorText(e) }, 'acting on node readiness failed; will retry');
      this.nodesToRetry.add(name);
    }
  }

  private async processTaintBasedEviction(node: Node, observed: NodeCondition): Promise<void> {
    const status = observed.status;
    if (status === 'True') {
      await this.tainters.markReachable(node);
      return;
    }
    const swap = noExecuteTaintFor(status);
    if (swap === undefined) return;
    // Already tainted for the other status: swap at once, without waiting for the limiter.
    if (taintExists(node.spec?.taints, swap.opposite)) {
      await swapNodeTaints(this.ctx.client, node, [swap.taint], [swap.opposite], this.ctx.clock.now());
    } else {
      this.tainters.markForTainting(node, status as 'False' | 'Unknown');
    }
  }

  private async handleDisruption(zoneConditions: Map<string, (NodeCondition | undefined)[]>, nodes: readonly Node[]): Promise<void> {
    const step = stepDisruption(this.zoneStates, zoneConditions, this.disruption);
    if (step.markAllReachable) {
      this.ctx.logger.info({}, 'Controller detected that all Nodes are not-Ready. Entering master disruption mode');
      for (const node of nodes) await this.tainters.markReachable(node).catch((e: unknown) => this.ctx.logger.error({ node: node.metadata?.name, err: errorText(e) }, 'Failed to remove taints from Node'));
    }
    if (step.resetProbeTimestamps) {
      this.ctx.logger.info({}, 'Controller detected that some Nodes are Ready. Exiting master disruption mode');
      const now = this.ctx.clock.now();
      for (const [name, h] of this.health) this.health.set(name, { ...h, probeTimestamp: now, readyTransitionTimestamp: now });
    }
    for (const [zone, qps] of step.limiters) this.tainters.setRate(zone, qps);
    this.zoneStates = step.zoneStates;
  }
}

function sameCondition(a: NodeCondition, b: NodeCondition): boolean {
  return a.status === b.status && a.reason === b.reason && a.message === b.message && a.lastHeartbeatTime === b.lastHeartbeatTime && a.lastTransitionTime === b.lastTransitionTime;
}

