// Cold start of a local cluster, as a user meets it: from the `kubets up` command to every
// component ready and `kubectl get ns` answering, on a fresh data dir (a new cluster) and then
// again on the same data dir (the cluster coming back). Prints one JSON line.
//
//   node packages/cli/dist/src/bench/cold-start.js [--runs 5] [--kubectl kubectl]
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { readRunState } from '../cluster/run-state.js';
import { firstFreeRun } from '../launch/port-check.js';

const kubetsMain = fileURLToPath(new URL('../main.js', import.meta.url));

const o = new Command('cold-start')
  .option('--runs <n>', 'clusters to start', (v) => Number(v), 5)
  .option('--kubectl <path>', 'the kubectl to ask', 'kubectl')
  .parse()
  .opts<{ runs: number; kubectl: string }>();

interface Start {
  etcdReadyMs: number;
  apiserversReadyMs: number;
  allReadyMs: number;
  kubectlGetNsMs: number;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function kubectlAnswers(kubeconfig: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(o.kubectl, [`--kubeconfig=${kubeconfig}`, 'get', 'ns', '-o', 'name', '--request-timeout=2s'], (err, stdout) => resolve(err === null && stdout.includes('namespace/default')));
  });
}

/** One `kubets up` in the foreground, timed from the spawn; stopped with SIGINT afterwards. */
async function timeOneStart(dataDir: string, port: number, env: NodeJS.ProcessEnv): Promise<Start> {
  const t0 = performance.now();
  const startedAt = Date.now();
  const child = spawn(process.execPath, [kubetsMain, 'up', '--data-dir', dataDir, '--port', String(port)], { env, stdio: 'ignore' });
  try {
    const state = await waitRunning(dataDir, child);
    const since = (t: number | undefined) => (t ?? NaN) - startedAt;
    const ready = (role: string) => Math.max(...state.processes.filter((p) => p.role === role).map((p) => since(p.readyAt)));
    while (!(await kubectlAnswers(join(dataDir, 'kubeconfig')))) await pause(10);
    const kubectlGetNsMs = Math.round(performance.now() - t0);
    return { etcdReadyMs: ready('etcd'), apiserversReadyMs: ready('apiserver'), allReadyMs: since(state.readyAt), kubectlGetNsMs };
  } finally {
    await stop(child);
  }
}

async function waitRunning(dataDir: string, child: ChildProcess) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const state = readRunState(dataDir);
    if (state?.phase === 'running' && state.supervisor.pid === child.pid) return state;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`kubets up did not get the cluster running (see ${dataDir}/logs)`);
    await pause(5);
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  await exited;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function summary(starts: Start[]) {
  const keys = ['etcdReadyMs', 'apiserversReadyMs', 'allReadyMs', 'kubectlGetNsMs'] as const;
  return Object.fromEntries(keys.map((k) => [k, { median: median(starts.map((s) => s[k])), max: Math.max(...starts.map((s) => s[k])) }]));
}

const fresh: Start[] = [];
const again: Start[] = [];
for (let i = 0; i < o.runs; i++) {
  const home = await mkdtemp(join(tmpdir(), 'kubets-cold-start-'));
  try {
    const env = { ...process.env, HOME: home };
    const port = await firstFreeRun(20_000 + ((process.pid + i * 7) % 20_000), 2);
    if (port === undefined) throw new Error('no two free ports');
    fresh.push(await timeOneStart(join(home, 'c'), port, env));
    again.push(await timeOneStart(join(home, 'c'), port, env));
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
console.log(JSON.stringify({
  bench: 'cold-start',
  cluster: '3 kubets-etcd members, 2 API servers',
  runs: o.runs,
  targetMs: 3000,
  newCluster: summary(fresh),
  sameDataDirAgain: summary(again),
  perRun: fresh.map((f, i) => ({ new: f, again: again[i] })),
}));
