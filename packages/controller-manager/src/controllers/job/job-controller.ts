// The Job controller (upstream pkg/controller/job): informers on Jobs and Pods feed a queue of
// Job keys; pod events are batched (one sync per second per Job), spec changes sync at once.
// A second queue removes the tracking finalizer from pods no running Job will count: orphans,
// and pods of Jobs that finished or were deleted.

import type { OwnerReference, Pod } from '@kubets/api';
import { ItemExponentialFailureRateLimiter, type Informer, objectKey, type RateLimitingQueue, splitKey } from '@kubets/client';
import type { ControllerContext } from '../../controller/context.js';
import { runWorkers, type Controller, type ControllerDescriptor } from '../../controller/controller.js';
import { BackoffStore } from './backoff.js';
import { isJobFinished } from './conditions.js';
import { ControllerExpectations, getControllerOf } from '../../controller/util/index.js';
import { FinalizerExpectations } from './expectations.js';
import { controllerUidIndex, controllerUidOf, JobSyncer, syncJobBatchPeriodMs } from './job-sync.js';
import { unlessNotFound } from './not-found.js';
import { PodControl } from './pod-control.js';
import { hasTrackingFinalizer, uidOf } from './pods.js';
import { jobsResource, type Job } from './types.js';

export interface JobControllerOptions {
  /** Workers; default --concurrent-job-syncs. */
  workers?: number;
  /** How long pod events are batched before a sync; upstream's 1 s by default. */
  syncBatchPeriodMs?: number;
}

type OwnerRef = OwnerReference;
const controllerRefOf = getControllerOf;

export class JobController implements Controller {
  private readonly jobs: Informer<Job>;
  private readonly pods: Informer<Pod>;
  private readonly queue: RateLimitingQueue<string>;
  private readonly orphanQueue: RateLimitingQueue<string>;
  private readonly expectations: ControllerExpectations;
  private readonly finalizerExpectations = new FinalizerExpectations();
  private readonly syncer: JobSyncer;
  private readonly podControl: PodControl;
  private readonly batchMs: number;
  private readonly workers: number;

  constructor(private readonly ctx: ControllerContext, opts: JobControllerOptions = {}) {
    this.batchMs = opts.syncBatchPeriodMs ?? syncJobBatchPeriodMs;
    this.workers = opts.workers ?? ctx.options.concurrentJobSyncs;
    this.jobs = ctx.informers.informerFor<Job>(jobsResource);
    this.pods = ctx.informers.informerFor<Pod>('pods');
    this.pods.addIndexer(controllerUidIndex, controllerUidOf);
    // Upstream DefaultJobApiBackOff and MaxJobApiBackOff: 1 s doubling to 1 min.
    this.queue = ctx.newQueue('job', new ItemExponentialFailureRateLimiter(1000, 60_000));
    this.orphanQueue = ctx.newQueue('job_orphan_pod', new ItemExponentialFailureRateLimiter(1000, 60_000));
    this.expectations = new ControllerExpectations(ctx.clock);
    const recorder = ctx.recorder('job-controller');
    this.podControl = new PodControl(ctx.client, recorder);
    this.syncer = new JobSyncer({
      client: ctx.client, jobs: this.jobs, pods: this.pods, recorder, clock: ctx.clock, logger: ctx.logger,
      expectations: this.expectations, finalizerExpectations: this.finalizerExpectations, backoff: new BackoffStore(),
      requeueAfter: (key, ms) => this.queue.addAfter(key, ms),
    });
    this.jobs.addEventHandler({
      onAdd: (j) => this.queue.add(objectKey(j)),
      onUpdate: (old, cur) => this.updateJob(old, cur),
      onDelete: (j) => this.deleteJob(j),
    });
    this.pods.addEventHandler({
      onAdd: (p) => this.addPod(p),
      onUpdate: (old, cur) => this.updatePod(old, cur),
      onDelete: (p) => this.deletePod(p, true),
    });
  }

  async run(): Promise<void> {
    if (!(await this.jobs.waitForSync()) || !(await this.pods.waitForSync())) return;
    await Promise.all([
      runWorkers(this.ctx, this.queue, this.workers, (key) => this.syncer.sync(key)),
      runWorkers(this.ctx, this.orphanQueue, 1, (key) => this.syncOrphanPod(key)),
    ]);
  }

  async stop(): Promise<void> {
    this.queue.shutDown();
    this.orphanQueue.shutDown();
  }

  private enqueueBatched(job: Job): void {
    this.queue.addAfter(objectKey(job), this.batchMs);
  }

