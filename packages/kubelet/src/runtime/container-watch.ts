// Watches one running container: copies its stdout and stderr FIFOs into its CRI log, and
// tells when it has exited, which is when its leader is gone and both FIFOs reached EOF (every
// writer, i.e. its whole process tree, has exited). The leader is our child when we started it
// (its exit event says how it ended) or a process adopted after a kubelet restart (no longer
// our child: /proc is polled until it is gone).
import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { openContainerLog, type ContainerLogWriter, type LogStream } from '../logs/writer.js';
import { openFifoReader } from './fifo.js';
import type { IsolationMode } from './isolation.js';
import { killGroup } from './process-group.js';
import { stillRunning, type ProcessIdentity } from '@kubets/component-base';
import type { RuntimeLogger } from './runtime-logger.js';

/** How the leader ended, when it was our child; undefined for an adopted one. */
export type LeaderExit = { code: number | null; signal: NodeJS.Signals | null } | undefined;

export interface ContainerWatchOptions {
  containerId: string;
  fifos: Record<LogStream, string>;
  log: { path: string; maxSizeBytes: number; maxFiles: number };
  leader: { child: ChildProcess; identity: ProcessIdentity } | { identity: ProcessIdentity };
  isolation: IsolationMode;
  logger: RuntimeLogger;
  onExit: (leaderExit: LeaderExit) => void;
}

/** How often an adopted leader is looked for in /proc. */
const adoptedPollMs = 200;
/** How long after the leader's exit the FIFOs may stay open (a process that left the group). */
const eofGraceMs = 2_000;

export class ContainerWatch {
  private readonly log: ContainerLogWriter;
  private readonly readers: Socket[];
  private openStreams = 2;
  private leaderExit: LeaderExit | 'running' = 'running';
  private timers: NodeJS.Timeout[] = [];
  private detached = false;
  private removeChildListener = (): void => {};

  /** Throws when a FIFO cannot be opened; then nothing is left open. */
  constructor(private readonly options: ContainerWatchOptions) {
    this.readers = [];
    try {
      for (const stream of ['stdout', 'stderr'] as const) this.readers.push(this.readFifo(stream));
    } catch (e) {
      for (const reader of this.readers) reader.destroy();
      throw e;
    }
    this.log = openContainerLog(options.log);
    this.watchLeader();
  }

  /** Stops watching and leaves the container running (the kubelet is going away). */
  async detach(): Promise<void> {
    this.detached = true;
    this.cleanUp();
    for (const reader of this.readers) reader.destroy();
    await this.log.close();
  }

  private readFifo(stream: LogStream): Socket {
    const reader = openFifoReader(this.options.fifos[stream]);
    reader.on('data', (chunk: Buffer) => this.log.write(stream, chunk));
    reader.on('error', (e) => this.options.logger.warn({ containerId: this.options.containerId, stream, err: e }, 'reading the container output failed'));
    reader.once('close', () => {
      this.openStreams -= 1;
      this.maybeExited();
    });
    return reader;
  }

  private watchLeader(): void {
    const { leader } = this.options;
    if ('child' in leader) {
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => this.leaderGone({ code, signal });
      leader.child.once('exit', onExit);
      this.removeChildListener = () => leader.child.off('exit', onExit);
      return;
    }
    const poll = setInterval(() => {
      if (!stillRunning(leader.identity)) this.leaderGone(undefined);
    }, adoptedPollMs);
    this.timers.push(poll);
  }

  private leaderGone(exit: LeaderExit): void {
    if (this.leaderExit !== 'running') return;
    this.leaderExit = exit;
    this.cleanUp();
    // Without a PID namespace the leader's exit does not end the rest of its group: end it here,
    // as the namespace's end would (the group id is not reused while any member is left).
    if (this.options.isolation === 'none') killGroup(this.options.leader.identity.pid, 'SIGKILL');
    const grace = setTimeout(() => this.readers.forEach((r) => r.destroy()), eofGraceMs);
    grace.unref();
    this.timers.push(grace);
    this.maybeExited();
  }

  private maybeExited(): void {
    if (this.detached || this.leaderExit === 'running' || this.openStreams > 0) return;
    this.cleanUp();
    const exit = this.leaderExit;
    this.log.close().then(
      () => this.options.onExit(exit),
      (e) => {
        this.options.logger.error({ containerId: this.options.containerId, err: e }, 'closing the container log failed');
        this.options.onExit(exit);
      },
    );
  }

  private cleanUp(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
    this.removeChildListener();
  }
}
