// What a controller is to the controller manager, as kube-controller-manager's controller
// descriptors: a name (`--controllers` selects by it), whether it runs by default, and how to
// start it from the shared context. A started controller runs until stopped.

import { runWorker, type RateLimitingQueue } from '@kubets/client';
import type { ControllerContext } from './context.js';
import { errorText } from './util/api-errors.js';

export interface Controller {
  /** Waits for its informers to sync, then works until stop(). Resolves when stopped. */
  run(): Promise<void>;
  /** Stops taking keys, lets the ones in hand finish. */
  stop(): Promise<void>;
}

export interface ControllerDescriptor {
  /** Upstream's name for it in --controllers: `replicaset-controller`, `garbage-collector-controller` ... */
  name: string;
  /** The older names --controllers still accepts for it, as upstream's aliases (`replicaset`, `garbagecollector`). */
  aliases?: string[];
  /** Off-by-default controllers run only when named (upstream: bootstrap-signer, token-cleaner). */
  enabledByDefault: boolean;
  /** Builds the controller: registers its informers and handlers; run() starts the work. */
  create(ctx: ControllerContext): Controller;
}

/**
 * The loop most controllers share: `workers` workers take keys from the queue and reconcile
 * them (a failure is retried rate-limited and logged), until the queue is shut down.
 */
export async function runWorkers(
  ctx: ControllerContext,
  queue: RateLimitingQueue<string>,
  workers: number,
  reconcile: (key: string) => Promise<void>,
): Promise<void> {
  const onError = (key: string, err: unknown) => ctx.logger.warn({ queue: queue.name, key, err: errorText(err) }, 'sync failed; will retry');
  await Promise.all(Array.from({ length: Math.max(1, workers) }, () => runWorker(queue, reconcile, { onError })));
}

