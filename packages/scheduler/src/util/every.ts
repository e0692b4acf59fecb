import type { Clock, TimerHandle } from '@kubets/client/clock';

/** Calls fn every ms on the clock until the handle is cancelled (a FakeClock drives it in tests). */
export function every(clock: Clock, ms: number, fn: () => void): TimerHandle {
  let handle: TimerHandle;
  let live = true;
  const tick = () => {
    fn();
    if (live) handle = clock.setTimer(ms, tick);
  };
  handle = clock.setTimer(ms, tick);
  return {
    cancel: () => {
      live = false;
      handle.cancel();
    },
  };
}
