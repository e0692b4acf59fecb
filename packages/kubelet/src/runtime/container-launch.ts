// Starts a created container: its FIFOs, then the wrapper (see isolation.ts) as the leader of a
// new process group, with the FIFOs as its stdout and stderr and /dev/null as its stdin.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { LogStream } from '../logs/writer.js';
import { mountOrder } from './container-paths.js';
import { makeFifos, openFifoForContainer } from './fifo.js';
import { wrapperCommand } from './isolation.js';
import type { ContainerRecord } from './records.js';

export interface ContainerFiles {
  fifos: Record<LogStream, string>;
  exitFile: string;
  readyFile: string;
}

export function containerFiles(dir: string): ContainerFiles {
  return { fifos: { stdout: join(dir, 'stdout'), stderr: join(dir, 'stderr') }, exitFile: join(dir, 'exit-code'), readyFile: join(dir, 'ready') };
}

/** Makes the container's FIFOs afresh (a start after a failed one finds them made). */
export async function prepareContainerFiles(dir: string): Promise<ContainerFiles> {
  const files = containerFiles(dir);
  mkdirSync(dir, { recursive: true });
  for (const path of [files.fifos.stdout, files.fifos.stderr, files.exitFile, files.readyFile]) rmSync(path, { force: true });
  await makeFifos(files.fifos.stdout, files.fifos.stderr);
  return files;
}

export interface LaunchInputs {
  record: ContainerRecord;
  hostname: string;
  files: ContainerFiles;
  /** A directory that exists on the host, where the wrapper starts before it enters workingDir. */
  launchDir: string;
  /** The absolute path of unshare, so the container's own PATH does not decide it. */
  unsharePath: string;
}

/** Opens the FIFOs for the container; before the kubelet's non-blocking readers, which would otherwise see EOF at once. */
export function openContainerOutputs(files: ContainerFiles): Record<LogStream, number> {
  return { stdout: openFifoForContainer(files.fifos.stdout), stderr: openFifoForContainer(files.fifos.stderr) };
}

/** Spawns the wrapper with the FIFOs as stdout and stderr; resolves once the process exists. */
export function spawnContainer(inputs: LaunchInputs, fds: Record<LogStream, number>): Promise<ChildProcess> {
  const { record } = inputs;
  const command = wrapperCommand(record.isolation, {
    hostname: inputs.hostname,
    exitFile: inputs.files.exitFile,
    readyFile: inputs.files.readyFile,
    workingDir: record.workingDir,
    mounts: mountOrder(record.config.mounts),
    argv: record.argv,
  });
  const file = command.file === 'unshare' ? inputs.unsharePath : command.file;
  const child = spawn(file, command.args, {
    cwd: inputs.launchDir,
    env: record.env,
    detached: true,
    stdio: ['ignore', fds.stdout, fds.stderr],
  });
  return new Promise((resolve, reject) => {
    child.once('spawn', () => resolve(child));
    child.once('error', reject);
  });
}

export function closeFds(fds: Record<LogStream, number>): void {
  closeSync(fds.stdout);
  closeSync(fds.stderr);
}

/** How often, and how long at most, a start looks for the ready file. */
const readyPollMs = 5;
const readyDeadlineMs = 30_000;

/**
 * Waits until the container's command is about to exec (the ready file exists), or its watch
 * has seen it end first (setup failed, or it was killed). 'timeout' when neither came in time.
 */
export async function waitUntilReady(readyFile: string, ended: () => boolean): Promise<'ready' | 'ended' | 'timeout'> {
  const deadline = Date.now() + readyDeadlineMs;
  for (;;) {
    if (existsSync(readyFile)) return 'ready';
    if (ended()) return 'ended';
    if (Date.now() > deadline) return 'timeout';
    await new Promise((r) => setTimeout(r, readyPollMs));
  }
}
