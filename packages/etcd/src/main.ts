#!/usr/bin/env node
// kubets-etcd: one member of an etcd v3-compatible cluster. Flags are etcd's, with its defaults.
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { boolOption, componentCommand, createLogger, Drain, durationFlag, type Verbosity } from '@kubets/component-base';
import { InvalidArgumentError, Option } from 'commander';
import { parseInitialCluster } from './cluster/initial-cluster.js';
import { createClientServer } from './server/http-api.js';
import { EtcdServer } from './server/etcd-server.js';
import { createMetrics } from './server/metrics.js';

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

function urls(v: string): URL[] {
  return v.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
    try {
      const u = new URL(s);
      if (u.protocol !== 'http:') throw new InvalidArgumentError(`${s}: only http:// URLs are served for now`);
      return u;
    } catch (e) {
      if (e instanceof InvalidArgumentError) throw e;
      throw new InvalidArgumentError(`${s} is not a URL`);
    }
  });
}

/** Stops taking requests and cuts open connections (watch streams stay open otherwise). */
function closeListener(l: Server): Promise<void> {
  return new Promise((resolve) => {
    l.close(() => resolve());
    l.closeAllConnections();
  });
}

const hostOf = (u: URL) => u.hostname.replace(/^\[|\]$/g, '');
const portOf = (u: URL) => Number(u.port || 80);

const program = componentCommand('kubets-etcd', 'A kubets-etcd member: the etcd v3 API (JSON gateway) on Raft.')
  .option('--name <name>', 'human-readable name for this member', 'default')
  .option('--data-dir <path>', 'path to the data directory (default: ${name}.etcd)')
  .option('--listen-client-urls <urls>', 'URLs to listen on for client traffic', urls, urls('http://localhost:2379'))
  .option('--advertise-client-urls <urls>', "this member's client URLs to advertise to the cluster", urls, urls('http://localhost:2379'))
  .option('--listen-peer-urls <urls>', 'URLs to listen on for peer (Raft) traffic', urls, urls('http://localhost:2380'))
  .option('--initial-advertise-peer-urls <urls>', "this member's peer URLs to advertise to the cluster", urls, urls('http://localhost:2380'))
  .option('--initial-cluster <spec>', 'initial cluster configuration: name=peerURL,...', 'default=http://localhost:2380')
  .option('--initial-cluster-state <state>', "'new' for a new cluster, 'existing' to join one", 'new')
  .option('--initial-cluster-token <token>', 'initial cluster token, part of member and cluster ids', 'etcd-cluster')
  .option('--heartbeat-interval <ms>', 'time of a heartbeat interval, in milliseconds', positiveInt, 100)
  .option('--election-timeout <ms>', 'time of an election timeout, in milliseconds', positiveInt, 1000)
  .addOption(new Option('--initial-election-tick-advance [bool]', 'Whether to fast-forward initial election ticks on boot for faster election.').argParser(boolOption).default(true))
  .option('--snapshot-count <n>', 'committed entries between snapshots', positiveInt, 100_000)
  .option('--max-request-bytes <n>', 'maximum client request size in bytes', positiveInt, 1.5 * 1024 * 1024)
  .option('--max-txn-ops <n>', 'maximum operations in one transaction', positiveInt, 128)
  .addOption(durationFlag('--experimental-watch-progress-notify-interval <duration>', 'how often watches that asked for progress notifications get one', 600_000))
  .option('--logger <logger>', 'accepted for etcd compatibility (logs are pino JSON)', 'zap');

program.parse();
const o = program.opts<{
  name: string;
  dataDir?: string;
  listenClientUrls: URL[];
  advertiseClientUrls: URL[];
  listenPeerUrls: URL[];
  initialAdvertisePeerUrls: URL[];
  initialCluster: string;
  initialClusterState: string;
  initialClusterToken: string;
  heartbeatInterval: number;
  electionTimeout: number;
  initialElectionTickAdvance: boolean;
  snapshotCount: number;
  maxRequestBytes: number;
  maxTxnOps: number;
  experimentalWatchProgressNotifyInterval: number;
  v?: Verbosity;
  logLevel?: string;
}>();

// To stderr, as etcd logs: launchers read a member's stderr to say why it did not start.
const logger = createLogger('etcd', o, { fd: 2, base: { name: o.name } });
const drain = new Drain({ logger }).listen();

function fail(message: string): never {
  process.stderr.write(`kubets-etcd: ${message}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  if (o.initialClusterState !== 'new' && o.initialClusterState !== 'existing') fail(`--initial-cluster-state must be new or existing, not ${o.initialClusterState}`);
  if (o.electionTimeout < 5 * o.heartbeatInterval) fail(`--election-timeout (${o.electionTimeout}) must be at least 5 times --heartbeat-interval (${o.heartbeatInterval})`);
  let initialCluster;
  try {
    initialCluster = parseInitialCluster(o.initialCluster);
  } catch (e) {
    fail((e as Error).message);
  }
  const dataDir = o.dataDir ?? `${o.name}.etcd`;
  mkdirSync(dataDir, { recursive: true });
  const peer = o.listenPeerUrls[0]!;
  const server = await EtcdServer.start({
    name: o.name,
    dataDir,
    advertiseClientUrls: o.advertiseClientUrls.map((u) => u.origin),
    peerListen: { host: hostOf(peer), port: portOf(peer) },
    initialAdvertisePeerUrls: o.initialAdvertisePeerUrls.map((u) => u.origin),
    initialCluster: initialCluster.map((m) => ({ name: m.name, peerUrls: m.peerUrls.map((u) => new URL(u).origin) })),
    initialClusterState: o.initialClusterState,
    initialClusterToken: o.initialClusterToken,
    heartbeatMs: o.heartbeatInterval,
    electionMs: o.electionTimeout,
    initialElectionTickAdvance: o.initialElectionTickAdvance,
    snapshotCount: o.snapshotCount,
    maxRequestBytes: o.maxRequestBytes,
    maxTxnOps: o.maxTxnOps,
    progressNotifyMs: o.experimentalWatchProgressNotifyInterval,
    logger,
  });
  const listeners: Server[] = [];
  // Registered before the listeners start, so a signal while they do still closes the WAL.
  drain
    .add('client listeners', async () => void (await Promise.all(listeners.map(closeListener))))
    .add('etcd server', () => server.close());
  const metrics = createMetrics(server);
  for (const u of o.listenClientUrls) {
    const http = createClientServer(server, metrics);
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(portOf(u), hostOf(u), () => resolve());
    });
    listeners.push(http);
  }
  logger.info({ clientUrls: o.listenClientUrls.map((u) => u.origin), peerUrl: peer.origin, memberId: server.memberId.toString(16) }, 'serving');
}

main().catch((e: Error) => fail(e.stack ?? e.message));
