// The ReplicaSet controller (upstream pkg/controller/replicaset/replica_set.go): keeps
// spec.replicas active pods matching the selector, each controlled by the ReplicaSet.
//
// Guarantees:
// - it syncs only after both caches have synced, so a restarted controller starts from a full
//   list and empty expectations, as upstream: nothing it created before is created again;
// - it never creates or deletes while an earlier step's creates or deletes are unobserved
//   (expectations), so it cannot over-create while its own writes are in flight;
// - status is written only when it changed, with observedGeneration.

import type { Pod, ReplicaSet } from '@kubets/api';
import { type EventRecorder, type Informer, type RateLimitingQueue, objectKey } from '@kubets/client';
import type { ControllerContext } from '../../controller/context.js';
import { type Controller, runWorkers } from '../../controller/controller.js';
import { claimThroughApi } from '../../controller/util/claim-client.js';
import { getControllerOf, replicaSetKind } from '../../controller/util/controller-ref.js';
import { UIDTrackingExpectations } from '../../controller/util/expectations.js';
import { filterActivePods, isPodReady, msUntilAvailable } from '../../controller/util/pod-status.js';
import { selectorOf } from '../../controller/util/selector.js';
import { manageReplicas } from './manage-replicas.js';
import { calculateStatus, statusUpToDate, type ReplicaSetStatus } from './replicaset-status.js';

export const replicaSetControllerComponent = 'replicaset-controller';

export class ReplicaSetController implements Controller {
  readonly expectations: UIDTrackingExpectations;
  private readonly replicaSets: Informer<ReplicaSet>;
  private readonly pods: Informer<Pod>;
  private readonly queue: RateLimitingQueue<string>;
  private readonly recorder: EventRecorder;
  private running: Promise<void> | undefined;

  constructor(private readonly ctx: ControllerContext) {
    this.expectations = new UIDTrackingExpectations(ctx.clock);
    this.replicaSets = ctx.informers.informerFor<ReplicaSet>('replicasets');
    this.pods = ctx.informers.informerFor<Pod>('pods');
    this.queue = ctx.newQueue('replicaset');
    this.recorder = ctx.recorder(replicaSetControllerComponent);
    this.replicaSets.addEventHandler({
      onAdd: (rs) => this.enqueue(rs),
      onUpdate: (_old, rs) => this.enqueue(rs),
      onDelete: (rs) => this.onReplicaSetDeleted(rs),
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.onPodAdded(pod),
      onUpdate: (old, cur) => this.onPodUpdated(old, cur),
      onDelete: (pod) => this.onPodDeleted(pod),
    });
  }

  run(): Promise<void> {
    this.running ??= this.work();
    return this.running;
  }

  async stop(): Promise<void> {
    this.queue.shutDown();
    await this.running;
  }

  private async work(): Promise<void> {
    const synced = await Promise.all([this.replicaSets.waitForSync(), this.pods.waitForSync()]);
    if (!synced.every(Boolean)) return;
    await runWorkers(this.ctx, this.queue, this.ctx.options.concurrentReplicaSetSyncs, (key) => this.sync(key));
  }

  private enqueue(rs: ReplicaSet): void {
    this.queue.add(objectKey(rs));
  }

  private onReplicaSetDeleted(rs: ReplicaSet): void {
    this.expectations.deleteExpectations(objectKey(rs));
    this.enqueue(rs);
  }

  /** The ReplicaSet a controller reference points at, if it is the one in the cache. */
  private resolveControllerRef(namespace: string | undefined, pod: Pod): ReplicaSet | undefined {
    const ref = getControllerOf(pod);
    if (ref === undefined || ref.kind !== replicaSetKind.kind) return undefined;
    const rs = this.replicaSets.get(namespace, ref.name);
    return rs?.metadata?.uid === ref.uid ? rs : undefined;
  }

  /** ReplicaSets whose selector matches an orphan: one of them may adopt it. */
  private replicaSetsSelecting(pod: Pod): ReplicaSet[] {
    return this.replicaSets.list(pod.metadata?.namespace ?? '').filter((rs) => {
      const selector = selectorOf(rs.spec?.selector);
      return !selector.isEmpty() && selector.matches(pod.metadata?.labels ?? {});
    });
  }

  private onPodAdded(pod: Pod): void {
    // A pod that shows up already being deleted (a restart mid-deletion) counts as a deletion.
    if (pod.metadata?.deletionTimestamp !== undefined) return this.onPodDeleted(pod);
    if (getControllerOf(pod) !== undefined) {
      const rs = this.resolveControllerRef(pod.metadata?.namespace, pod);
      if (rs === undefined) return;
      this.expectations.creationObserved(objectKey(rs));
      return this.enqueue(rs);
    }
    for (const rs of this.replicaSetsSelecting(pod)) this.enqueue(rs);
  }

