// Time as the library sees it. Everything that waits (workqueue delays, rate limiters,
// backoff, informer resync, leader election) goes through a Clock so tests can drive time
// with a FakeClock instead of sleeping.

export interface TimerHandle {
  /** Stops the timer; harmless once it has fired. */
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls fn once, ms from now (0 or less: on the next turn). */
  setTimer(ms: number, fn: () => void): TimerHandle;
}

/** Resolves true after ms, or false as soon as the signal aborts (the timer is then cancelled). */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      timer.cancel();
      resolve(false);
    };
    const timer = clock.setTimer(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
