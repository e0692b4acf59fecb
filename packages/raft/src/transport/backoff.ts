// Capped exponential backoff with "equal jitter": the delay is between half and all of the
// current cap, so replicas that lost a peer at the same moment do not all redial in lockstep.
// The randomness is injected, so tests (and the simulation) are reproducible.

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  /** A source of uniform [0, 1) numbers. Default Math.random. */
  random?: () => number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly random: () => number;
  private cap: number;

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 100;
    this.maxMs = options.maxMs ?? 5_000;
    this.random = options.random ?? Math.random;
    this.cap = this.initialMs;
  }

  /** The delay before the next attempt; each call doubles the cap up to maxMs. */
  next(): number {
    const cap = this.cap;
    this.cap = Math.min(this.maxMs, this.cap * 2);
    return cap / 2 + this.random() * (cap / 2);
  }

  reset(): void {
    this.cap = this.initialMs;
  }
}
