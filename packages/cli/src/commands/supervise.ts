// The foreground half of `kubets up`: starts the cluster tier by tier with a progress view,
// then supervises it (restarts with back-off, each reported) until SIGINT or SIGTERM, and then
// stops everything in order. A second signal kills what is left at once.
import { LocalCluster } from '../cluster/local-cluster.js';
import type { ClusterPlan } from '../cluster/plan.js';
import { RunStateRecorder } from '../cluster/recorder.js';
import { removeRunState } from '../cluster/run-state.js';
import type { RestartEvent } from '../launch/supervisor.js';
import { Progress } from '../ui/progress.js';
import { renderSummary } from '../ui/summary.js';

export interface ForegroundOptions {
  startedAt: number;
  readyTimeoutMs: number;
  mergedInto?: string;
}

const say = (line: string) => process.stdout.write(`${line}\n`);
const time = () => new Date().toISOString().slice(11, 19);

export async function superviseInForeground(plan: ClusterPlan, o: ForegroundOptions): Promise<number> {
  const cluster = new LocalCluster(plan, { logs: 'files', ownProcessGroups: true, readyTimeoutMs: o.readyTimeoutMs });
  const recorder = new RunStateRecorder(cluster);
  const progress = new Progress(process.stdout, o.startedAt);
  const showProgress = () => progress.update(recorder.snapshot());
  cluster.on('starting', showProgress).on('ready', showProgress);
  recorder.write();

  const stopped = onFirstSignal(() => shutdown(cluster, recorder), () => killAll(cluster));
  try {
    await cluster.start();
  } catch (e) {
    if (stopped.signalled) return stopped.done;
    recorder.setPhase('failed', (e as Error).message);
    process.stderr.write(`kubets up: the cluster did not start: ${(e as Error).message}\n`);
    return 1;
  }
  cluster.off('starting', showProgress).off('ready', showProgress);
  cluster.supervise();
  recorder.setPhase('running');
  progress.finish(recorder.snapshot());
  say(renderSummary(recorder.snapshot(), { elapsedMs: Date.now() - o.startedAt, detached: process.env.KUBETS_UP_STARTED_AT !== undefined, ...(o.mergedInto !== undefined ? { mergedInto: o.mergedInto } : {}) }));
  reportRestarts(cluster);
  return stopped.done;
}

function reportRestarts(cluster: LocalCluster): void {
  cluster.on('crash', (e: RestartEvent) => {
    const how = e.exit.signal !== null ? `was killed (${e.exit.signal})` : `exited with code ${e.exit.code}`;
    say(`${time()} ${e.name} ${how}; restarting it in ${(e.delayMs / 1000).toFixed(1)}s (restart ${e.restarts})`);
  });
  cluster.on('ready', (p: { proc: { spec: { name: string } } }) => {
    say(`${time()} ${p.proc.spec.name} is ready again (restarts: ${cluster.restarts(p.proc.spec.name)})`);
  });
}

async function shutdown(cluster: LocalCluster, recorder: RunStateRecorder): Promise<number> {
  recorder.setPhase('stopping');
  say('kubets up: stopping the cluster (node components, controllers, API servers, then etcd) ...');
  await cluster.stop();
  removeRunState(cluster.plan.dataDir);
  say('kubets up: stopped; every process it started has exited.');
  return 0;
}

function killAll(cluster: LocalCluster): void {
  for (const p of cluster.processes) {
    if (p.proc.pid !== undefined) process.kill(p.proc.pid, 'SIGKILL');
  }
}

/** The first SIGINT/SIGTERM runs `stop`; a second one kills every process at once and exits 1. */
function onFirstSignal(stop: () => Promise<number>, kill: () => void): { signalled: boolean; done: Promise<number> } {
  const result = { signalled: false, done: undefined as unknown as Promise<number> };
  result.done = new Promise<number>((resolve) => {
    const handler = () => {
      if (result.signalled) {
        say('kubets up: second signal, killing every process now');
        kill();
        process.exit(1);
      }
      result.signalled = true;
      stop().then(resolve, (e: Error) => {
        process.stderr.write(`kubets up: stopping failed: ${e.message}\n`);
        resolve(1);
      });
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
  return result;
}
