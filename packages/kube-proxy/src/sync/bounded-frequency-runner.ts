// Runs the proxy's sync function as upstream's BoundedFrequencyRunner does: on request, but never
// more often than a token bucket allows (`burst` runs at once, then one per minIntervalMs), and at
// least every maxIntervalMs even when nobody asks. Requests that arrive while a run is under way
// or while the bucket is empty fold into one later run, so a thousand endpoint changes in a second
// cost a couple of syncs, not a thousand.
//
// Guarantees: one run at a time; a request made during a run is followed by another run (the run
// may have read the state before the change); retryAfter(ms) asks for a run no later than ms from
// now (a data path that could not apply everything); stop() waits for the run under way.
import { type Clock, realClock, type TimerHandle } from '@kubets/client';

export interface BoundedFrequencyRunnerOptions {
  minIntervalMs: number;
  maxIntervalMs: number;
  /** Runs allowed back to back before minIntervalMs applies (upstream's kube-proxy uses 2). */
  burst?: number;
  clock?: Clock;
  /** Told of a run that threw; the runner goes on (the next run is the retry). */
  onError?: (err: unknown) => void;
}

export class BoundedFrequencyRunner {
  private readonly clock: Clock;
  private readonly burst: number;
  private tokens: number;
  private lastRefill: number;
  private running: Promise<void> | undefined;
  private requested = false;
  private timer: TimerHandle | undefined;
  private timerAt = Infinity;
  private stopped = false;

  constructor(private readonly fn: () => Promise<void>, private readonly o: BoundedFrequencyRunnerOptions) {
    this.clock = o.clock ?? realClock;
    this.burst = Math.max(1, o.burst ?? 2);
    this.tokens = this.burst;
    this.lastRefill = this.clock.now();
  }

  /** Starts the periodic runs; the first run happens at once. */
  start(): void {
    this.run();
  }

  /** Asks for a run as soon as the rate allows. */
  run(): void {
    if (this.stopped) return;
    this.requested = true;
    this.tryRun();
  }

  /** Asks for a run no later than ms from now (sooner if something else asks). */
  retryAfter(ms: number): void {
    if (!this.stopped) this.schedule(this.clock.now() + ms);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer();
    await this.running;
  }

  private tryRun(): void {
    if (this.running !== undefined || !this.requested || this.stopped) return;
    this.refill();
    if (this.tokens < 1) {
      this.schedule(this.lastRefill + this.o.minIntervalMs);
      return;
    }
    this.tokens -= 1;
    this.requested = false;
    this.cancelTimer();
    this.running = this.fn()
      .catch((err: unknown) => this.o.onError?.(err))
      .finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        // At least every maxInterval, counted from the end of this run.
        this.schedule(this.clock.now() + this.o.maxIntervalMs);
        this.tryRun();
      });
  }

  private refill(): void {
    const now = this.clock.now();
    if (this.o.minIntervalMs <= 0) {
      this.tokens = this.burst;
      this.lastRefill = now;
      return;
    }
    const earned = Math.floor((now - this.lastRefill) / this.o.minIntervalMs);
    if (earned <= 0) return;
    this.tokens = Math.min(this.burst, this.tokens + earned);
    this.lastRefill = this.tokens === this.burst ? now : this.lastRefill + earned * this.o.minIntervalMs;
  }

  /** Keeps the earliest of the pending wake-ups. */
  private schedule(at: number): void {
    if (at >= this.timerAt) return;
    this.cancelTimer();
    this.timerAt = at;
    this.timer = this.clock.setTimer(at - this.clock.now(), () => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.requested = true;
      this.tryRun();
    });
  }

  private cancelTimer(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.timerAt = Infinity;
  }
}
