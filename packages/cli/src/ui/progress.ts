// What `kubets up` shows while the cluster starts: one line per process with its state and the
// time since the command began. On a terminal the lines are redrawn in place; elsewhere (CI, a
// pipe, a log file) each process gets one plain line when it becomes ready, so logs stay clean.
import type { ProcessState, RunState } from '../cluster/run-state.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)}s`;

export class Progress {
  private drawn = 0;
  private drawnAt = 0;
  private drawnKey = '';
  private readonly announced = new Set<string>();

  constructor(private readonly out: NodeJS.WritableStream & { isTTY?: boolean }, private readonly t0: number) {}

  private get live(): boolean {
    return this.out.isTTY === true;
  }

  /** Call as often as you like: a terminal is redrawn when a process changed state, and ten times a second at most for the clock. */
  update(state: RunState): void {
    if (this.live) this.redraw(state.processes, false);
    else this.announceReady(state.processes);
  }

  /** Ends the live view: later output starts below it. */
  finish(state: RunState): void {
    if (this.live) this.redraw(state.processes, true);
    else this.announceReady(state.processes);
    this.drawn = 0;
  }

  private redraw(processes: ProcessState[], always: boolean): void {
    const key = processes.map((p) => this.symbol(p)).join('');
    if (!always && key === this.drawnKey && Date.now() - this.drawnAt < 100) return;
    this.drawnKey = key;
    this.drawnAt = Date.now();
    const width = Math.max(...processes.map((p) => p.name.length));
    const lines = processes.map((p) => `  ${this.symbol(p)} ${p.name.padEnd(width)}  ${this.describe(p)}`);
    const up = this.drawn > 0 ? `\x1b[${this.drawn}A` : '';
    this.out.write(`${up}${lines.map((l) => `\x1b[2K${l}\n`).join('')}`);
    this.drawn = lines.length;
  }

  private announceReady(processes: ProcessState[]): void {
    for (const p of processes) {
      if (p.readyAt === undefined || this.announced.has(p.name)) continue;
      this.announced.add(p.name);
      this.out.write(`${p.name} ready after ${seconds(p.readyAt - this.t0)} (${p.url})\n`);
    }
  }

  private symbol(p: ProcessState): string {
    if (p.readyAt !== undefined) return '✓';
    return p.startedAt !== undefined ? '…' : ' ';
  }

  private describe(p: ProcessState): string {
    if (p.readyAt !== undefined) return `ready     ${seconds(p.readyAt - this.t0)}`;
    if (p.startedAt !== undefined) return `starting  ${seconds(Date.now() - this.t0)}`;
    return 'waiting';
  }
}
