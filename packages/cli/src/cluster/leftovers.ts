// What a `kubets up` that is gone left behind. Its processes run in their own process groups,
// so a supervisor killed with SIGKILL leaves them running: `kubets down` and the next `kubets up`
// stop them through the pids (and start times) in run/state.json, node components first and
// etcd last, and never touch a process that merely reuses one of those pids. The kubelets' pods
// outlive their kubelets by design: once the kubelets are gone, their root dirs are reset.
import { resetKubeletRootDirs } from '../launch/kubelet-reset.js';
import { stillRunning, type ProcessIdentity } from '../launch/process-identity.js';
import { startRank } from './roles.js';
import type { RunState } from './run-state.js';

export function supervisorAlive(state: RunState): boolean {
  return stillRunning(state.supervisor);
}

export function liveProcesses(state: RunState): { name: string; role: string; process: ProcessIdentity }[] {
  return state.processes.flatMap((p) => (p.process !== undefined && stillRunning(p.process) ? [{ name: p.name, role: p.role, process: p.process }] : []));
}

/** SIGTERM by role, last tier first; SIGKILL what outlives graceMs. Returns the names it stopped. */
export async function stopLeftovers(state: RunState, graceMs = 10_000): Promise<string[]> {
  const live = liveProcesses(state);
  // Last started, first stopped; a role this version does not know goes first.
  const rank = (role: string) => (startRank(role) < 0 ? Infinity : startRank(role));
  const roles = [...new Set(live.map((p) => p.role))].sort((a, b) => rank(b) - rank(a));
  for (const role of roles) {
    const group = live.filter((p) => p.role === role);
    for (const p of group) signal(p.process, 'SIGTERM');
    if (!(await gone(group.map((p) => p.process), graceMs))) {
      for (const p of group) signal(p.process, 'SIGKILL');
      await gone(group.map((p) => p.process), 5000);
    }
  }
  return live.map((p) => p.name);
}

function signal(id: ProcessIdentity, sig: NodeJS.Signals): void {
  if (!stillRunning(id)) return;
  try {
    process.kill(id.pid, sig);
  } catch (e) {
    // Exited between the check and the signal: nothing left to stop.
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

/**
 * Resets the root dir of every kubelet the run recorded (run after stopLeftovers): stops the pods
 * they ran. Harmless when the supervisor has reset them already. Returns the kubelets' names.
 */
export async function resetLeftoverKubelets(state: RunState): Promise<string[]> {
  const kubelets = state.processes.filter((p) => p.rootDir !== undefined);
  await resetKubeletRootDirs(kubelets.map((p) => ({ rootDir: p.rootDir!, ...(p.logFile !== undefined ? { logFile: p.logFile } : {}), ownProcessGroup: true })));
  return kubelets.map((p) => p.name);
}

/** Waits until none of them runs; false if some still run after timeoutMs. */
export async function gone(ids: ProcessIdentity[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (ids.some(stillRunning)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}
