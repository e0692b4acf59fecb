// The mixed phase: what a busy cluster asks of its API servers at once. An open loop of pod
// creates at `rate`/s round-robin over the servers (each latency from its scheduled send time),
// a paginated LIST of `listLimit` pods once a second, alternating servers (`?limit=500`, as
// client-go's reflectors and kubectl send it: a consistent read), and `watchers` watches of the
// namespace's pods that read every event. A warm-up at the same load comes first, unmeasured.
import type { Socket } from 'node:net';
import { latencySummary } from '@kubets/testing';
import { type ApiClient, podsPath } from './client.js';
import { createAtRate, type CreateAtRateResult } from './create.js';
import type { CpuShare } from './cpu-share.js';
import { openWatch } from './watch.js';

export interface MixedOptions {
  rate: number;
  durationMs: number;
  warmupMs: number;
  listLimit: number;
  watchers: number;
  /** Starts the CPU counters as the measured window opens. */
  startCpuShare?(): () => CpuShare | undefined;
}

export interface ListLatency { limit: number; runs: number; items: number; errors: number; p50Ms: number; p99Ms: number; maxMs: number }

export interface MixedResult {
  watchers: number;
  create: CreateAtRateResult;
  list: ListLatency;
  cpuPercent?: CpuShare;
}

/** One LIST, timed to its last byte (the driver parses it afterwards, outside the timing). */
async function timedList(api: ApiClient, limit: number, server: number): Promise<{ ms: number; items: number } | undefined> {
  const t0 = performance.now();
  const r = await api.pick(server).request({ path: `${podsPath}?limit=${limit}`, method: 'GET', headers: { accept: 'application/json' } });
  const body = Buffer.from(await r.body.arrayBuffer());
  const ms = performance.now() - t0;
  if (r.statusCode !== 200) return undefined;
  return { ms, items: (JSON.parse(body.toString('utf8')).items as unknown[]).length };
}

/** A LIST every second until `stop` resolves; latencies of those that answered 200. */
async function listEverySecond(api: ApiClient, limit: number, stop: Promise<unknown>): Promise<ListLatency> {
  let done = false;
  void stop.then(() => (done = true));
  const lat: number[] = [];
  let errors = 0;
  let items = 0;
  for (let i = 0; !done; i++) {
    const due = performance.now() + 1000;
    const r = await timedList(api, limit, i).catch(() => undefined);
    if (r === undefined) errors++;
    else {
      lat.push(r.ms);
      items = r.items;
    }
    while (!done && performance.now() < due) await Promise.race([stop, new Promise((res) => setTimeout(res, due - performance.now()))]);
  }
  return { limit, runs: lat.length, items, errors, ...latencySummary(lat) };
}

export async function mixedLoad(api: ApiClient, prefix: string, o: MixedOptions): Promise<MixedResult> {
  const sockets: Socket[] = await Promise.all(Array.from({ length: o.watchers }, (_, w) => openWatch(api.urls[w % api.urls.length]!, `${podsPath}?watch=true&timeoutSeconds=900`, () => {})));
  try {
    let measureStarted!: () => void;
    const measuring = new Promise<void>((resolve) => (measureStarted = resolve));
    let cpuShare: (() => CpuShare | undefined) | undefined;
    const creates = createAtRate(api, o.rate, o.durationMs, prefix, {
      warmupMs: o.warmupMs,
      onMeasureStart: () => {
        cpuShare = o.startCpuShare?.();
        measureStarted();
      },
    });
    await measuring;
    const [create, list] = await Promise.all([creates, listEverySecond(api, o.listLimit, creates)]);
    const cpuPercent = cpuShare?.();
    return { watchers: o.watchers, create, list, ...(cpuPercent ? { cpuPercent } : {}) };
  } finally {
    for (const s of sockets) s.destroy();
  }
}
