// The NoExecute tainting of unhealthy nodes, one rate-limited queue per zone (upstream's
// zoneNoExecuteTainter with markNodeForTainting, markNodeAsReachable and
// doNoExecuteTaintingPass). The taint eviction controller then evicts the pods that do not
// tolerate the taint; rate-limiting the taints is what rate-limits those evictions.

import type { Node } from '@kubets/api';
import type { Clock, Informer, KubeClient } from '@kubets/client';
import type { ControllerLogger } from '../../controller/context.js';
import { errorText, findCondition, nodeConditions } from './conditions.js';
import { swapNodeTaints } from './node-writes.js';
import { RateLimitedTimedQueue, type TimedValue, type TryResult } from './rate-limited-timed-queue.js';
import { noExecuteTaintFor, notReadyTaint, taintExists, unreachableTaint } from './taints.js';
import { zoneKey } from './zones.js';

const retryAfterMs = 50;

export class ZoneTainters {
  private readonly queues = new Map<string, RateLimitedTimedQueue>();

  constructor(
    private readonly client: KubeClient,
    private readonly nodes: Informer<Node>,
    private readonly clock: Clock,
    private readonly logger: ControllerLogger,
    private readonly evictionQps: number,
  ) {}

  /** Makes the queue of a zone seen for the first time (addPodEvictorForNewZone); true if it is new. */
  ensureZone(zone: string): boolean {
    if (this.queues.has(zone)) return false;
    this.queues.set(zone, new RateLimitedTimedQueue(this.evictionQps, this.clock));
    return true;
  }

  private queueOf(node: Node): RateLimitedTimedQueue {
    const zone = zoneKey(node);
    this.ensureZone(zone);
    return this.queues.get(zone)!;
  }

  setRate(zone: string, qps: number): void {
    this.queues.get(zone)?.swapLimiter(qps);
  }

  rateOf(zone: string): number | undefined {
    return this.queues.get(zone)?.qps;
  }

  /** Queues the node for the taint of its Ready status; true if newly queued. */
  markForTainting(node: Node, readyStatus: 'False' | 'Unknown'): boolean {
    const q = this.queueOf(node);
    const name = node.metadata!.name!;
    // Without its taint yet, the node may have been processed for the other status: queue it afresh.
    if (!taintExists(node.spec?.taints, readyStatus === 'False' ? notReadyTaint : unreachableTaint)) q.remove(name);
    return q.add(name, node.metadata?.uid);
  }

  /** Removes both NoExecute taints and forgets the node in its queue; true if it was queued. */
  async markReachable(node: Node): Promise<boolean> {
    await swapNodeTaints(this.client, node, [], [unreachableTaint, notReadyTaint], this.clock.now());
    return this.queueOf(node).remove(node.metadata!.name!);
  }

  /** One pass over every zone: taints the due nodes its limiter allows. */
  async taintingPass(): Promise<void> {
    for (const q of this.queues.values()) await q.try((v) => this.taintOne(v));
  }

  private async taintOne(v: TimedValue): Promise<TryResult> {
    const node = this.nodes.get(undefined, v.value);
    if (node === undefined) return { done: true }; // deleted meanwhile
    const ready = findCondition(nodeConditions(node), 'Ready');
    if (ready === undefined) return { done: false, retryAfterMs };
    const swap = noExecuteTaintFor(ready.status);
    if (swap === undefined) return { done: true }; // Ready again: nothing to taint
    try {
      await swapNodeTaints(this.client, node, [swap.taint], [swap.opposite], this.clock.now()); // false: the node is gone
      return { done: true };
    } catch (e) {
      this.logger.warn({ node: v.value, err: errorText(e) }, 'failed to taint node; will retry');
      return { done: false, retryAfterMs: 0 };
    }
  }
}