  private onPodUpdated(old: Pod, cur: Pod): void {
    if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
    const labelsChanged = JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(cur.metadata?.labels ?? {});
    if (cur.metadata?.deletionTimestamp !== undefined) {
      this.onPodDeleted(cur);
      if (labelsChanged) this.onPodDeleted(old);
      return;
    }
    const oldRef = getControllerOf(old);
    const curRef = getControllerOf(cur);
    const refChanged = oldRef?.uid !== curRef?.uid;
    if (refChanged && oldRef !== undefined) {
      const oldRs = this.resolveControllerRef(old.metadata?.namespace, old);
      if (oldRs !== undefined) this.enqueue(oldRs);
    }
    if (curRef !== undefined) {
      const rs = this.resolveControllerRef(cur.metadata?.namespace, cur);
      if (rs === undefined) return;
      this.enqueue(rs);
      this.requeueWhenAvailable(rs, old, cur);
      return;
    }
    if (labelsChanged || refChanged) for (const rs of this.replicaSetsSelecting(cur)) this.enqueue(rs);
  }

  /** A pod that just became Ready becomes available minReadySeconds later: look again then. */
  private requeueWhenAvailable(rs: ReplicaSet, old: Pod, cur: Pod): void {
    const minReady = rs.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && !isPodReady(old) && isPodReady(cur)) this.queue.addAfter(objectKey(rs), minReady * 1000 + 1000);
  }

  private onPodDeleted(pod: Pod): void {
    const rs = this.resolveControllerRef(pod.metadata?.namespace, pod);
    if (rs === undefined) return;
    this.expectations.deletionObserved(objectKey(rs), objectKey(pod));
    this.enqueue(rs);
  }

  /** One reconcile of one ReplicaSet, from the caches. */
  async sync(key: string): Promise<void> {
    const rs = this.replicaSets.getByKey(key);
    if (rs === undefined) {
      this.expectations.deleteExpectations(key);
      return;
    }
    const needsSync = this.expectations.satisfiedExpectations(key);
    const pods = await this.claimPods(rs);
    let manageError: unknown;
    if (needsSync && rs.metadata?.deletionTimestamp === undefined) {
      manageError = await manageReplicas({ client: this.ctx.client, recorder: this.recorder, expectations: this.expectations }, rs, pods);
    }
    const now = this.ctx.clock.now();
    await this.writeStatus(rs, calculateStatus({ rs, pods, manageError, now }));
    if (manageError !== undefined) throw manageError;
    this.requeueForAvailability(key, rs, pods, now);
  }

  private async claimPods(rs: ReplicaSet): Promise<Pod[]> {
    const selector = selectorOf(rs.spec?.selector);
    const active = filterActivePods(this.pods.list(rs.metadata?.namespace ?? ''));
    const { claimed, errors } = await claimThroughApi({
      client: this.ctx.client,
      owner: rs,
      ownerKind: replicaSetKind,
      ownerResource: 'replicasets',
      objectResource: 'pods',
      selector,
      objects: active,
    });
    if (errors.length > 0) throw errors[0];
    return claimed;
  }

  /** Writes status only when it changed; one retry on a fresh copy, as upstream. */
  private async writeStatus(rs: ReplicaSet, status: ReplicaSetStatus): Promise<void> {
    if (statusUpToDate(rs, status)) return;
    const withStatus = (obj: ReplicaSet): ReplicaSet => ({ ...obj, status: { ...status, observedGeneration: obj.metadata?.generation ?? 0 } });
    const ns = rs.metadata?.namespace;
    try {
      await this.ctx.client.updateStatus('replicasets', ns, withStatus(rs));
    } catch (e) {
      this.ctx.logger.debug({ replicaset: objectKey(rs), err: String(e) }, 'status update failed; retrying on a fresh copy');
      const fresh = await this.ctx.client.get<ReplicaSet>('replicasets', ns, rs.metadata?.name ?? '');
      await this.ctx.client.updateStatus('replicasets', ns, withStatus(fresh));
    }
  }

  /** Ready pods that are not yet available will be after minReadySeconds: sync again then. */
  private requeueForAvailability(key: string, rs: ReplicaSet, pods: readonly Pod[], now: number): void {
    const minReady = rs.spec?.minReadySeconds ?? 0;
    if (minReady <= 0) return;
    const waits = pods.map((p) => msUntilAvailable(p, minReady, now)).filter((ms): ms is number => ms !== undefined && ms > 0);
    if (waits.length > 0) this.queue.addAfter(key, Math.min(...waits));
  }
}
