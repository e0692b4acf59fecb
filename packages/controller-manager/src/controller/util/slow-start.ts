// Upstream's slowStartBatch: a burst of creates goes out in batches of 1, 2, 4 ... so that a
// create that keeps failing (quota, admission) costs one call rather than hundreds. The first
// batch with a failure is the last: the rest is skipped and retried on a later sync.

export const slowStartInitialBatchSize = 1;

export interface SlowStartResult {
  successes: number;
  /** The first error of the failed batch, if one failed. */
  error?: unknown;
}

/** The batch sizes slowStartBatch uses for `count` calls, if none fails: 1, 2, 4 ... */
export function slowStartBatchSizes(count: number, initial = slowStartInitialBatchSize): number[] {
  const sizes: number[] = [];
  let remaining = count;
  for (let size = Math.min(remaining, initial); size > 0; size = Math.min(2 * size, remaining)) {
    sizes.push(size);
    remaining -= size;
  }
  return sizes;
}

export async function slowStartBatch(count: number, initial: number, fn: () => Promise<void>): Promise<SlowStartResult> {
  let successes = 0;
  for (const size of slowStartBatchSizes(count, initial)) {
    const results = await Promise.allSettled(Array.from({ length: size }, () => fn()));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += size - failed.length;
    if (failed.length > 0) return { successes, error: failed[0]!.reason };
  }
  return { successes };
}
