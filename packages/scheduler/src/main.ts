#!/usr/bin/env node
// kubets-scheduler: watches pods with no node and binds each to one, as kube-scheduler.

import { hostname } from 'node:os';
import { clientFromKubeconfig, EventRecorder } from '@kubets/client';
import {
  componentCommand,
  createLogger,
  createMetricsRegistry,
  Drain,
  type HealthCheck,
  type LoggingFlags,
  pingCheck,
  startHealthServer,
} from '@kubets/component-base';
import { addLeaderElectionFlags, type LeaderElectionFlags, leaseLockFor, runLeaderElection } from '@kubets/component-base/leaderelection';
import { defaultConfig, loadConfig } from './config/load.js';
import { leaderElectionFromConfig } from './config/leader-election.js';
import { buildFrameworks } from './config/profiles.js';
import { SchedulerMetrics } from './metrics.js';
import { pluginRegistry } from './plugins/registry.js';
import { wireScheduler } from './scheduler/setup.js';

interface Flags extends LoggingFlags, LeaderElectionFlags {
  kubeconfig?: string;
  config?: string;
  bindAddress: string;
  securePort: number;
}

const program = componentCommand('kubets-scheduler', 'Assigns pods to nodes: a queue, a cache and the scheduling framework\'s plugins, as kube-scheduler.')
  .option('--config <path>', 'a KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1) file: profiles, plugins, percentageOfNodesToScore')
  .option('--kubeconfig <path>', 'kubeconfig file of the API server (overrides clientConnection.kubeconfig of --config)')
  .option('--bind-address <ip>', 'address to serve /healthz, /readyz and /metrics on', '0.0.0.0')
  .option('--secure-port <port>', 'port to serve them on (0 picks a free one)', Number, 10259);
addLeaderElectionFlags(program, { resourceName: 'kube-scheduler' });
program.parse();
const cliFlags = program.opts<Flags>();

const logger = createLogger('scheduler', cliFlags);
const drain = new Drain({ logger }).listen();

let config;
try {
  config = cliFlags.config !== undefined ? await loadConfig(cliFlags.config) : defaultConfig();
} catch (e) {
  logger.error({ err: (e as Error).message }, 'invalid --config');
  process.exit(1);
}
const flags = { ...cliFlags, ...leaderElectionFromConfig(config, program) };
const frameworks = (() => {
  try {
    return buildFrameworks(config, pluginRegistry);
  } catch (e) {
    logger.error({ err: (e as Error).message }, 'invalid --config');
    process.exit(1);
  }
})();

const client = clientFromKubeconfig({ path: flags.kubeconfig ?? config.clientConnection?.kubeconfig, component: 'scheduler' });
const recorder = new EventRecorder({ client, component: 'default-scheduler', host: hostname(), logger });
const registry = createMetricsRegistry();
let pending = () => ({ active: 0, backoff: 0, unschedulable: 0 });
const metrics = new SchedulerMetrics(registry, () => pending());
const wired = wireScheduler({
  client,
  frameworks,
  recorder,
  logger,
  metrics,
  ...(config.percentageOfNodesToScore !== undefined ? { percentageOfNodesToScore: config.percentageOfNodesToScore } : {}),
  podInitialBackoffMs: (config.podInitialBackoffSeconds ?? 1) * 1000,
  podMaxBackoffMs: (config.podMaxBackoffSeconds ?? 10) * 1000,
});
pending = () => wired.scheduler.queue.pending();
const informersSynced = wired.synced();

const election = runLeaderElection({
  flags,
  lock: leaseLockFor(client, flags),
  logger,
  run: async (signal) => {
    if (!(await wired.synced(signal))) return;
    logger.info({ profiles: [...frameworks.keys()] }, 'scheduling');
    await wired.scheduler.run(signal);
  },
});

let synced = false;
void informersSynced.then((ok) => (synced = ok));
const syncCheck: HealthCheck = {
  name: 'sched-handler-sync',
  check: async () => {
    if (!synced) throw new Error('the informers have not listed pods and nodes yet');
  },
};
const health = await startHealthServer({
  bindAddress: flags.bindAddress,
  port: flags.securePort,
  checks: { healthz: [pingCheck, election.check], livez: [pingCheck, election.check], readyz: [pingCheck, syncCheck] },
  registry,
  logger,
});
logger.info({ port: health.port }, 'listening');

drain
  .add('leader election', () => election.stop())
  .add('events', () => recorder.shutdown())
  .add('informers', () => wired.stop())
  .add('health server', () => health.close())
  .add('client', () => client.close());
