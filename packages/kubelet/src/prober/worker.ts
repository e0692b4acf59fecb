// A probe worker: one per container per probe, as upstream's. It probes every periodSeconds on
// an injectable clock (the first time after firstDelayMs, upstream's jitter for a kubelet that has
// just started), at most one probe at a time, and keeps the published result for the current
// container. The decisions are worker-state.ts's; this file is the timers and the I/O.
import type { Probe } from '@kubets/api';
import type { Clock, TimerHandle } from '@kubets/client/clock';
import type { ProberLogger } from './logger.js';
import {
  initialWorkerState,
  nextStep,
  observeContainer,
  recordResult,
  resultFor,
  type ContainerRun,
  type ProbeResult,
  type ProbeType,
  type WorkerState,
} from './worker-state.js';

export interface ProbeWorkerOptions {
  type: ProbeType;
  spec: Probe;
  clock: Clock;
  logger: ProberLogger;
  /** When the first probe runs, from start(). */
  firstDelayMs: number;
  /** Whether the container has started (its startup probe passed, or it has none). */
  isStarted(): boolean;
  /** Whether the pod is being deleted. */
  isDeleting(): boolean;
  /** Runs the probe; undefined when it errored (the result is thrown away, as upstream). */
  probe(run: ContainerRun): Promise<'success' | 'failure' | undefined>;
  /** The published result changed because of a probe. */
  onResult(): void;
}

export class ProbeWorker {
  private state: WorkerState = initialWorkerState;
  private run: ContainerRun | undefined;
  private timer: TimerHandle | undefined;
  private probing = false;
  /** A trigger came while a probe was running: probe again as soon as it ends. */
  private triggered = false;
  private stopped = false;

  constructor(private readonly o: ProbeWorkerOptions) {}

  get type(): ProbeType {
    return this.o.type;
  }

  start(): void {
    this.schedule(this.o.firstDelayMs);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** The container is now run (a new id starts the results over), or not running (undefined). */
  setContainer(run: ContainerRun | undefined): void {
    this.run = run;
    this.state = observeContainer(this.state, this.o.type, run);
  }

  /** Probes now, and then every period from now (upstream's manual trigger). */
  trigger(): void {
    if (this.stopped) return;
    if (this.probing) {
      this.triggered = true;
      return;
    }
    this.timer?.cancel();
    this.timer = undefined;
    void this.tick();
  }

  /** The published result for that container, if the worker has one for it. */
  result(containerId: string): ProbeResult | undefined {
    return resultFor(this.state, containerId);
  }

  private periodMs(): number {
    return (this.o.spec.periodSeconds ?? 10) * 1000;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.o.clock.setTimer(ms, () => {
      this.timer = undefined;
      void this.tick();
    });
  }

  private async tick(): Promise<void> {
    const due = this.o.clock.now() + this.periodMs();
    this.probing = true;
    try {
      await this.probeOnce();
    } catch (err) {
      this.o.logger.error({ err, probeType: this.o.type }, 'probe worker failed');
    } finally {
      this.probing = false;
    }
    if (this.triggered) {
      this.triggered = false;
      return this.trigger();
    }
    if (this.timer === undefined) this.schedule(Math.max(0, due - this.o.clock.now()));
  }

  private async probeOnce(): Promise<void> {
    const run = this.run;
    const step = nextStep(this.state, this.o.type, this.o.spec, {
      run,
      started: this.o.isStarted(),
      deleting: this.o.isDeleting(),
      now: this.o.clock.now(),
    });
    if (step === 'wait' || run === undefined) return;
    if (step === 'succeedAndStop') {
      this.publish({ ...this.state, result: 'success' });
      this.stop();
      return;
    }
    const result = await this.o.probe(run);
    // A result about a container that has since been replaced tells nothing about the new one.
    if (this.stopped || result === undefined || this.state.containerId !== run.containerId) return;
    this.publish(recordResult(this.state, this.o.type, this.o.spec, result));
  }

  private publish(next: WorkerState): void {
    const changed = next.result !== this.state.result;
    this.state = next;
    if (changed) this.o.onResult();
  }
}
