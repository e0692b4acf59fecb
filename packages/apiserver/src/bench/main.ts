// Benchmark: two kubets-apiserver processes on a three-member kubets-etcd cluster, all local.
//
//   cd /work/main && npx tsc -b && npm run bench --workspace packages/apiserver -- [options]
//   (or: node packages/apiserver/dist/src/bench/main.js [options])
//
//   --seconds <n>        length of each create phase (default 10)
//   --clients <n>        concurrent clients of the closed-loop create phase (default 50)
//   --rate <n>           creates/s of the paced create phase (default 500)
//   --warmup <n>         seconds the paced loop runs, unmeasured, before its measured --seconds (default 10)
//   --pods <n>           pods in the namespace for the LIST phase (default 10000)
//   --list-runs <n>      full LISTs timed (default 5)
//   --watchers <n>       concurrent watches (default 1000)
//   --watch-events <n>   writes seen by the watchers (default 200)
//   --watch-rate <n>     writes/s during the watch phase (default 20)
//   --mixed-seconds <n>  measured length of the mixed phase (default 20; 0 skips it)
//   --mixed-warmup <n>   seconds of the mixed load, unmeasured, before it is measured (default 5)
//   --list-limit <n>     page size of the mixed phase's LISTs (default 500)
//   --mixed-watchers <n> watches open through the mixed phase (default 100)
//   --apiservers <n>     API server processes (default 2)
//   --reference-etcd <p> etcd binary for the reference run (default /usr/bin/etcd, or $ETCD_BIN)
//   --no-reference       skip the reference run
//
// Phases: (1) POST pods to default from --clients workers spread over the API servers for
// --seconds (creates/s, p50/p99), then (after a 2 s pause) an open loop at --rate creates/s: --warmup
// seconds unmeasured (the API servers' JIT is still settling: their CPU per create halves over
// their first half minute of creates), then --seconds measured (p50/p99 from each create's
// scheduled time; target p99 < 50 ms at 500/s; with cpuPercent: what each process and the rest
// of the machine used of the CPUs meanwhile); (1b) the mixed phase (mixed.ts): creates at --rate/s,
// a LIST of --list-limit pods once a second and --mixed-watchers watches, at once; (2) top the
// namespace up to --pods pods and time full LISTs, alternating servers (a namespace holding more
// pods than --pods after phase 1 is listed as it is: see "items"); (3) open --watchers watches
// from the current resourceVersion, spread over the servers, create --watch-events pods paced at
// --watch-rate/s (alternating servers) stamped with their send time, and measure the delay from
// send to receipt at every watcher (target p99 < 100 ms); (4) the reference run: phases 1 and 1b again,
// with the same API servers' code on a three-member cluster of the real etcd binary (when it is
// installed), so the create figures can be read against what etcd itself gives on this machine.
// Prints ONE JSON line. Everything started is stopped by pid at the end, and on SIGINT/SIGTERM.
import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { nonNegativeNumberOption, positiveNumberOption } from '@kubets/component-base/flags';
import { type ApiServerProcess, type EtcdKind, startApiServerProcess, startEtcdCluster, stopAllApiServers, stopAllEtcdClusters } from '@kubets/testing';
import { ApiClient } from './client.js';
import { createAtRate, type CreateAtRateResult, createClosedLoop, type CreateResult } from './create.js';
import { type CpuShare, startCpuShare } from './cpu-share.js';
import { fillAndList } from './list.js';
import { mixedLoad, type MixedResult } from './mixed.js';
import { watchDelivery } from './watch.js';

const positive = positiveNumberOption;
const int = (v: string) => Math.round(positive(v));
const nonNegative = nonNegativeNumberOption;

