// The taint eviction controller (upstream's pkg/controller/tainteviction, run on its own as
// `taint-eviction-controller` since 1.29): a pod on a node with NoExecute taints it does not
// tolerate is deleted at once; one that tolerates them for a while is deleted when that time
// is up, counted from each taint's timeAdded; the taint going away in time cancels it. Before
// deleting, the pod gets the DisruptionTarget condition, as upstream.

import type { Node, Pod, Taint } from '@kubets/api';
import { type EventRecorder, type Informer, isNotFound, objectKey, type RateLimitingQueue, splitKey } from '@kubets/client';
import type { ControllerContext } from '../../controller/context.js';
import { type Controller, runWorkers } from '../../controller/controller.js';
import { apiTime, findCondition, parseApiTime } from '../nodelifecycle/conditions.js';
import { ensurePodNodeIndex, podsOnNode } from '../nodelifecycle/pod-index.js';
import { evictionDecision, noExecuteTaints } from './tolerations.js';

export const taintEvictionControllerName = 'taint-eviction-controller';
const workers = 8;

export const disruptionTargetCondition = {
  type: 'DisruptionTarget',
  status: 'True',
  reason: 'DeletionByTaintManager',
  message: 'Taint manager: deleting due to NoExecute taint',
};

export class TaintEvictionController implements Controller {
  private readonly nodes: Informer<Node>;
  private readonly pods: Informer<Pod>;
  private readonly queue: RateLimitingQueue<string>;
  private readonly recorder: EventRecorder;
  /** Pods with an eviction waiting, to tell of its cancellation as upstream does. */
  private readonly scheduled = new Set<string>();
  /** When this controller first saw each taint that has no timeAdded, by node. */
  private readonly firstSeen = new Map<string, Map<string, number>>();

  constructor(private readonly ctx: ControllerContext) {
    this.nodes = ctx.informers.informerFor<Node>('nodes');
    this.pods = ctx.informers.informerFor<Pod>('pods');
    ensurePodNodeIndex(this.pods);
    this.queue = ctx.newQueue('noexec_taint_pod');
    this.recorder = ctx.recorder(taintEvictionControllerName);
    this.nodes.addEventHandler({
      onAdd: (n) => this.nodeChanged(undefined, n),
      onUpdate: (old, n) => this.nodeChanged(old, n),
      onDelete: (n) => {
        this.firstSeen.delete(n.metadata!.name!);
        this.nodeChanged(undefined, n);
      },
    });
    this.pods.addEventHandler({
      onAdd: (p) => this.podChanged(undefined, p),
      onUpdate: (old, p) => this.podChanged(old, p),
      onDelete: (p) => this.queue.add(objectKey(p)),
    });
  }

  async run(): Promise<void> {
    if (!(await this.nodes.waitForSync()) || !(await this.pods.waitForSync())) return;
    await runWorkers(this.ctx, this.queue, workers, (key) => this.sync(key));
  }

  async stop(): Promise<void> {
    this.queue.shutDown();
  }

  private nodeChanged(old: Node | undefined, node: Node): void {
    if (old !== undefined && sameTaints(noExecuteTaints(old.spec?.taints), noExecuteTaints(node.spec?.taints))) return;
    for (const pod of podsOnNode(this.pods, node.metadata!.name!)) this.queue.add(objectKey(pod));
  }

  private podChanged(old: Pod | undefined, pod: Pod): void {
    if (!pod.spec?.nodeName) return;
    if (old !== undefined && old.spec?.nodeName === pod.spec.nodeName && JSON.stringify(old.spec?.tolerations) === JSON.stringify(pod.spec.tolerations)) return;
    this.queue.add(objectKey(pod));
  }

  /** Decides for one pod from the caches: nothing, wait until its time, or evict now. */
  private async sync(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pod = this.pods.get(namespace, name);
    const node = pod?.spec?.nodeName ? this.nodes.get(undefined, pod.spec.nodeName) : undefined;
    if (pod === undefined || node === undefined || pod.metadata?.deletionTimestamp) {
      this.scheduled.delete(key); // gone or going: nothing to cancel or do
      return;
    }
    const taints = noExecuteTaints(node.spec?.taints);
    const now = this.ctx.clock.now();
    const decision = evictionDecision(pod, taints, (t) => this.taintSince(node, t, now), parseApiTime(pod.metadata?.creationTimestamp) ?? now);
    if (!decision.evict) return this.cancel(key, pod);
    if (decision.at > now) {
      this.scheduled.add(key);
      this.queue.addAfter(key, decision.at - now);
      return;
    }
    await this.evict(pod);
    this.scheduled.delete(key);
  }

  private taintSince(node: Node, taint: Taint, now: number): number {
    const added = parseApiTime(taint.timeAdded);
    if (added !== undefined) return added;
    const name = node.metadata!.name!;
    const seen = this.firstSeen.get(name) ?? new Map<string, number>();
    this.firstSeen.set(name, seen);
    const k = `${taint.key}:${taint.effect}`;
    if (!seen.has(k)) seen.set(k, now);
    return seen.get(k)!;
  }

  private cancel(key: string, pod: Pod): void {
    if (!this.scheduled.delete(key)) return;
    this.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
  }

  /** Upstream's addConditionAndDeletePod, on the pod as the server has it now. */
  private async evict(cached: Pod): Promise<void> {
    const key = objectKey(cached);
    this.ctx.logger.info({ controller: taintEvictionControllerName, pod: key }, 'Deleting pod');
    this.recorder.event(cached, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    const ns = cached.metadata?.namespace;
    const name = cached.metadata!.name!;
    try {
      const pod = await this.ctx.client.get<Pod>('pods', ns, name);
      const withCondition = podWithDisruptionTarget(pod, this.ctx.clock.now());
      if (withCondition !== undefined) await this.ctx.client.updateStatus<Pod>('pods', ns, withCondition);
      await this.ctx.client.delete('pods', ns, name, { preconditions: { uid: pod.metadata?.uid } });
    } catch (e) {
      if (!isNotFound(e)) throw e; // gone already: done
    }
  }
}

/** The pod with DisruptionTarget=True for the taint manager, or undefined when it has it already. */
export function podWithDisruptionTarget(pod: Pod, now: number): Pod | undefined {
  const existing = findCondition(pod.status?.conditions, 'DisruptionTarget');
  const c = disruptionTargetCondition;
  if (existing?.status === c.status && existing.reason === c.reason && existing.message === c.message) return undefined;
  const transition = existing?.status === c.status ? existing.lastTransitionTime : apiTime(now);
  const condition = { ...c, lastProbeTime: null, ...(transition !== undefined ? { lastTransitionTime: transition } : {}) };
  const others = (pod.status?.conditions ?? []).filter((x) => x.type !== 'DisruptionTarget');
  return { ...pod, status: { ...pod.status, conditions: [...others, condition] } };
}

function sameTaints(a: readonly Taint[], b: readonly Taint[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
