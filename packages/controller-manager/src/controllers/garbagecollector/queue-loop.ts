// The worker loop of the collector's queues: unlike runWorkers, a step that went well may still
// ask to be retried later (a virtual node not yet observed), with the queue's back-off, as
// upstream's forgetItem / requeueItem.

import type { RateLimitingQueue } from '@kubets/client';
import type { ControllerLogger } from '../../controller/context.js';
import type { QueueAction } from './attempt-to-delete.js';
import { errorText } from './operations.js';

export async function processQueue(queue: RateLimitingQueue<string>, step: (key: string) => Promise<QueueAction>, logger: ControllerLogger): Promise<void> {
  for (;;) {
    const next = await queue.get();
    if (next.shutdown) return;
    const key = next.item;
    let action: QueueAction = 'requeue';
    try {
      action = await step(key);
    } catch (e) {
      logger.error({ queue: queue.name, key, err: errorText(e) }, 'unexpected failure; will retry');
    } finally {
      if (action === 'forget') queue.forget(key);
      else queue.addRateLimited(key);
      queue.done(key);
    }
  }
}
