// Keeps a cluster's processes running: one that exits on its own (a crash, a chaos kill) is
// started again after a back-off that doubles from 500 ms to 30 s, and starts over once it has
// run for a minute, as a kubelet treats a container in CrashLoopBackOff. A process we stopped
// stays down. Every restart is an event, so `kubets up` can show it and `kubets status` count it.
import { EventEmitter } from 'node:events';
import type { ExitInfo, ManagedProcess } from './managed-process.js';

export interface SupervisorOptions {
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A process that ran this long before it exited restarts after initialBackoffMs again. */
  resetAfterMs?: number;
}

export interface RestartEvent {
  name: string;
  restarts: number;
  exit: ExitInfo;
  delayMs: number;
}

interface Watched {
  proc: ManagedProcess;
  restarts: number;
  backoffMs: number;
  timer: NodeJS.Timeout | undefined;
  onExit: (exit: ExitInfo) => void;
}

/**
 * Emits 'crash' (RestartEvent) when a process exits on its own and its restart is scheduled,
 * 'restarted' (RestartEvent) once it runs again, and 'error' never: a restart that fails to
 * spawn counts as another crash.
 */
export class Supervisor extends EventEmitter {
  private readonly watched = new Map<string, Watched>();
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly resetAfterMs: number;

  constructor(opts: SupervisorOptions = {}) {
    super();
    this.initialMs = opts.initialBackoffMs ?? 500;
    this.maxMs = opts.maxBackoffMs ?? 30_000;
    this.resetAfterMs = opts.resetAfterMs ?? 60_000;
  }

  watch(proc: ManagedProcess): void {
    const w: Watched = { proc, restarts: 0, backoffMs: this.initialMs, timer: undefined, onExit: (exit) => this.exited(w, exit) };
    this.watched.set(proc.spec.name, w);
    proc.on('exit', w.onExit);
  }

  restarts(name: string): number {
    return this.watched.get(name)?.restarts ?? 0;
  }

  /** Stops watching everything (before an orderly shutdown) and cancels pending restarts. */
  close(): void {
    for (const w of this.watched.values()) {
      clearTimeout(w.timer);
      w.proc.off('exit', w.onExit);
    }
    this.watched.clear();
  }

  private exited(w: Watched, exit: ExitInfo): void {
    if (exit.expected) return;
    const ranMs = exit.at - (w.proc.startedAt ?? exit.at);
    if (ranMs >= this.resetAfterMs) w.backoffMs = this.initialMs;
    const delayMs = w.backoffMs;
    w.backoffMs = Math.min(w.backoffMs * 2, this.maxMs);
    const event: RestartEvent = { name: w.proc.spec.name, restarts: w.restarts + 1, exit, delayMs };
    this.emit('crash', event);
    w.timer = setTimeout(() => {
      w.timer = undefined;
      w.restarts++;
      w.proc.start();
      this.emit('restarted', event);
    }, delayMs);
  }
}