const o = new Command('kubets-apiserver-bench')
  .description('Create, LIST and watch-delivery figures for kubets-apiserver processes on a local kubets-etcd cluster.')
  .option('--seconds <n>', 'duration of each create phase, in seconds', positive, 10)
  .option('--clients <n>', 'concurrent create clients', int, 50)
  .option('--rate <n>', 'paced creates per second', positive, 500)
  .option('--warmup <n>', 'seconds of unmeasured paced creates before the measured ones', nonNegative, 10)
  .option('--pods <n>', 'pods to LIST', int, 10_000)
  .option('--list-runs <n>', 'LISTs timed', int, 5)
  .option('--watchers <n>', 'concurrent watches', int, 1000)
  .option('--watch-events <n>', 'writes during the watch phase', int, 200)
  .option('--watch-rate <n>', 'writes per second during the watch phase', positive, 20)
  .option('--mixed-seconds <n>', 'measured seconds of the mixed phase (0: skip it)', nonNegative, 20)
  .option('--mixed-warmup <n>', 'unmeasured seconds of the mixed load first', nonNegative, 5)
  .option('--list-limit <n>', 'page size of the mixed phase LISTs', int, 500)
  .option('--mixed-watchers <n>', 'watches open through the mixed phase', int, 100)
  .option('--apiservers <n>', 'API server processes', int, 2)
  .option('--reference-etcd <path>', 'etcd binary for the reference run of phase 1', process.env.ETCD_BIN ?? '/usr/bin/etcd')
  .option('--no-reference', 'skip the reference run on real etcd')
  .parse()
  .opts<{
    seconds: number; clients: number; rate: number; warmup: number; pods: number; listRuns: number; watchers: number; watchEvents: number; watchRate: number; apiservers: number;
    mixedSeconds: number; mixedWarmup: number; listLimit: number; mixedWatchers: number;
    referenceEtcd: string; reference: boolean;
  }>();

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

let interrupted = false;
const stopEverything = () => Promise.all([stopAllApiServers(), stopAllEtcdClusters()]);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    void stopEverything().finally(() => process.exit(130));
  });
}

let api: ApiClient | undefined;
let exitCode = 0;

/** A three-member cluster of `kind` and the API servers on it, with a client spread over them. */
async function startStack(kind: EtcdKind, etcdBin?: string) {
  log(`starting 3-member ${kind === 'kubets' ? 'kubets-etcd' : `etcd (${etcdBin})`} cluster`);
  const etcd = await startEtcdCluster({ kind, ...(etcdBin !== undefined ? { etcdBin } : {}) });
  const servers: ApiServerProcess[] = [];
  for (let i = 0; i < o.apiservers; i++) servers.push(await startApiServerProcess(etcd.clientUrls, { keepLogLines: 0 }));
  log(`api servers: ${servers.map((s) => `${s.url} (pid ${s.pid})`).join(', ')}`);
  api = new ApiClient(servers.map((s) => s.url), Math.max(256, o.clients));
  const pids = { etcd: etcd.clientUrls.map((_, i) => etcd.pid(i)!), apiServers: servers.map((s) => s.pid) };
  return { etcd, api, pids };
}

/** Phase 1: the closed loop, a pause for its backlog to drain, then the paced open loop. */
async function createPhases(client: ApiClient, prefix: string, pids: { etcd: number[]; apiServers: number[] }): Promise<{ create: CreateResult; createAt: CreateAtRateResult }> {
  const durationMs = o.seconds * 1000;
  log(`phase 1: closed-loop creates, ${o.clients} clients, ${o.seconds}s`);
  const create = await createClosedLoop(client, o.clients, durationMs, `${prefix}-c`);
  log(JSON.stringify(create));
  await new Promise((r) => setTimeout(r, 2000));
  log(`phase 1: paced creates at ${o.rate}/s, ${o.warmup}s warm-up then ${o.seconds}s measured`);
  let cpuShare: (() => CpuShare | undefined) | undefined;
  const paced = await createAtRate(client, o.rate, durationMs, `${prefix}-r`, {
    warmupMs: o.warmup * 1000,
    onMeasureStart: () => (cpuShare = startCpuShare(pids.etcd, pids.apiServers)),
  });
  const cpuPercent = cpuShare?.();
  const createAt = cpuPercent ? { ...paced, cpuPercent } : paced;
  log(JSON.stringify(createAt));
  return { create, createAt };
}

