// The Deployment controller (upstream pkg/controller/deployment/deployment_controller.go):
// claims the ReplicaSets its selector matches, then takes one step of its strategy: scaling
// when spec.replicas changed or it is paused, else a RollingUpdate or Recreate step. The
// ReplicaSet controller does the pods.

import type { Deployment, Pod, ReplicaSet } from '@kubets/api';
import { type EventRecorder, type Informer, type RateLimitingQueue, objectKey } from '@kubets/client';
import type { ControllerContext } from '../../controller/context.js';
import type { Controller } from '../../controller/controller.js';
import { SyncedWorkers } from '../../controller/util/synced-workers.js';
import { claimThroughApi } from '../../controller/util/claim-client.js';
import { deploymentKind, eventSubject, getControllerOf } from '../../controller/util/controller-ref.js';
import { selectorOf } from '../../controller/util/selector.js';
import { rolloutRecreate } from './recreate.js';
import { rolloutRolling } from './rolling.js';
import { DeploymentStep } from './step.js';
import { isScalingEvent, syncScaling, syncStatusOnly } from './sync.js';
import { setPausedCondition } from './util/status.js';

export const deploymentControllerComponent = 'deployment-controller';

export class DeploymentController implements Controller {
  private readonly deployments: Informer<Deployment>;
  private readonly replicaSets: Informer<ReplicaSet>;
  private readonly pods: Informer<Pod>;
  private readonly queue: RateLimitingQueue<string>;
  private readonly recorder: EventRecorder;
  private readonly loop: SyncedWorkers;

  constructor(private readonly ctx: ControllerContext) {
    this.deployments = ctx.informers.informerFor<Deployment>('deployments');
    this.replicaSets = ctx.informers.informerFor<ReplicaSet>('replicasets');
    this.pods = ctx.informers.informerFor<Pod>('pods');
    this.queue = ctx.newQueue('deployment');
    this.recorder = ctx.recorder(deploymentControllerComponent);
    const enqueue = (d: Deployment) => this.queue.add(objectKey(d));
    this.deployments.addEventHandler({ onAdd: enqueue, onUpdate: (_o, d) => enqueue(d), onDelete: enqueue });
    this.replicaSets.addEventHandler({
      onAdd: (rs) => this.onReplicaSetChanged(undefined, rs),
      onUpdate: (old, rs) => this.onReplicaSetChanged(old, rs),
      onDelete: (rs) => this.ownerOf(rs).forEach(enqueue),
    });
    this.pods.addEventHandler({ onDelete: (pod) => this.onPodDeleted(pod) });
    const informers = [this.deployments, this.replicaSets, this.pods];
    this.loop = new SyncedWorkers(ctx, informers, this.queue, ctx.options.concurrentDeploymentSyncs, (key) => this.sync(key));
  }

