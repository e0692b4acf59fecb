#!/usr/bin/env node
// kubets-controller-manager: the control loops of kube-controller-manager in one process. While
// it leads (Lease kube-system/kube-controller-manager), the controllers chosen by --controllers
// run; a standby waits and takes over when the leader goes.

import { clientFromKubeconfig } from '@kubets/client';
import {
  componentCommand,
  createLogger,
  createMetricsRegistry,
  Drain,
  type LoggingFlags,
  pingCheck,
  startHealthServer,
  WorkqueueMetrics,
} from '@kubets/component-base';
import { addLeaderElectionFlags, type LeaderElectionFlags, leaseLockFor, runLeaderElection } from '@kubets/component-base/leaderelection';
import { createControllerContext } from './controller/context.js';
import { addControllerFlags, optionsFromFlags } from './controller/flags.js';
import { ControllerManager } from './controller/manager.js';
import { selectControllers, UnknownControllerError } from './controller/selection.js';
import { allControllers } from './controllers/registry.js';

interface Flags extends LoggingFlags, LeaderElectionFlags {
  kubeconfig?: string;
  bindAddress: string;
  securePort: number;
  controllers: string[];
}

const list = (value: string) => value.split(',').map((s) => s.trim()).filter((s) => s !== '');

const program = componentCommand('kubets-controller-manager', 'Runs the control loops that keep the cluster at its desired state, as kube-controller-manager.')
  .option('--kubeconfig <path>', 'kubeconfig file of the API server')
  .option('--bind-address <ip>', 'address to serve /healthz, /readyz and /metrics on', '0.0.0.0')
  .option('--secure-port <port>', 'port to serve them on (0 picks a free one)', Number, 10257)
  .option('--controllers <names>', `controllers to run: '*' for those on by default, 'foo' to add one, '-foo' to leave one out (known: ${allControllers.map((c) => c.name).join(', ')})`, list, ['*']);
addControllerFlags(program);
addLeaderElectionFlags(program, { resourceName: 'kube-controller-manager' });
program.parse();
const flags = program.opts<Flags>();

const logger = createLogger('controller-manager', flags);
const drain = new Drain({ logger }).listen();

let selected;
try {
  selected = selectControllers(allControllers, flags.controllers);
} catch (e) {
  if (!(e instanceof UnknownControllerError)) throw e;
  logger.error({ err: e.message }, 'invalid --controllers');
  process.exit(1);
}
const options = optionsFromFlags(flags as unknown as Record<string, unknown>);
const client = clientFromKubeconfig({ ...(flags.kubeconfig !== undefined ? { path: flags.kubeconfig } : {}), component: 'controller-manager' });
const registry = createMetricsRegistry();
const queueMetrics = new WorkqueueMetrics(registry);

const election = runLeaderElection({
  flags,
  lock: leaseLockFor(client, flags),
  logger,
  run: async (signal) => {
    const ctx = createControllerContext({ client, options, logger, queueMetrics, resyncPeriodMs: options.minResyncPeriodMs });
    const manager = new ControllerManager(ctx, selected);
    manager.start();
    logger.info({ controllers: manager.names() }, 'controllers running');
    if (!signal.aborted) await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    await manager.stop();
  },
});

const health = await startHealthServer({
  bindAddress: flags.bindAddress,
  port: flags.securePort,
  checks: { healthz: [pingCheck, election.check], livez: [pingCheck, election.check], readyz: [pingCheck] },
  registry,
  logger,
});
logger.info({ port: health.port }, 'listening');

drain
  .add('leader election', () => election.stop())
  .add('health server', () => health.close())
  .add('client', () => client.close());
