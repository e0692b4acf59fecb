// Running a step every period until stopped (upstream's wait.Until), on the controller's clock.

import { type Clock, sleep } from '@kubets/client';
import type { ControllerLogger } from '../../controller/context.js';
import { errorText } from './conditions.js';

/** Runs step, waits periodMs, again, until the signal aborts; a failing step is logged, not fatal. */
export async function every(clock: Clock, periodMs: number, signal: AbortSignal, logger: ControllerLogger, what: string, step: () => Promise<void>): Promise<void> {
  while (!signal.aborted) {
    try {
      await step();
    } catch (e) {
      logger.error({ err: errorText(e) }, `${what} failed`);
    }
    if (!(await sleep(clock, periodMs, signal))) return;
  }
}

/** Runs fn over the items, at most `limit` at a time (upstream's ParallelizeUntil). */
export async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
