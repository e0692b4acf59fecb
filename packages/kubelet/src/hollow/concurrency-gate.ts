// A bound on how many API writes run at once: a thousand hollow nodes registering, or their
// status reports falling due together, queue here instead of opening a thousand requests.
import type { WriteGate } from '../node/types.js';

export function concurrencyGate(limit: number): WriteGate {
  let running = 0;
  const waiting: (() => void)[] = [];
  // A finished write hands its slot straight to the next waiter, so no newcomer slips in between.
  const release = () => {
    const next = waiting.shift();
    if (next === undefined) running--;
    else next();
  };
  return async <T>(write: () => Promise<T>): Promise<T> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await write();
    } finally {
      release();
    }
  };
}
