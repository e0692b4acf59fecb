// The node IPAM controller with upstream's range allocator: each node gets a pod CIDR of
// --node-cidr-mask-size from --cluster-cidr in spec.podCIDR and spec.podCIDRs (a patch
// conditional on the node's resourceVersion, so an existing one is never replaced). CIDRs the
// nodes hold at startup are marked used before anything is handed out; a deleted node's is
// freed. When the range is exhausted the node gets a CIDRNotAvailable Event and
// NetworkUnavailable=True, which the node lifecycle controller turns into a NoSchedule taint.

import type { Node } from '@kubets/api';
import { type EventRecorder, type Informer, objectKey, type RateLimitingQueue } from '@kubets/client';
import type { ControllerContext } from '../../controller/context.js';
import { type Controller, runWorkers } from '../../controller/controller.js';
import { apiTime, errorText, findCondition, nodeConditions, nodeReference } from '../nodelifecycle/conditions.js';
import { CidrRangeExhaustedError, CidrSet } from './cidr-set.js';

export const nodeIpamControllerName = 'node-ipam-controller';
/** Upstream's cidrUpdateWorkers. */
const workers = 30;

export const noCidrCondition = { type: 'NetworkUnavailable', status: 'True', reason: 'CIDRNotAvailable', message: 'No pod CIDR is left in the cluster CIDR for this node' };
/** What upstream's allocator writes once a node has its range (there is no route controller here). */
export const cidrAssignedCondition = { type: 'NetworkUnavailable', status: 'False', reason: 'RouteCreated', message: 'NodeController create implicit route' };

export class NodeIpamController implements Controller {
  private readonly nodes: Informer<Node>;
  private readonly queue: RateLimitingQueue<string>;
  private readonly recorder: EventRecorder;
  readonly cidrs: CidrSet;
  /** The CIDR this controller holds for each node: occupied from the node, or allocated for it. */
  private readonly held = new Map<string, string>();

  constructor(private readonly ctx: ControllerContext, clusterCidr: string) {
    this.cidrs = new CidrSet(clusterCidr, ctx.options.nodeCidrMaskSize);
    this.nodes = ctx.informers.informerFor<Node>('nodes');
    this.queue = ctx.newQueue('node_ipam');
    this.recorder = ctx.recorder('cidrAllocator');
    this.nodes.addEventHandler({
      onAdd: (n) => this.queue.add(objectKey(n)),
      onUpdate: (_old, n) => this.queue.add(objectKey(n)),
      onDelete: (n) => this.queue.add(objectKey(n)),
    });
  }

  async run(): Promise<void> {
    if (!(await this.nodes.waitForSync())) return;
    for (const node of this.nodes.list()) this.occupyFrom(node);
    await runWorkers(this.ctx, this.queue, workers, (name) => this.sync(name));
  }

  async stop(): Promise<void> {
    this.queue.shutDown();
  }

  /** Marks the node's CIDR used; a CIDR outside the cluster CIDR is logged and left alone. */
  private occupyFrom(node: Node): boolean {
    const name = node.metadata!.name!;
    const cidr = node.spec?.podCIDRs?.[0] ?? node.spec?.podCIDR;
    if (!cidr) return false;
    const held = this.held.get(name);
    if (held === cidr) return true;
    if (held !== undefined) this.cidrs.release(held); // ours lost a race to another writer: theirs counts
    try {
      this.cidrs.occupy(cidr);
      this.held.set(name, cidr);
    } catch (e) {
      this.ctx.logger.error({ node: name, cidr, err: errorText(e) }, 'failed to mark the node\'s CIDR as occupied');
    }
    return true;
  }

  private async sync(name: string): Promise<void> {
    const node = this.nodes.get(undefined, name);
    if (node === undefined) return this.release(name);
    if (this.occupyFrom(node)) return this.clearNoCidrCondition(node);
    const cidr = this.held.get(name) ?? this.allocateNext();
    if (cidr === undefined) return this.reportNoCidr(node); // the node's next update, or a freed CIDR, tries again
    this.held.set(name, cidr);
    // Conditional on what we read: if someone set a CIDR meanwhile, the write fails and the retry occupies theirs.
    await this.ctx.client.patch('nodes', undefined, name, { metadata: { resourceVersion: node.metadata?.resourceVersion }, spec: { podCIDR: cidr, podCIDRs: [cidr] } });
    this.ctx.logger.info({ node: name, cidr }, 'Set Node PodCIDR');
  }

  private allocateNext(): string | undefined {
    try {
      return this.cidrs.allocateNext();
    } catch (e) {
      if (e instanceof CidrRangeExhaustedError) return undefined;
      throw e;
    }
  }

  private async reportNoCidr(node: Node): Promise<void> {
    const name = node.metadata!.name!;
    this.recorder.event(nodeReference(node), 'Normal', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`);
    await this.setNetworkCondition(node, noCidrCondition);
  }

  private release(name: string): void {
    const cidr = this.held.get(name);
    if (cidr === undefined) return;
    this.held.delete(name);
    this.cidrs.release(cidr);
    this.ctx.logger.info({ node: name, cidr }, 'Release CIDR for Node');
    this.retryNodesWithoutCidr();
  }

  /** A CIDR came free: the nodes still waiting for one may have it. */
  private retryNodesWithoutCidr(): void {
    for (const n of this.nodes.list()) if (!n.spec?.podCIDRs?.length && !n.spec?.podCIDR) this.queue.add(objectKey(n));
  }

  private async clearNoCidrCondition(node: Node): Promise<void> {
    const c = findCondition(nodeConditions(node), 'NetworkUnavailable');
    if (c?.status === 'True' && c.reason === noCidrCondition.reason) await this.setNetworkCondition(node, cidrAssignedCondition);
  }

  private async setNetworkCondition(node: Node, wanted: { type: string; status: string; reason: string; message: string }): Promise<void> {
    const existing = findCondition(nodeConditions(node), wanted.type);
    if (existing?.status === wanted.status && existing.reason === wanted.reason) return;
    const now = apiTime(this.ctx.clock.now());
    const condition = { ...wanted, lastHeartbeatTime: now, lastTransitionTime: existing?.status === wanted.status ? existing.lastTransitionTime : now };
    const conditions = [...nodeConditions(node).filter((x) => x.type !== wanted.type), condition];
    await this.ctx.client.updateStatus<Node>('nodes', undefined, { ...node, status: { ...node.status, conditions } });
  }
}

/** Stands in when IPAM is off (no --allocate-node-cidrs or no --cluster-cidr), as upstream skips the controller. */
export class DisabledController implements Controller {
  private readonly stopped: Promise<void>;
  private resolve: () => void = () => {};

  constructor() {
    this.stopped = new Promise((r) => (this.resolve = r));
  }

  run(): Promise<void> {
    return this.stopped;
  }

  async stop(): Promise<void> {
    this.resolve();
  }
}
