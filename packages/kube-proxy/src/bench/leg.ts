// One leg of the benchmark: the same four measurements against one way in to the endpoint
// servers (directly, through haproxy, through kube-proxy), each in a fresh client process, with
// the CPU seconds the proxy process (if any) spent in each, read from /proc. Throughput is in
// MB/s of 10^6 bytes; latency in ms from each exchange's scheduled time.
import { latencySummary, machineBusyCpuMicros, percentile, processesCpuMicros, round, sortedOf } from '@kubets/testing';
import { runMeasurement } from './traffic.js';
import type { Target } from './traffic-client.js';

export interface Sizes {
  /** Connections of the bulk exchange, each moving exchangeBytes each way. */
  connections: number;
  exchangeBytes: number;
  /** Times the bulk exchange runs; its figure is the median. */
  rounds: number;
  streamBytes: number;
  /** Exchanges a second of the request/response figures, over kept-alive connections. */
  rate: number;
  /** Exchanges a second with a new connection each. */
  connectRate: number;
  seconds: number;
  warmupSeconds: number;
  keepAliveConnections: number;
  messageBytes: number;
}

export interface LatencyFigures {
  ratePerSec: number;
  seconds: number;
  exchanges: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface LegFigures {
  throughput: {
    connections: { count: number; bytesEachWay: number; mbPerSec: number; roundsMbPerSec: number[]; errors: number };
    stream: { bytes: number; mbPerSec: number; complete: boolean };
  };
  latency: { keepAlive: LatencyFigures & { connections: number }; newConnection: LatencyFigures };
  /**
   * CPUs the whole machine kept busy on average through the leg (traffic, proxy and anything else
   * running): near the core count, the figures are bounded by the CPUs, not by the proxy alone.
   */
  machineBusyCpus?: number;
  /** CPU seconds of the proxy process in each measurement (absent for the direct leg, or without /proc). */
  proxyCpuSeconds?: { connections: number; stream: number; keepAlive: number; newConnection: number };
}

export const megabytesPerSec = (bytes: number, seconds: number) => round(bytes / seconds / 1e6, 1);

/** Runs `f`, and adds the CPU seconds `pid` spent meanwhile to `cpu[key]`. */
async function withCpu<T>(pid: number | undefined, cpu: Record<string, number | undefined>, key: string, f: () => Promise<T>): Promise<T> {
  const before = pid === undefined ? undefined : processesCpuMicros([pid]);
  const result = await f();
  const after = pid === undefined ? undefined : processesCpuMicros([pid]);
  if (before !== undefined && after !== undefined) cpu[key] = round((cpu[key] ?? 0) + (after - before) / 1e6, 3);
  return result;
}

async function latency(targets: Target[], sizes: Sizes, rate: number, connections: number): Promise<LatencyFigures> {
  const r = await runMeasurement({ kind: 'requests', targets, rate, seconds: sizes.seconds, warmupSeconds: sizes.warmupSeconds, connections, messageBytes: sizes.messageBytes });
  return { ratePerSec: rate, seconds: sizes.seconds, exchanges: r.latenciesMs.length, errors: r.errors, ...latencySummary(r.latenciesMs) };
}

/** Every measurement against `targets` (the connections spread over them in turn). */
export async function measureLeg(targets: Target[], sizes: Sizes, proxyPid?: number): Promise<LegFigures> {
  const cpu: Record<string, number | undefined> = {};
  const busyBefore = machineBusyCpuMicros();
  const t0 = performance.now();
  const rounds: number[] = [];
  let exchangeErrors = 0;
  for (let i = 0; i < sizes.rounds; i++) {
    const r = await withCpu(proxyPid, cpu, 'connections', () => runMeasurement({ kind: 'exchange', targets, connections: sizes.connections, bytes: sizes.exchangeBytes }));
    rounds.push(megabytesPerSec(r.bytesSent + r.bytesReceived, r.seconds));
    exchangeErrors += r.errors;
  }
  const s = await withCpu(proxyPid, cpu, 'stream', () => runMeasurement({ kind: 'stream', target: targets[0]!, bytes: sizes.streamBytes }));
  const keepAlive = await withCpu(proxyPid, cpu, 'keepAlive', () => latency(targets, sizes, sizes.rate, sizes.keepAliveConnections));
  const newConnection = await withCpu(proxyPid, cpu, 'newConnection', () => latency(targets, sizes, sizes.connectRate, 0));
  const busyAfter = machineBusyCpuMicros();
  const wallMicros = (performance.now() - t0) * 1000;
  return {
    throughput: {
      connections: { count: sizes.connections, bytesEachWay: sizes.exchangeBytes, mbPerSec: percentile(sortedOf(rounds), 0.5), roundsMbPerSec: rounds, errors: exchangeErrors },
      stream: { bytes: s.bytes, mbPerSec: megabytesPerSec(s.bytes, s.seconds), complete: s.acknowledged === s.bytes },
    },
    latency: { keepAlive: { ...keepAlive, connections: sizes.keepAliveConnections }, newConnection },
    ...(busyBefore !== undefined && busyAfter !== undefined ? { machineBusyCpus: round((busyAfter - busyBefore) / wallMicros) } : {}),
    ...(Object.keys(cpu).length === 4 ? { proxyCpuSeconds: cpu as NonNullable<LegFigures['proxyCpuSeconds']> } : {}),
  };
}
