// The foreground half of `kubets up`: starts the cluster tier by tier with a progress view,
// then supervises it (restarts with back-off, each reported) until SIGINT or SIGTERM, and then
// stops everything in order through component-base's drain, as every kubets process stops. A
// second signal, or a stop that outlives its deadline, kills what is left at once.
import type { EventLog } from '@kubets/component-base';
import { Drain } from '@kubets/component-base/drain';
import { LocalCluster } from '../cluster/local-cluster.js';
import { kubetsProfile } from '../cluster/profile.js';
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
  /** Started by --detach: the summary says how to stop it. */
  detached: boolean;
}

/**
 * Every tier gets 10 s after SIGTERM, and the kubelets' resets up to 90 s more (pods have 30 s of
 * grace by default); six tiers and the resets fit in this.
 */
const stopDeadlineMs = 150_000;

const say = (line: string) => process.stdout.write(`${line}\n`);
const time = () => new Date().toISOString().slice(11, 19);

/** The drain's events, as lines for a person rather than JSON. */
const console: EventLog = {
  info: (o, msg) => say(`kubets up: ${msg}${'signal' in o ? ` (${String(o.signal)})` : ''}`),
  warn: (_o, msg) => say(`kubets up: ${msg}`),
  error: (o, msg) => say(`kubets up: ${msg}${'err' in o ? `: ${(o.err as Error).message}` : ''}`),
};

export async function superviseInForeground(plan: ClusterPlan, o: ForegroundOptions): Promise<void> {
  const cluster = new LocalCluster(plan, {
    logs: 'files',
    ownProcessGroups: true,
    readyTimeoutMs: o.readyTimeoutMs,
    apiserverFlags: kubetsProfile.apiserver,
    controllerManagerFlags: kubetsProfile.controllerManager,
    kubeletFlags: kubetsProfile.kubelet,
    kubeProxyFlags: kubetsProfile.kubeProxy,
  });
  const recorder = new RunStateRecorder(cluster);
  const drain = new Drain({ logger: console, deadlineMs: stopDeadlineMs, exit: (code) => exit(cluster, code) })
    .add('stop the cluster in order: node components, controllers, API servers, etcd', async () => {
      recorder.setPhase('stopping');
      await cluster.stop();
    })
    .add('forget the run', () => removeRunState(plan.dataDir))
    .listen();
  const progress = new Progress(process.stdout, o.startedAt);
  const showProgress = () => progress.update(recorder.snapshot());
  cluster.on('starting', showProgress).on('ready', showProgress);
  const clock = setInterval(showProgress, 100);
  recorder.write();
  try {
    await cluster.start();
  } catch (e) {
    clearInterval(clock);
    // A signal during the start stops the cluster, which fails the start: the drain reports that.
    if (drain.shutdownStarted) return;
    recorder.setPhase('failed', (e as Error).message);
    process.stderr.write(`kubets up: the cluster did not start: ${(e as Error).message}\n`);
    exit(cluster, 1);
  }
  clearInterval(clock);
  cluster.off('starting', showProgress).off('ready', showProgress);
  cluster.supervise();
  recorder.setPhase('running');
  progress.finish(recorder.snapshot());
  say(renderSummary(recorder.snapshot(), { elapsedMs: Date.now() - o.startedAt, detached: o.detached, ...(o.mergedInto !== undefined ? { mergedInto: o.mergedInto } : {}) }));
  reportRestarts(cluster);
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

/** Exits; on failure first kills every process still running (they are in process groups of their own and would outlive us). */
function exit(cluster: LocalCluster, code: number): never {
  if (code !== 0) {
    for (const p of cluster.processes) if (p.proc.pid !== undefined) process.kill(p.proc.pid, 'SIGKILL');
  } else {
    say('kubets up: stopped; every process it started has exited.');
  }
  process.exit(code);
}
