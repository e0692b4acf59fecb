// The kube-proxy benchmark (issue 19): on loopback, the same traffic three ways: directly to the
// endpoint servers, through haproxy (TCP mode, round robin, the same endpoints) and through a
// real kubets-kube-proxy on a test cluster; prints ONE JSON line with all three and the ratios.
//
//   npx tsc -b packages/kube-proxy && npm run bench --workspace packages/kube-proxy -- [options]
//
//   --quick                    small sizes and short runs (every figure, in seconds rather than minutes)
//   --endpoints <n>            endpoint server processes (default 2)
//   --connections <n>          connections of the bulk exchange (default 64)
//   --exchange-bytes <n>       bytes each connection moves each way (default 1 MiB)
//   --rounds <n>               bulk exchanges run; the figure is their median (default 3)
//   --stream-bytes <n>         bytes of the single stream (default 1 GiB)
//   --rate <n>                 request/response exchanges a second, kept-alive connections (default 2000)
//   --connect-rate <n>         exchanges a second with a new connection each (default 500)
//   --seconds <n>              measured seconds of each latency run (default 10)
//   --warmup <n>               unmeasured seconds before each latency run (default 2)
//   --keepalive-connections <n> kept-alive connections the exchanges are spread over (default 8)
//   --message-bytes <n>        request and reply size (default 64)
//   --haproxy-threads <n>      haproxy's nbthread (default 0: haproxy's own default, a thread per CPU)
//   --members <n>              etcd members of the kube-proxy leg's test cluster (default 1)
//   --no-haproxy, --no-kube-proxy  skip a leg
//
// Measurements (leg.ts): the bulk exchange (--connections connections at once, each sending and
// receiving --exchange-bytes: MB/s of both directions together), the stream (one connection,
// --stream-bytes client to server: MB/s), and the p50/p99 latency of --message-bytes exchanges at a
// fixed rate, open loop, from each exchange's scheduled time, over kept-alive connections and with
// a new connection each. Each runs in a fresh client process, and the endpoint servers are
// processes of their own, so the driver's event loop competes with nothing measured. The machine
// may have few cores, so each proxy leg also reports the proxy process's CPU seconds.
// Everything started is stopped by pid at the end, and on SIGINT/SIGTERM.
import { cpus, loadavg } from 'node:os';
import { Command } from 'commander';
import { countOption, nonNegativeNumberOption, positiveNumberOption } from '@kubets/component-base';
import { round } from '@kubets/testing';
import { findHaproxy, type RunningHaproxy, startHaproxy } from './haproxy.js';
import { startKubeProxy } from './kube-proxy-leg.js';
import { type LegFigures, measureLeg, type Sizes } from './leg.js';
import { startEndpointServers } from './traffic.js';

const MiB = 1024 * 1024;

/** --quick's sizes, used for every option not given on the command line. */
const quick: Partial<Record<keyof Sizes | 'endpoints', number>> = {
  connections: 16, exchangeBytes: 256 * 1024, rounds: 1, streamBytes: 64 * MiB, rate: 500, connectRate: 200, seconds: 2, warmupSeconds: 0.5, keepAliveConnections: 4,
};

const program = new Command('kube-proxy-bench')
  .description('Throughput and latency directly, through haproxy and through kubets-kube-proxy, on loopback.')
  .option('--quick', 'small sizes and short runs', false)
  .option('--endpoints <n>', 'endpoint server processes', countOption, 2)
  .option('--connections <n>', 'connections of the bulk exchange', countOption, 64)
  .option('--exchange-bytes <n>', 'bytes each connection moves each way', countOption, MiB)
  .option('--rounds <n>', 'bulk exchanges run (the figure is their median)', countOption, 3)
  .option('--stream-bytes <n>', 'bytes of the single stream', countOption, 1024 * MiB)
  .option('--rate <n>', 'exchanges a second over kept-alive connections', positiveNumberOption, 2000)
  .option('--connect-rate <n>', 'exchanges a second with a new connection each', positiveNumberOption, 500)
  .option('--seconds <n>', 'measured seconds of each latency run', positiveNumberOption, 10)
  .option('--warmup <n>', 'unmeasured seconds before each latency run', nonNegativeNumberOption, 2)
  .option('--keepalive-connections <n>', 'kept-alive connections', countOption, 8)
  .option('--message-bytes <n>', 'request and reply size', countOption, 64)
  .option('--haproxy-threads <n>', "haproxy's nbthread (0: haproxy's default)", (v) => Math.round(nonNegativeNumberOption(v)), 0)
  .option('--members <n>', "etcd members of the kube-proxy leg's test cluster", countOption, 1)
  .option('--no-haproxy', 'skip the haproxy leg')
  .option('--no-kube-proxy', 'skip the kube-proxy leg')
  .parse();
const o = program.opts<{
  quick: boolean; endpoints: number; connections: number; exchangeBytes: number; rounds: number; streamBytes: number; rate: number; connectRate: number;
  seconds: number; warmup: number; keepaliveConnections: number; messageBytes: number; haproxyThreads: number; members: number; haproxy: boolean; kubeProxy: boolean;
}>();

/** An option's value, or --quick's when it was left at its default. */
function sized(option: string, key: keyof Sizes, value: number): number {
  return o.quick && program.getOptionValueSource(option) === 'default' ? (quick[key] ?? value) : value;
}

