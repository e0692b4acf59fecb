// The run/stop part every queue-driven controller shares: wait until its informers have
// synced (so a restarted controller acts on a full list, never on a partial cache), then run
// workers on its queue until stopped.

import type { RateLimitingQueue } from '@kubets/client';
import type { ControllerContext } from '../context.js';
import { type Controller, runWorkers } from '../controller.js';

export interface Syncable {
  waitForSync(): Promise<boolean>;
}

export class SyncedWorkers implements Controller {
  private running: Promise<void> | undefined;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly informers: readonly Syncable[],
    private readonly queue: RateLimitingQueue<string>,
    private readonly workers: number,
    private readonly reconcile: (key: string) => Promise<void>,
  ) {}

  run(): Promise<void> {
    this.running ??= this.work();
    return this.running;
  }

  async stop(): Promise<void> {
    this.queue.shutDown();
    await this.running;
  }

  private async work(): Promise<void> {
    const synced = await Promise.all(this.informers.map((i) => i.waitForSync()));
    if (!synced.every(Boolean)) return;
    await runWorkers(this.ctx, this.queue, this.workers, this.reconcile);
  }
}
