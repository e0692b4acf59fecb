// `kubets up`: start (or bring back) a local cluster and supervise it until Ctrl-C or SIGTERM,
// or with --detach start it in the background and return once it is ready.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mergeIntoKubeconfig, userKubeconfigPath, writeClusterKubeconfig } from '../cluster/kubeconfig.js';
import { clusterFlags, clusterPaths } from '../cluster/layout.js';
import { resetLeftoverKubelets, stopLeftovers, supervisorAlive } from '../cluster/leftovers.js';
import { plannedKubelets, plannedKubeProxies } from '../cluster/nodes.js';
import { nodeCountOf, planOf } from '../cluster/record.js';
import { checkPortsFree, controlPlanePorts, kubeletPorts, kubeProxyHealthzPorts, resolveRecord, type UpFlags } from '../cluster/resolve.js';
import { readRunState, removeRunState, type RunState } from '../cluster/run-state.js';
import { apiServerUrl } from '../launch/apiserver.js';
import { Progress } from '../ui/progress.js';
import { renderSummary } from '../ui/summary.js';
import { UsageError } from './errors.js';
import { superviseInForeground } from './supervise.js';

export interface UpOptions extends UpFlags {
  detach: boolean;
  mergeKubeconfig: boolean;
  /** Deadline for each tier to be ready, in ms. */
  readyTimeoutMs: number;
}

/** Set in the environment of the background supervisor that --detach starts, with the command's start time. */
const detachedEnv = 'KUBETS_UP_STARTED_AT';

export async function up(o: UpOptions): Promise<number> {
  const startedAt = Number(process.env[detachedEnv] ?? Date.now());
  const paths = clusterPaths(o.dataDir);
  await clearPreviousRun(o);
  const { record, created } = await resolveRecord(o);
  await checkPortsFree(record);
  const nodes = nodeCountOf(record);
  const plan = planOf(o.dataDir, record, {
    ...(await controlPlanePorts({ schedulers: o.schedulers ?? 1, controllerManagers: o.controllerManagers ?? 1 })),
    kubelets: plannedKubelets(o.dataDir, nodes, await kubeletPorts(nodes)),
    ...(o.kubeProxies !== false ? { kubeProxies: plannedKubeProxies(nodes, await kubeProxyHealthzPorts(nodes)) } : {}),
  });
  const servers = record.apiservers.map((a) => apiServerUrl(a.port));
  writeClusterKubeconfig(paths.kubeconfig, record.name, servers);
  const mergedInto = o.mergeKubeconfig ? userKubeconfigPath() : undefined;
  if (mergedInto !== undefined) mergeIntoKubeconfig(mergedInto, record.name, servers);
  if (process.env[detachedEnv] === undefined) {
    process.stdout.write(`kubets up: ${created ? 'creating' : 'starting'} cluster "${record.name}" (data dir ${paths.dataDir})\n`);
  }
  if (o.detach && process.env[detachedEnv] === undefined) return startDetached(o, startedAt, mergedInto);
  await superviseInForeground(plan, { startedAt, readyTimeoutMs: o.readyTimeoutMs, detached: process.env[detachedEnv] !== undefined, ...(mergedInto !== undefined ? { mergedInto } : {}) });
  // Supervising now: the processes keep this one alive until the drain ends it.
  return 0;
}

/**
 * Refuses a cluster that already runs; stops what a supervisor that died left running, and the
 * pods of its kubelets (the kubelets started now would adopt them, but a node that --nodes
 * leaves out would keep its pods running with no kubelet).
 */
async function clearPreviousRun(o: UpOptions): Promise<void> {
  const state = readRunState(o.dataDir);
  if (state === undefined) return;
  if (supervisorAlive(state)) {
    throw new UsageError(`the cluster "${state.name}" is already running (kubets up, pid ${state.supervisor.pid}); stop it with kubets down${clusterFlags(o.name, o.dataDir)}`);
  }
  const stopped = await stopLeftovers(state);
  if (stopped.length > 0) process.stdout.write(`kubets up: stopped ${stopped.join(', ')}, left running by an earlier kubets up that did not shut down\n`);
  await resetLeftoverKubelets(state);
  removeRunState(o.dataDir);
}

const cliMain = fileURLToPath(new URL('../main.js', import.meta.url));

/**
 * Starts the supervisor as a background process of its own session (so closing the terminal
 * does not end it), its output in logs/kubets-up.log, and follows its run/state.json until the
 * cluster is ready or the start failed.
 */
async function startDetached(o: UpOptions, startedAt: number, mergedInto: string | undefined): Promise<number> {
  const paths = clusterPaths(o.dataDir);
  mkdirSync(paths.logsDir, { recursive: true });
  const log = openSync(paths.upLog, 'a');
  const args = [cliMain, 'up', '--name', o.name, '--data-dir', paths.dataDir, '--ready-timeout', `${o.readyTimeoutMs}ms`, '--schedulers', String(o.schedulers ?? 1),
    '--controller-managers', String(o.controllerManagers ?? 1), ...(o.nodes !== undefined ? ['--nodes', String(o.nodes)] : []),
    ...(o.kubeProxies === false ? ['--no-kube-proxies'] : [])];
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log], env: { ...process.env, [detachedEnv]: String(startedAt) } });
  closeSync(log);
  child.unref();
  const progress = new Progress(process.stdout, startedAt);
  const deadline = Date.now() + 4 * o.readyTimeoutMs;
  for (;;) {
    const state = readRunState(o.dataDir);
    const ours = state !== undefined && state.supervisor.pid === child.pid ? state : undefined;
    if (ours !== undefined) progress.update(ours);
    if (ours?.phase === 'running') return readyDetached(ours, progress, startedAt, mergedInto);
    if (ours?.phase === 'failed' || child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      process.stderr.write(`kubets up: the cluster did not start${ours?.error !== undefined ? `: ${ours.error}` : ''}\nSee ${paths.upLog}\n`);
      return 1;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

function readyDetached(state: RunState, progress: Progress, startedAt: number, mergedInto: string | undefined): number {
  progress.finish(state);
  const elapsedMs = (state.readyAt ?? Date.now()) - startedAt;
  process.stdout.write(renderSummary(state, { elapsedMs, detached: true, ...(mergedInto !== undefined ? { mergedInto } : {}) }));
  return 0;
}
