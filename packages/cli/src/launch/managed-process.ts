// One component process of a local cluster: spawned with its flags, its output appended to its
// log file (or its last lines kept in memory), probed until ready, and stopped by its pid alone:
// SIGTERM, then SIGKILL only if it outlives the grace period. Nothing here ever signals a process
// it did not start, and nothing restarts on its own: the Supervisor decides that.
import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { closeSync, mkdirSync, openSync, readSync, fstatSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';

export interface ProcessSpec {
  /** Unique in the cluster: etcd-0, apiserver-1 ... */
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Append stdout and stderr here. Without it the last `keepLines` lines are kept in memory. */
  logFile?: string;
  /** Default 200. 0 keeps stderr only, and stdout goes nowhere (a benchmark's API server logs every request). */
  keepLines?: number;
  /** Its own process group, so a Ctrl-C at the terminal reaches only the supervisor, which stops the cluster in order. */
  ownProcessGroup?: boolean;
  /** Resolves true once the process serves (its /readyz, etcd's health with a leader ...). */
  ready(): Promise<boolean>;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when we stopped or killed it; false when it exited on its own (a crash). */
  expected: boolean;
  at: number;
}

export class ProcessExitedError extends Error {
  constructor(readonly processName: string, readonly exit: ExitInfo, logTail: string) {
    super(`${processName} exited (${exit.signal ?? `code ${exit.code}`}) before it was ready${logTail === '' ? '' : `; its last output:\n${logTail}`}`);
  }
}

export class ReadyTimeoutError extends Error {
  constructor(readonly processName: string, timeoutMs: number, logTail: string) {
    super(`${processName} was not ready within ${timeoutMs} ms${logTail === '' ? '' : `; its last output:\n${logTail}`}`);
  }
}

const isRunning = (c: ChildProcess | undefined): c is ChildProcess => c !== undefined && c.exitCode === null && c.signalCode === null;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Emits 'exit' (ExitInfo) every time the process ends. */
export class ManagedProcess extends EventEmitter {
  private child: ChildProcess | undefined;
  private stopping = false;
  private kept: string[] = [];
  /** Settles once the process has exited and its output is all read. */
  private closed: Promise<void> = Promise.resolve();
  startedAt: number | undefined;
  lastExit: ExitInfo | undefined;

  constructor(readonly spec: ProcessSpec) {
    super();
  }

  get pid(): number | undefined {
    return isRunning(this.child) ? this.child.pid : undefined;
  }

  get running(): boolean {
    return isRunning(this.child);
  }

  /** The live ChildProcess, for tests that watch it directly. */
  get childProcess(): ChildProcess | undefined {
    return this.child;
  }

  start(): void {
    if (isRunning(this.child)) throw new Error(`${this.spec.name} is already running (pid ${this.child.pid})`);
    this.stopping = false;
    const child = spawn(this.spec.command, this.spec.args, {
      env: this.spec.env ?? process.env,
      stdio: ['ignore', ...this.outputs()],
      detached: this.spec.ownProcessGroup === true,
    });
    this.child = child;
    this.startedAt = Date.now();
    if (this.spec.logFile === undefined) this.keepOutput(child);
    child.on('error', (e) => this.keep(`spawn ${this.spec.command}: ${e.message}`));
    this.closed = new Promise((resolve) => child.once('close', () => resolve()));
    child.once('exit', (code, signal) => {
      this.lastExit = { code, signal, expected: this.stopping, at: Date.now() };
      this.emit('exit', this.lastExit);
    });
  }

  /** stdout and stderr: the log file's descriptor (the child writes it directly, even after we are gone) or pipes. */
  private outputs(): ['pipe' | 'ignore', 'pipe'] | [number, number] {
    if (this.spec.logFile === undefined) return [this.spec.keepLines === 0 ? 'ignore' : 'pipe', 'pipe'];
    mkdirSync(dirname(this.spec.logFile), { recursive: true });
    const fd = openSync(this.spec.logFile, 'a');
    // The child has its own copy once spawned; ours closes on the next tick.
    setImmediate(() => closeSync(fd));
    return [fd, fd];
  }

  private keepOutput(child: ChildProcess): void {
    for (const stream of [child.stdout, child.stderr]) if (stream !== null) createInterface({ input: stream }).on('line', (l) => this.keep(l));
  }

  private keep(line: string): void {
    this.kept.push(line);
    if (this.kept.length > Math.max(this.spec.keepLines ?? 200, 200)) this.kept.shift();
  }

  /** The lines kept in memory (without a log file). */
  lines(): string[] {
    return this.kept;
  }

  /** The last lines it wrote (from the log file when it has one). */
  tail(maxLines = 40): string {
    if (this.spec.logFile === undefined) return this.kept.slice(-maxLines).join('\n');
    return readFileTail(this.spec.logFile, 16 * 1024).split('\n').slice(-maxLines - 1).join('\n').trimEnd();
  }

  /** Polls ready() until it answers true; fails fast if the process exits meanwhile. */
  async waitReady(timeoutMs: number, pollMs = 25): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!isRunning(this.child)) {
        await this.closed;
        throw new ProcessExitedError(this.spec.name, this.lastExit ?? { code: null, signal: null, expected: false, at: Date.now() }, this.tail());
      }
      // A process that exited is never ready, even if something else answers on its port.
      if ((await this.spec.ready()) && isRunning(this.child)) return;
      if (Date.now() > deadline) throw new ReadyTimeoutError(this.spec.name, timeoutMs, this.tail());
      await pause(pollMs);
    }
  }

  /** SIGTERM, SIGKILL after graceMs; resolves once it has exited. */
  async stop(graceMs = 10_000): Promise<void> {
    const c = this.child;
    if (!isRunning(c)) return;
    this.stopping = true;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    process.kill(c.pid!, 'SIGTERM');
    const timer = setTimeout(() => isRunning(c) && process.kill(c.pid!, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  /** Sends a signal now (SIGKILL for chaos and tests) and waits for the exit. Not marked expected: a supervisor restarts it. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const c = this.child;
    if (!isRunning(c)) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    process.kill(c.pid!, signal);
    await exited;
  }
}

function readFileTail(path: string, bytes: number): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    const start = Math.max(0, size - bytes);
    const buf = Buffer.alloc(size - start);
    readSync(fd, buf, 0, buf.length, start);
    return buf.toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