  /** The Job a controller reference names, if it is in the cache with that UID. */
  private resolve(namespace: string | undefined, ref: OwnerRef): Job | undefined {
    if (ref.kind !== 'Job') return undefined;
    const job = this.jobs.get(namespace, ref.name);
    return job?.metadata?.uid === ref.uid ? job : undefined;
  }

  private updateJob(old: Job, cur: Job): void {
    if (old.metadata?.generation === cur.metadata?.generation) this.enqueueBatched(cur);
    else this.queue.add(objectKey(cur));
    // A finished Job's pods must lose their finalizers even if a sync missed some.
    if (isJobFinished(cur)) this.cleanupPodFinalizers(cur);
    this.recheckDeadline(old, cur);
  }

  /** A changed activeDeadlineSeconds: sync again when the new deadline passes. */
  private recheckDeadline(old: Job, cur: Job): void {
    const ads = cur.spec?.activeDeadlineSeconds;
    const start = cur.status?.startTime;
    if (ads === undefined || start === undefined || old.spec?.activeDeadlineSeconds === ads) return;
    this.queue.addAfter(objectKey(cur), ads * 1000 - (this.ctx.clock.now() - Date.parse(start)));
  }

  private deleteJob(job: Job): void {
    this.queue.add(objectKey(job));
    this.cleanupPodFinalizers(job);
  }

  private cleanupPodFinalizers(job: Job): void {
    for (const p of this.pods.byIndex(controllerUidIndex, job.metadata?.uid ?? '')) {
      if (hasTrackingFinalizer(p)) this.orphanQueue.add(objectKey(p));
    }
  }

  private addPod(pod: Pod): void {
    // After a restart a pod may already be terminating: that is no creation to observe.
    if (pod.metadata?.deletionTimestamp !== undefined) return this.deletePod(pod, false);
    const ref = controllerRefOf(pod);
    const job = ref === undefined ? undefined : this.resolve(pod.metadata?.namespace, ref);
    if (job !== undefined) {
      this.expectations.creationObserved(objectKey(job));
      return this.enqueueBatched(job);
    }
    if (ref === undefined && hasTrackingFinalizer(pod)) this.orphanQueue.add(objectKey(pod));
  }

  private updatePod(old: Pod, cur: Pod): void {
    if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
    // A graceful deletion starts: act now, not when the kubelet is done.
    if (cur.metadata?.deletionTimestamp !== undefined) return this.deletePod(cur, false);
    const finalizerGone = !hasTrackingFinalizer(cur);
    const curRef = controllerRefOf(cur);
    const oldRef = controllerRefOf(old);
    if (oldRef !== undefined && oldRef.uid !== curRef?.uid) this.wakeOwner(old, oldRef, finalizerGone);
    if (curRef !== undefined) return this.wakeOwner(cur, curRef, finalizerGone);
    if (hasTrackingFinalizer(cur)) this.orphanQueue.add(objectKey(cur));
  }

  private wakeOwner(pod: Pod, ref: OwnerRef, finalizerGone: boolean): void {
    const job = this.resolve(pod.metadata?.namespace, ref);
    if (job === undefined) return;
    if (finalizerGone) this.finalizerExpectations.finalizerRemovalObserved(objectKey(job), uidOf(pod));
    this.enqueueBatched(job);
  }

  private deletePod(pod: Pod, final: boolean): void {
    const ref = controllerRefOf(pod);
    const job = ref === undefined ? undefined : this.resolve(pod.metadata?.namespace, ref);
    if (job === undefined || isJobFinished(job)) {
      // No sync will remove this finalizer.
      if (hasTrackingFinalizer(pod)) this.orphanQueue.add(objectKey(pod));
      return;
    }
    const key = objectKey(job);
    this.expectations.deletionObserved(key);
    if (final || !hasTrackingFinalizer(pod)) this.finalizerExpectations.finalizerRemovalObserved(key, uidOf(pod));
    this.enqueueBatched(job);
  }

  /** Upstream syncOrphanPod: drops the finalizer unless a running batch/v1 Job still controls the pod. */
  private async syncOrphanPod(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pod = this.pods.get(namespace, name);
    if (pod === undefined) return;
    const ref = controllerRefOf(pod);
    if (ref !== undefined) {
      if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return;
      const job = this.resolve(namespace, ref);
      if (job !== undefined && !isJobFinished(job)) return;
    }
    await unlessNotFound(this.podControl.removeTrackingFinalizer(pod));
  }
}

export const jobControllerDescriptor: ControllerDescriptor = {
  name: 'job-controller',
  aliases: ['job'],
  enabledByDefault: true,
  create: (ctx) => new JobController(ctx),
};
