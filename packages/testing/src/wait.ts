// Waiting on a condition with a deadline, instead of sleeping and hoping.

/** Checks every intervalMs (2 by default; longer where a check is an API call that costs). */
export async function eventually(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000, intervalMs = 2): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Collects what an async iterable yields until `until` holds or it ends. */
export async function take<T>(it: AsyncIterable<T>, n: number): Promise<T[]> {
  const out: T[] = [];
  if (n <= 0) return out;
  for await (const x of it) {
    out.push(x);
    if (out.length >= n) break;
  }
  return out;
}