  run(): Promise<void> {
    return this.loop.run();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** The Deployment a controller reference points at, if the cache has that one. */
  private ownerOf(obj: ReplicaSet): Deployment[] {
    const ref = getControllerOf(obj);
    if (ref === undefined || ref.kind !== deploymentKind.kind) return [];
    const d = this.deployments.get(obj.metadata?.namespace, ref.name);
    return d?.metadata?.uid === ref.uid ? [d] : [];
  }

  /** Deployments whose selector matches an orphan ReplicaSet: one of them may adopt it. */
  private deploymentsSelecting(rs: ReplicaSet): Deployment[] {
    return this.deployments.list(rs.metadata?.namespace ?? '').filter((d) => {
      const s = selectorOf(d.spec?.selector);
      return !s.isEmpty() && s.matches(rs.metadata?.labels ?? {});
    });
  }

  private onReplicaSetChanged(old: ReplicaSet | undefined, rs: ReplicaSet): void {
    if (old !== undefined && old.metadata?.resourceVersion === rs.metadata?.resourceVersion) return;
    const enqueue = (d: Deployment) => this.queue.add(objectKey(d));
    const oldRef = old === undefined ? undefined : getControllerOf(old);
    if (old !== undefined && oldRef !== undefined && oldRef.uid !== getControllerOf(rs)?.uid) this.ownerOf(old).forEach(enqueue);
    if (getControllerOf(rs) !== undefined) return this.ownerOf(rs).forEach(enqueue);
    const labelsChanged = old === undefined || JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(rs.metadata?.labels ?? {});
    if (labelsChanged || oldRef !== undefined) this.deploymentsSelecting(rs).forEach(enqueue);
  }

  /** Recreate waits for the old pods to be gone: their deletions wake it. */
  private onPodDeleted(pod: Pod): void {
    const ref = getControllerOf(pod);
    if (ref === undefined || ref.kind !== 'ReplicaSet') return;
    const rs = this.replicaSets.get(pod.metadata?.namespace, ref.name);
    if (rs === undefined || rs.metadata?.uid !== ref.uid) return;
    for (const d of this.ownerOf(rs)) if (d.spec?.strategy?.type === 'Recreate') this.queue.add(objectKey(d));
  }

  /** One reconcile of one Deployment, from the caches. */
  async sync(key: string): Promise<void> {
    const cached = this.deployments.getByKey(key);
    if (cached === undefined) return;
    const d = structuredClone(cached);
    const selector = selectorOf(d.spec?.selector);
    if (selector.isEmpty()) return this.refuseSelectingAll(d);
    const rsList = await this.claimReplicaSets(d, selector);
    const step = new DeploymentStep(this.stepEnv(key), d, rsList, this.podMap(d, rsList));
    if (d.metadata?.deletionTimestamp !== undefined) return syncStatusOnly(step);
    await this.showPaused(step);
    if (d.spec?.paused === true || (await isScalingEvent(step))) return syncScaling(step);
    if (d.spec?.strategy?.type === 'Recreate') return rolloutRecreate(step);
    return rolloutRolling(step);
  }

  private stepEnv(key: string) {
    return {
      client: this.ctx.client,
      recorder: this.recorder,
      logger: this.ctx.logger,
      now: () => this.ctx.clock.now(),
      requeueAfter: (ms: number) => (ms <= 0 ? this.queue.addRateLimited(key) : this.queue.addAfter(key, ms)),
    };
  }

  private async refuseSelectingAll(d: Deployment): Promise<void> {
    this.recorder.event(eventSubject(d, deploymentKind), 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
    if ((d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0)) return;
    await this.ctx.client.updateStatus('deployments', d.metadata?.namespace, { ...d, status: { ...d.status, observedGeneration: d.metadata?.generation } });
  }

  private async claimReplicaSets(d: Deployment, selector: ReturnType<typeof selectorOf>): Promise<ReplicaSet[]> {
    const { claimed, errors } = await claimThroughApi({
      client: this.ctx.client,
      owner: d,
      ownerKind: deploymentKind,
      ownerResource: 'deployments',
      objectResource: 'replicasets',
      selector,
      objects: this.replicaSets.list(d.metadata?.namespace ?? ''),
    });
    if (errors.length > 0) throw errors[0];
    return claimed;
  }

  /** The Deployment's pods by the uid of their ReplicaSet (upstream getPodMapForDeployment). */
  private podMap(d: Deployment, rsList: readonly ReplicaSet[]): Map<string, Pod[]> {
    const map = new Map<string, Pod[]>(rsList.map((rs) => [rs.metadata?.uid ?? '', []]));
    const selector = selectorOf(d.spec?.selector);
    for (const pod of this.pods.list(d.metadata?.namespace ?? '')) {
      if (!selector.matches(pod.metadata?.labels ?? {})) continue;
      map.get(getControllerOf(pod)?.uid ?? '')?.push(pod);
    }
    return map;
  }

  private async showPaused(step: DeploymentStep): Promise<void> {
    const status = structuredClone(step.d.status ?? {});
    if (setPausedCondition(step.d, status, this.ctx.clock.now())) await step.writeStatus(status);
  }
}
