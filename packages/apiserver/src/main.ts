#!/usr/bin/env node
// kubets-apiserver: the Kubernetes API on the etcd v3 JSON API. Flags follow kube-apiserver's.

import { componentCommand, createLogger, Drain, durationFlag, type Verbosity } from '@kubets/component-base';
import { InvalidArgumentError, Option } from 'commander';
import { startApiServer } from './apiserver.js';
import { createEtcdBackend } from './etcd3/backend.js';

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0 picks a free one)');
  return n;
}

function seconds(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('must be a whole number of seconds');
  return n;
}

const knownGates = ['ConsistentListFromCache'];

function featureGates(v: string): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const pair of v.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const m = /^([A-Za-z0-9]+)=(true|false)$/i.exec(pair);
    if (m === null) throw new InvalidArgumentError(`missing bool value for ${pair}`);
    if (!knownGates.includes(m[1]!)) throw new InvalidArgumentError(`unrecognized feature gate: ${m[1]}`);
    out[m[1]!] = m[2]!.toLowerCase() === 'true';
  }
  return out;
}

const program = componentCommand('kubets-apiserver', 'The kubets API server: the Kubernetes REST/JSON API over an etcd v3 cluster.')
  .requiredOption('--etcd-servers <urls>', 'comma-separated etcd client URLs, e.g. http://127.0.0.1:2379,http://127.0.0.2:2379')
  .option('--bind-address <ip>', 'address to listen on', '0.0.0.0')
  .option('--advertise-address <ip>', 'The IP address on which to advertise the apiserver to members of the cluster (the kubernetes Service\'s endpoints). If blank, the --bind-address will be used; if that is unspecified (0.0.0.0), the address of the host\'s default interface')
  .addOption(new Option('--endpoint-reconciler-type <type>', 'Use an endpoint reconciler (lease, none)').choices(['lease', 'none']).default('lease'))
  .option('--secure-port <port>', 'port to serve on (plain HTTP for now; 0 picks a free port)', port, 6443)
  .option('--service-cluster-ip-range <cidr>', 'IPv4 CIDR that Service cluster IPs come from', '10.96.0.0/12')
  .option('--service-node-port-range <range>', 'ports that NodePort Services may use', '30000-32767')
  .addOption(durationFlag('--etcd-compaction-interval <duration>', 'how often etcd history is compacted (0s disables)', 300_000))
  .addOption(durationFlag('--service-repair-interval <duration>', 'kubets: how often Service IP and node port claims are checked against the Services (0s disables)', 180_000))
  .option('--feature-gates <gates>', 'key=value pairs of features: ConsistentListFromCache (default true) serves lists without a resourceVersion from the watch cache once it caught up with etcd', featureGates, {})
  .option('--default-not-ready-toleration-seconds <seconds>', 'tolerationSeconds of the toleration for notReady:NoExecute that is added by default to every pod that does not already have such a toleration', seconds, 300)
  .option('--default-unreachable-toleration-seconds <seconds>', 'tolerationSeconds of the toleration for unreachable:NoExecute that is added by default to every pod that does not already have such a toleration', seconds, 300)
  .option('--watch-cache-size <events>', 'events kept per resource for resuming watches', (v) => Number(v), 10_000);

program.parse();
const opts = program.opts<{
  etcdServers: string;
  bindAddress: string;
  advertiseAddress?: string;
  endpointReconcilerType: 'lease' | 'none';
  securePort: number;
  serviceClusterIpRange: string;
  serviceNodePortRange: string;
  etcdCompactionInterval: number;
  watchCacheSize: number;
  featureGates: Record<string, boolean>;
  serviceRepairInterval: number;
  defaultNotReadyTolerationSeconds: number;
  defaultUnreachableTolerationSeconds: number;
  v?: Verbosity;
  logLevel?: string;
}>();

// Access logs are one line per request: buffered and written asynchronously, 4 KiB at a time,
// instead of one blocking write each; flushed at least every 200 ms so that a quiet server's
// lines still show promptly, and by pino when the process exits.
const logger = createLogger('apiserver', opts, { fd: 1, buffered: { minLength: 4096, flushIntervalMs: 200 } });
const drain = new Drain({ logger }).listen();

async function main(): Promise<void> {
  const endpoints = opts.etcdServers.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const backend = createEtcdBackend({
    endpoints,
    logger: logger.child({ subsystem: 'storage' }),
    compactionIntervalMs: opts.etcdCompactionInterval,
    watchCacheSize: opts.watchCacheSize,
    consistentListFromCache: opts.featureGates.ConsistentListFromCache ?? true,
  });
  const server = await startApiServer({
    backend,
    bindAddress: opts.bindAddress,
    ...(opts.advertiseAddress !== undefined ? { advertiseAddress: opts.advertiseAddress } : {}),
    endpointReconcilerType: opts.endpointReconcilerType,
    port: opts.securePort,
    serviceClusterIPRange: opts.serviceClusterIpRange,
    serviceNodePortRange: opts.serviceNodePortRange,
    serviceRepairIntervalMs: opts.serviceRepairInterval,
    defaultNotReadyTolerationSeconds: opts.defaultNotReadyTolerationSeconds,
    defaultUnreachableTolerationSeconds: opts.defaultUnreachableTolerationSeconds,
    logger,
  });
  logger.info({ address: server.address, port: server.port, etcd: endpoints }, 'listening');
  logger.flush();
  drain.add('api server', () => server.close());
}

main().catch((e) => {
  logger.fatal({ err: e }, 'kubets-apiserver failed to start');
  process.exit(1);
});
