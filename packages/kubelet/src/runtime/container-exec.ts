// execSync: a command run in a running container's namespaces (nsenter into its PID 1) with its
// environment and working directory, or as a plain process for a container without namespaces.
// It leads its own process group, so a timeout kills all it started.
import { spawn } from 'node:child_process';
import { nsenterArgs, type IsolationMode } from './isolation.js';
import { killGroup } from './process-group.js';
import { signalNumber } from './exit-status.js';
import type { ExecResult } from './types.js';

/** The most output kept per stream; the rest is dropped. */
export const execOutputCap = 1024 * 1024;

export interface ExecTarget {
  isolation: IsolationMode;
  /** PID 1 of the container's PID namespace, as the host sees it (unused without namespaces). */
  namespacePid?: number;
  env: Record<string, string>;
  workingDir: string;
  nsenterPath: string;
}

// Enters the working directory inside the namespaces (a path of the container's view), then execs.
const enterDirScript = 'cd "$1" || exit 126; shift; exec "$@"';

export function execInContainer(target: ExecTarget, cmd: string[], timeoutMs: number): Promise<ExecResult> {
  const isolated = target.isolation !== 'none';
  const [file, args] = isolated
    ? [target.nsenterPath, [...nsenterArgs(target.isolation, target.namespacePid!), '/bin/sh', '-c', enterDirScript, 'sh', target.workingDir, ...cmd]]
    : [cmd[0]!, cmd.slice(1)];
  const child = spawn(file, args, { env: target.env, cwd: isolated ? '/' : target.workingDir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout = capped(child.stdout);
  const stderr = capped(child.stderr);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
  }, timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const exitCode = signal !== null ? 128 + signalNumber(signal) : (code ?? 255);
      resolve({ exitCode, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr), timedOut });
    });
  });
}

function capped(stream: NodeJS.ReadableStream): Buffer[] {
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on('data', (chunk: Buffer) => {
    if (size >= execOutputCap) return;
    const kept = chunk.subarray(0, execOutputCap - size);
    chunks.push(kept);
    size += kept.length;
  });
  return chunks;
}
