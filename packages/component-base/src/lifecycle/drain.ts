// How every kubets process shuts down, the one way:
// - steps are registered in the order they must run (stop taking work, finish it, close
//   connections, close storage) and run one after another, each awaited;
// - the first SIGTERM or SIGINT starts them; when all are done the process exits 0, or 1 if a
//   step failed (the failure is logged and the later steps still run: a listener that would not
//   close is no reason to leave the data files unsynced);
// - a deadline bounds the whole drain: if it passes, the step still running is named in the log
//   and the process exits 1. The default stays under Kubernetes' 30 s terminationGracePeriod so
//   the log says what hung before a SIGKILL says nothing;
// - a second signal exits 1 at once, as upstream's SetupSignalHandler: whoever sends two means it.
// The signal source, exit and clock are injected so that tests drive all of it without dying.

import { type Clock, realClock } from '@kubets/client/clock';
import type { EventLog } from '../logging/logger.js';

export interface DrainStep {
  name: string;
  run(): void | Promise<void>;
}

export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

export interface DrainOptions {
  logger: EventLog;
  /** How long the whole drain may take. Default 25 s. */
  deadlineMs?: number;
  signals?: readonly NodeJS.Signals[];
  /** Default: the real process. */
  process?: SignalSource;
  /** Default: process.exit. */
  exit?: (code: number) => void;
  clock?: Clock;
}

export const defaultDrainDeadlineMs = 25_000;

export class Drain {
  private readonly steps: DrainStep[] = [];
  private readonly signals: readonly NodeJS.Signals[];
  private readonly source: SignalSource;
  private readonly exit: (code: number) => void;
  private readonly clock: Clock;
  private readonly onSignal = new Map<NodeJS.Signals, () => void>();
  private draining: Promise<void> | undefined;
  private exited = false;
  private current: string | undefined;

  constructor(private readonly o: DrainOptions) {
    this.signals = o.signals ?? ['SIGTERM', 'SIGINT'];
    this.source = o.process ?? process;
    this.exit = o.exit ?? ((code) => process.exit(code));
    this.clock = o.clock ?? realClock;
  }

  /** Adds a step after those already registered. */
  add(name: string, run: () => void | Promise<void>): this {
    this.steps.push({ name, run });
    return this;
  }

  /** Listens for the signals. Until then, a signal does what it did before (kills the process). */
  listen(): this {
    for (const signal of this.signals) {
      const listener = () => this.signalled(signal);
      this.onSignal.set(signal, listener);
      this.source.on(signal, listener);
    }
    return this;
  }

  /** Stops listening (for tests, and for a process that hands signals to someone else). */
  unlisten(): void {
    for (const [signal, listener] of this.onSignal) this.source.off(signal, listener);
    this.onSignal.clear();
  }

  /** True once a signal (or shutdown()) has started the drain. */
  get shutdownStarted(): boolean {
    return this.draining !== undefined;
  }

  /** Runs the drain as a signal would (for a process that decides itself to stop). */
  shutdown(reason: string): Promise<void> {
    this.draining ??= this.run(reason);
    return this.draining;
  }

  private signalled(signal: NodeJS.Signals): void {
    if (this.draining === undefined) {
      void this.shutdown(signal);
      return;
    }
    this.o.logger.warn({ signal, step: this.current }, 'second signal: exiting at once');
    this.finish(1);
  }

  private finish(code: number): void {
    if (this.exited) return;
    this.exited = true;
    this.exit(code);
  }

  private async run(reason: string): Promise<void> {
    const deadlineMs = this.o.deadlineMs ?? defaultDrainDeadlineMs;
    this.o.logger.info({ signal: reason, deadlineMs }, 'shutting down');
    const deadline = this.clock.setTimer(deadlineMs, () => {
      this.o.logger.error({ step: this.current, deadlineMs }, `shutdown did not finish in time: step ${JSON.stringify(this.current)} hung`);
      this.finish(1);
    });
    let failed = false;
    for (const step of this.steps) {
      if (this.exited) return;
      failed = !(await this.runStep(step)) || failed;
    }
    deadline.cancel();
    this.current = undefined;
    if (!this.exited) this.o.logger.info({ failed }, failed ? 'shut down, with failures' : 'shut down');
    this.finish(failed ? 1 : 0);
  }

  /** Runs one step; false if it threw (logged). */
  private async runStep(step: DrainStep): Promise<boolean> {
    this.current = step.name;
    try {
      await step.run();
      return true;
    } catch (e) {
      this.o.logger.error({ step: step.name, err: e }, 'shutdown step failed');
      return false;
    }
  }
}