const sizes: Sizes = {
  connections: sized('connections', 'connections', o.connections),
  exchangeBytes: sized('exchangeBytes', 'exchangeBytes', o.exchangeBytes),
  rounds: sized('rounds', 'rounds', o.rounds),
  streamBytes: sized('streamBytes', 'streamBytes', o.streamBytes),
  rate: sized('rate', 'rate', o.rate),
  connectRate: sized('connectRate', 'connectRate', o.connectRate),
  seconds: sized('seconds', 'seconds', o.seconds),
  warmupSeconds: sized('warmup', 'warmupSeconds', o.warmup),
  keepAliveConnections: sized('keepaliveConnections', 'keepAliveConnections', o.keepaliveConnections),
  messageBytes: o.messageBytes,
};

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

/** What a run must stop, newest first, also when interrupted. */
const stops: (() => Promise<void>)[] = [];
async function stopAll(): Promise<void> {
  for (const stop of stops.splice(0).reverse()) {
    try {
      await stop();
    } catch (e) {
      log(`stopping: ${(e as Error).message}`);
    }
  }
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stopAll().finally(() => process.exit(130)));

type Skipped = { skipped: string };

async function haproxyLeg(endpoints: Awaited<ReturnType<typeof startEndpointServers>>): Promise<(LegFigures & { version: string; threads: number | 'default' }) | Skipped> {
  if (!o.haproxy) return { skipped: '--no-haproxy' };
  const bin = findHaproxy();
  if (bin === undefined) return { skipped: 'haproxy is not installed (apt-get install haproxy, or set HAPROXY_BIN)' };
  let h: RunningHaproxy;
  try {
    h = await startHaproxy(bin, endpoints.targets, { threads: o.haproxyThreads });
  } catch (e) {
    // The reference leg, not the subject: a run without it still says something.
    log(`haproxy did not start: ${(e as Error).message}`);
    return { skipped: `haproxy did not start: ${(e as Error).message.split('\n', 1)[0]}` };
  }
  stops.push(h.stop);
  log(`haproxy ${h.version} (pid ${h.pid}) on ${h.target.host}:${h.target.port}`);
  const figures = await measureLeg([h.target], sizes, h.pid);
  await h.stop();
  stops.pop();
  return { version: h.version, threads: h.threads, ...figures };
}

async function kubeProxyLeg(endpoints: Awaited<ReturnType<typeof startEndpointServers>>): Promise<LegFigures | Skipped> {
  if (!o.kubeProxy) return { skipped: '--no-kube-proxy' };
  const k = await startKubeProxy(endpoints.targets, { members: o.members });
  stops.push(k.stop);
  log(`kube-proxy (pid ${k.pid}) on ${k.target.host}:${k.target.port}`);
  const figures = await measureLeg([k.target], sizes, k.pid);
  await k.stop();
  stops.pop();
  return figures;
}

/** What the targets compare: throughput as a share of another leg's, p99 as ms added to direct's. */
function ratios(direct: LegFigures, haproxy: LegFigures | undefined, kubeProxy: LegFigures | undefined) {
  const throughputRatio = (a: LegFigures | undefined, b: LegFigures | undefined) => a === undefined || b === undefined ? null : {
    connections: round(a.throughput.connections.mbPerSec / b.throughput.connections.mbPerSec, 3),
    stream: round(a.throughput.stream.mbPerSec / b.throughput.stream.mbPerSec, 3),
  };
  const addedP99 = (leg: LegFigures | undefined) => leg === undefined ? null : {
    keepAlive: round(leg.latency.keepAlive.p99Ms - direct.latency.keepAlive.p99Ms),
    newConnection: round(leg.latency.newConnection.p99Ms - direct.latency.newConnection.p99Ms),
  };
  return {
    kubeProxyVsDirectThroughput: throughputRatio(kubeProxy, direct),
    kubeProxyVsHaproxyThroughput: throughputRatio(kubeProxy, haproxy),
    haproxyVsDirectThroughput: throughputRatio(haproxy, direct),
    addedP99Ms: { haproxy: addedP99(haproxy), kubeProxy: addedP99(kubeProxy) },
  };
}

const isLeg = (x: object): x is LegFigures => 'throughput' in x;

let exitCode = 0;
try {
  const endpoints = await startEndpointServers(o.endpoints);
  stops.push(endpoints.stop);
  log(`endpoint servers: ${endpoints.targets.map((t) => t.port).join(', ')}; sizes ${JSON.stringify(sizes)}`);
  log('leg: direct');
  const direct = await measureLeg(endpoints.targets, sizes);
  log('leg: haproxy');
  const haproxy = await haproxyLeg(endpoints);
  log('leg: kube-proxy');
  const kubeProxy = await kubeProxyLeg(endpoints);
  console.log(JSON.stringify({
    benchmark: 'kube-proxy',
    sizes,
    endpoints: o.endpoints,
    direct,
    haproxy: isLeg(haproxy) ? haproxy : null,
    ...(isLeg(haproxy) ? {} : { haproxySkipped: haproxy.skipped }),
    kubeProxy: isLeg(kubeProxy) ? kubeProxy : null,
    ...(isLeg(kubeProxy) ? {} : { kubeProxySkipped: kubeProxy.skipped }),
    ratios: ratios(direct, isLeg(haproxy) ? haproxy : undefined, isLeg(kubeProxy) ? kubeProxy : undefined),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverage1m: round(loadavg()[0] ?? 0) },
  }));
} catch (e) {
  log(`failed: ${(e as Error).stack ?? String(e)}`);
  exitCode = 1;
} finally {
  await stopAll();
}
process.exit(exitCode);
