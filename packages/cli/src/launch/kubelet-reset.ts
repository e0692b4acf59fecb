// Stopping a node takes two steps, because a kubelet's containers outlive it (so that a kubelet
// that restarts adopts its pods instead of starting them twice, as upstream's does): SIGTERM to
// the kubelet, then `kubets-kubelet --reset --root-dir D`, a one-shot run that stops every
// container recorded under D (SIGTERM, SIGKILL after the pod's grace period), removes the pod
// sandboxes and exits 0. Without the second step a stopped cluster leaves its pods running.
import { existsSync } from 'node:fs';
import { componentMain } from './binaries.js';
import { type ExitInfo, ManagedProcess } from './managed-process.js';

export interface KubeletResetOptions {
  rootDir: string;
  /** The kubelet's program. Default: componentMain('kubelet'). */
  program?: string;
  nodeArgs?: string[];
  /** Appends its output to the kubelet's log; without it the output is kept for the error message. */
  logFile?: string;
  ownProcessGroup?: boolean;
  /** The reset is killed after this long. Default 90 s: a pod's grace period is 30 s by default. */
  timeoutMs?: number;
}

export class KubeletResetError extends Error {
  override name = 'KubeletResetError';

  constructor(readonly rootDir: string, readonly outcome: string, logTail: string) {
    super(`kubets-kubelet --reset --root-dir ${rootDir} ${outcome}${logTail === '' ? '' : `; its last output:\n${logTail}`}`);
  }
}

export const defaultResetTimeoutMs = 90_000;

/** Runs the reset and resolves once it exited 0; a root dir that does not exist has nothing to reset. */
export async function resetKubeletRootDir(o: KubeletResetOptions): Promise<void> {
  if (!existsSync(o.rootDir)) return;
  const proc = new ManagedProcess({
    name: 'kubelet-reset',
    command: process.execPath,
    args: [...(o.nodeArgs ?? []), o.program ?? componentMain('kubelet'), '--reset', `--root-dir=${o.rootDir}`],
    ...(o.logFile !== undefined ? { logFile: o.logFile } : {}),
    ownProcessGroup: o.ownProcessGroup === true,
    ready: () => Promise.resolve(false),
  });
  proc.start();
  const child = proc.childProcess!;
  // 'close' comes after 'exit' once its output is all read, so the error can quote it.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const timeoutMs = o.timeoutMs ?? defaultResetTimeoutMs;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    proc.childProcess?.kill('SIGKILL');
  }, timeoutMs);
  await closed;
  clearTimeout(timer);
  const exit: ExitInfo | undefined = proc.lastExit;
  if (timedOut) throw new KubeletResetError(o.rootDir, `did not finish within ${timeoutMs} ms`, proc.tail());
  if (exit?.code !== 0) throw new KubeletResetError(o.rootDir, `failed (${exit?.signal ?? `exit code ${exit?.code ?? 'unknown'}`})`, proc.tail());
}

/** Resets every root dir at once; rejects after all have finished if any failed, naming each failure. */
export async function resetKubeletRootDirs(resets: KubeletResetOptions[]): Promise<void> {
  const results = await Promise.allSettled(resets.map((r) => resetKubeletRootDir(r)));
  const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
  if (failed.length === 1) throw failed[0]!;
  if (failed.length > 1) throw new AggregateError(failed, failed.map((e) => e.message).join('\n'));
}
