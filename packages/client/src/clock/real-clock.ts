// The wall clock: Date.now and node's timers.

import type { Clock, TimerHandle } from './clock.js';

export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(ms: number, fn: () => void): TimerHandle {
    const t = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(t) };
  },
};