/** Phase 1b: creates, paginated LISTs and watches at once. */
async function mixedPhase(client: ApiClient, prefix: string, pids: { etcd: number[]; apiServers: number[] }): Promise<MixedResult | undefined> {
  if (o.mixedSeconds === 0) return undefined;
  log(`phase 1b: mixed load: creates at ${o.rate}/s, a LIST of ${o.listLimit} a second, ${o.mixedWatchers} watchers; ${o.mixedWarmup}s warm-up then ${o.mixedSeconds}s measured`);
  const mixed = await mixedLoad(client, `${prefix}-m`, {
    rate: o.rate, durationMs: o.mixedSeconds * 1000, warmupMs: o.mixedWarmup * 1000, listLimit: o.listLimit, watchers: o.mixedWatchers,
    startCpuShare: () => startCpuShare(pids.etcd, pids.apiServers),
  });
  log(JSON.stringify(mixed));
  return mixed;
}

async function stopStack(): Promise<void> {
  await api?.close().catch(() => {});
  api = undefined;
  await stopEverything();
}

try {
  const { etcd, api: client, pids } = await startStack('kubets');
  const { create, createAt } = await createPhases(client, 'bench', pids);
  const mixed = await mixedPhase(client, 'bench', pids);

  log(`phase 2: fill to ${o.pods} pods, ${o.listRuns} LISTs`);
  const list = await fillAndList(client, o.pods, o.listRuns, 64);
  log(JSON.stringify(list));

  log(`phase 3: ${o.watchers} watchers, ${o.watchEvents} writes at ${o.watchRate}/s`);
  const watch = await watchDelivery(client, o.watchers, o.watchEvents, o.watchRate, 20_000);
  log(JSON.stringify(watch));
  const members = etcd.clientUrls.length;
  await stopStack();

  let reference: { etcd: string; version: string | undefined; create: CreateResult; createAtRate: CreateAtRateResult; mixed?: MixedResult } | undefined;
  if (o.reference && existsSync(o.referenceEtcd)) {
    const ref = await startStack('real', o.referenceEtcd);
    const version = await etcdVersion(ref.etcd.clientUrls[0]!);
    const phases = await createPhases(ref.api, 'ref', ref.pids);
    const refMixed = await mixedPhase(ref.api, 'ref', ref.pids);
    reference = { etcd: o.referenceEtcd, version, create: phases.create, createAtRate: phases.createAt, ...(refMixed ? { mixed: refMixed } : {}) };
    await stopStack();
  } else if (o.reference) {
    log(`no reference run: ${o.referenceEtcd} is not installed`);
  }

  console.log(JSON.stringify({
    benchmark: 'apiserver',
    apiServers: o.apiservers,
    etcd: 'kubets-etcd',
    etcdMembers: members,
    seconds: o.seconds,
    create,
    createAtRate: createAt,
    ...(mixed ? { mixed } : {}),
    list10k: list,
    watch,
    targets: {
      createP99Under50MsAtRate: createAt.p99Ms < 50 && createAt.errors === 0,
      watchP99Under100Ms: watch.p99Ms < 100 && watch.delivered === watch.expected,
      ...(mixed ? { mixedListP99AtMost25Ms: mixed.list.p99Ms <= 25 && mixed.list.errors === 0 } : {}),
      ...(mixed && reference?.mixed ? { mixedCreateP99NoWorseThanEtcd: mixed.create.p99Ms <= reference.mixed.create.p99Ms } : {}),
    },
    ...(reference ? { referenceEtcd: reference } : {}),
  }));
} catch (e) {
  log(`failed: ${(e as Error).stack ?? String(e)}`);
  exitCode = 1;
} finally {
  await stopStack();
}
process.exit(exitCode);

async function etcdVersion(url: string): Promise<string | undefined> {
  try {
    const body = (await (await fetch(`${url}/version`)).json()) as { etcdserver?: string };
    return body.etcdserver;
  } catch {
    return undefined;
  }
}
