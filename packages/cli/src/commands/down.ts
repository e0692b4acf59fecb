// `kubets down`: stop a running cluster. The supervisor, sent SIGTERM, stops its processes in
// order and resets its kubelets' root dirs (which stops their pods); when the supervisor is
// gone, its processes are stopped here by their recorded pids. Either way the root dirs are
// reset here once more, so no pod outlives `kubets down`. Nothing of the user's is removed;
// --delete removes the data dir afterwards (its objects, logs and kubeconfig).
import { existsSync, rmSync } from 'node:fs';
import { clusterPaths } from '../cluster/layout.js';
import { gone, liveProcesses, resetLeftoverKubelets, stopLeftovers, supervisorAlive } from '../cluster/leftovers.js';
import { readRunState, removeRunState } from '../cluster/run-state.js';
import { UsageError } from './errors.js';

export interface DownOptions {
  name: string;
  dataDir: string;
  delete: boolean;
  /** How long the supervisor has to stop everything before we stop what is left ourselves. */
  timeoutMs: number;
}

const say = (line: string) => process.stdout.write(`${line}\n`);

export async function down(o: DownOptions): Promise<number> {
  const state = readRunState(o.dataDir);
  if (state === undefined) say(`kubets down: the cluster "${o.name}" is not running`);
  else await stopRun(state, o.timeoutMs);
  if (o.delete) deleteDataDir(o.dataDir);
  return 0;
}

async function stopRun(state: NonNullable<ReturnType<typeof readRunState>>, timeoutMs: number): Promise<void> {
  if (supervisorAlive(state)) {
    say(`kubets down: stopping the cluster "${state.name}" (kubets up, pid ${state.supervisor.pid}) ...`);
    process.kill(state.supervisor.pid, 'SIGTERM');
    if (!(await gone([state.supervisor], timeoutMs))) say(`kubets down: kubets up did not finish in ${timeoutMs / 1000}s; stopping its processes directly`);
  }
  const stopped = await stopLeftovers(state);
  if (stopped.length > 0) say(`kubets down: stopped ${stopped.join(', ')}`);
  const left = liveProcesses(state);
  if (left.length > 0) throw new UsageError(`still running: ${left.map((p) => `${p.name} (pid ${p.process.pid})`).join(', ')}`);
  await resetKubelets(state);
  removeRunState(state.dataDir);
  say(`kubets down: the cluster "${state.name}" is stopped`);
}

/** Stops the pods the kubelets left (their root dirs' reset); a failure is the user's to see, with the run state kept for another try. */
async function resetKubelets(state: NonNullable<ReturnType<typeof readRunState>>): Promise<void> {
  try {
    const reset = await resetLeftoverKubelets(state);
    if (reset.length > 0) say(`kubets down: the pods of ${reset.join(', ')} are stopped`);
  } catch (e) {
    throw new UsageError(`the pods of the kubelets could not all be stopped: ${(e as Error).message}`);
  }
}

function deleteDataDir(dataDir: string): void {
  const paths = clusterPaths(dataDir);
  // Only a directory that holds a cluster: a mistyped --data-dir must never lose someone's files.
  if (!existsSync(paths.record)) throw new UsageError(`${paths.dataDir} holds no kubets cluster (no cluster.json); not deleting it`);
  rmSync(paths.dataDir, { recursive: true, force: true });
  say(`kubets down: deleted ${paths.dataDir}`);
}
