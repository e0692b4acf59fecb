// The worker loop every controller writes: take a key, reconcile, forget it on success or
// requeue it rate-limited on failure, and always mark it done.

import type { RateLimitingQueue } from './rate-limiting-queue.js';

export interface WorkerOptions<T> {
  /** Told of each failed reconcile (for logs). */
  onError?: (item: T, err: unknown) => void;
  /** Give up on a key after this many consecutive failures (it is forgotten until added again). Default: never. */
  maxRetries?: number;
}

/** Processes keys until the queue shuts down. Run several for parallelism: a key is never handled by two at once. */
export async function runWorker<T>(queue: RateLimitingQueue<T>, reconcile: (item: T) => Promise<void> | void, opts: WorkerOptions<T> = {}): Promise<void> {
  for (;;) {
    const next = await queue.get();
    if (next.shutdown) return;
    const item = next.item;
    try {
      await reconcile(item);
      queue.forget(item);
    } catch (e) {
      opts.onError?.(item, e);
      if (opts.maxRetries !== undefined && queue.numRequeues(item) >= opts.maxRetries) queue.forget(item);
      else queue.addRateLimited(item);
    } finally {
      queue.done(item);
    }
  }
}
