// The TTL-after-finished controller (upstream pkg/controller/ttlafterfinished): deletes a
// finished Job once its ttlSecondsAfterFinished has passed. The cache may be stale, so before
// deleting it reads the Job afresh and decides again, and the delete is pinned to that UID.

import { type Informer, objectKey, splitKey } from '@kubets/client';
import { unlessNotFound } from './not-found.js';
import type { ControllerContext } from '../../controller/context.js';
import { runWorkers, type Controller, type ControllerDescriptor } from '../../controller/controller.js';
import { needsCleanup, ttlDecision } from './ttl-after-finished.js';
import { jobsResource, type Job } from './types.js';

export interface TtlAfterFinishedOptions {
  /** --concurrent-ttl-after-finished-syncs; upstream's default is 5. */
  workers?: number;
}

export class TtlAfterFinishedController implements Controller {
  private readonly jobs: Informer<Job>;
  private readonly queue;
  private readonly workers: number;

  constructor(private readonly ctx: ControllerContext, opts: TtlAfterFinishedOptions = {}) {
    this.workers = opts.workers ?? ctx.options.concurrentTtlAfterFinishedSyncs;
    this.jobs = ctx.informers.informerFor<Job>(jobsResource);
    this.queue = ctx.newQueue('ttl_jobs_to_delete');
    const consider = (j: Job) => {
      if (needsCleanup(j)) this.queue.add(objectKey(j));
    };
    this.jobs.addEventHandler({ onAdd: consider, onUpdate: (_old, cur) => consider(cur) });
  }

  async run(): Promise<void> {
    if (!(await this.jobs.waitForSync())) return;
    await runWorkers(this.ctx, this.queue, this.workers, (key) => this.processJob(key));
  }

  async stop(): Promise<void> {
    this.queue.shutDown();
  }

  /** Whether the Job's TTL has run out; if not, requeues it for when it will. */
  private expired(key: string, job: Job): boolean {
    const d = ttlDecision(job, this.ctx.clock.now());
    if (d.action === 'wait') this.queue.addAfter(key, d.ms);
    return d.action === 'delete';
  }

  private async processJob(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const cached = this.jobs.get(namespace, name);
    if (cached === undefined || !this.expired(key, cached)) return;
    const fresh = await unlessNotFound(this.ctx.client.get<Job>(jobsResource, namespace, name));
    if (fresh === undefined || !this.expired(key, fresh)) return;
    this.ctx.logger.info({ job: key }, 'Cleaning up Job');
    const pinned = { propagationPolicy: 'Background' as const, preconditions: { uid: fresh.metadata?.uid ?? '' } };
    await unlessNotFound(this.ctx.client.delete(jobsResource, namespace, name, pinned));
  }
}

export const ttlAfterFinishedControllerDescriptor: ControllerDescriptor = {
  name: 'ttl-after-finished-controller',
  aliases: ['ttl-after-finished'],
  enabledByDefault: true,
  create: (ctx) => new TtlAfterFinishedController(ctx),
};
