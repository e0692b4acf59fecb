// Benchmark, as upstream's scheduler_perf SchedulingBasic but through the real processes: three
// kubets-etcd members, two API servers and one kubets-scheduler, each its own process on this
// machine. Registers N Node objects (no kubelets), creates M pods with cpu and memory requests
// as fast as the API servers take them, and measures until every pod is bound.
//
//   cd /work/main && npm run build && npm run bench --workspace packages/scheduler -- [options]
//
//   --nodes <n>        Node objects (default 5000)
//   --pods <n>         pods created and measured (default 10000)
//   --owners <n>       ReplicaSet-like owners the pods belong to, for the spread check (default 10)
//   --zones <n>        zones the nodes are spread over (default 3)
//   --concurrency <n>  creates in flight (default 64)
//   --cpu-profile      run the scheduler with --cpu-prof (the profile lands in the cwd)
//
// Prints ONE JSON line: pods bound per second from the first create to the last bind, the p50
// and p99 of create-to-bind latency (from a create's answer to the watch event that shows the
// pod bound), the CPU seconds and peak memory of the scheduler and the CPU seconds of every other
// process, the machine's busy cores, the placement checks, and the same pods placed by the
// scheduling algorithm alone in this process (algorithm.ts: the scheduler's own ceiling).
// Everything started is stopped by pid at the end.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { Pool } from 'undici';
import { clientFromKubeconfig } from '@kubets/client';
import { latencySummary, machineBusyCpuMicros, processesCpuMicros, runBenchmark, type TestCluster } from '@kubets/testing';
import type { Node, Pod } from '../framework/types.js';
import { algorithmPodsPerSecond } from './algorithm.js';
import { checkPlacement } from './placement.js';

const program = new Command('scheduler-bench')
  .option('--nodes <n>', 'Node objects', Number, 5000)
  .option('--pods <n>', 'pods created and measured', Number, 10_000)
  .option('--owners <n>', 'owners of the pods', Number, 10)
  .option('--zones <n>', 'zones', Number, 3)
  .option('--concurrency <n>', 'creates in flight', Number, 64)
  .option('--cpu-profile', 'profile the scheduler', false);
program.parse();
const o = program.opts<{ nodes: number; pods: number; owners: number; zones: number; concurrency: number; cpuProfile: boolean }>();

/** upstream's node-default.yaml: 4 cpu, 32Gi, 110 pods. */
const nodeBody = (i: number) => JSON.stringify({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: `node-${i}`, labels: { 'kubernetes.io/hostname': `node-${i}`, 'topology.kubernetes.io/zone': `zone-${i % o.zones}` } },
  status: {
    capacity: { cpu: '4', memory: '32Gi', pods: '110' },
    allocatable: { cpu: '4', memory: '32Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: 'True' }],
  },
});

/** upstream's pod-default.yaml: 100m cpu, 500Mi memory. */
const podBody = (i: number, owners: string[]) => JSON.stringify({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: `pod-${i}`,
    labels: { app: 'bench' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `rs-${i % owners.length}`, uid: owners[i % owners.length], controller: true }],
  },
  spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.9', resources: { requests: { cpu: '100m', memory: '500Mi' } } }] },
});

async function post(pools: Pool[], i: number, path: string, body: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const res = await pools[i % pools.length]!.request({ method: 'POST', path, body, headers: { 'content-type': 'application/json' } });
    const text = await res.body.text();
    if (res.statusCode === 201) return;
    if (res.statusCode !== 429 || attempt > 20) throw new Error(`POST ${path}: ${res.statusCode} ${text.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function inParallel(count: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await fn(next++);
  }));
}

function peakRssMiB(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/** The pod as it was created, before its binding. */
function unbound(p: Pod): Pod {
  const { nodeName: _bound, ...spec } = p.spec;
  return { ...p, spec };
}

async function main(c: TestCluster) {
  const pools = c.apiServerUrls.map((url) => new Pool(url, { connections: o.concurrency }));
  await inParallel(o.nodes, o.concurrency, (i) => post(pools, i, '/api/v1/nodes', nodeBody(i)));
  const schedulerPid = c.cluster.byName('scheduler-0')!.proc.pid!;
  const others = c.cluster.processes.filter((p) => p.role !== 'scheduler').map((p) => ({ name: p.proc.spec.name, pid: p.proc.pid! }));
  // Let the scheduler's informer take in every node before the pods come.
  const client = clientFromKubeconfig({ path: c.kubeconfig, component: 'bench' });
  const created = new Array<number>(o.pods);
  const bound = new Array<number>(o.pods);
  let boundCount = 0;
  const watch = await client.watch<Pod>('pods', 'default', { resourceVersion: (await client.list('pods', 'default', { limit: 1 })).metadata?.resourceVersion });
  let allBound!: () => void;
  const done = new Promise<void>((r) => (allBound = r));
  const watching = (async () => {
    for await (const ev of watch) {
      if (!ev.object.spec?.nodeName) continue;
      const i = Number(ev.object.metadata.name.slice(4));
      if (bound[i] !== undefined) continue;
      bound[i] = performance.now();
      if (++boundCount === o.pods) allBound();
    }
  })();
  const owners = Array.from({ length: o.owners }, () => randomUUID());
  const cpu0 = processesCpuMicros([schedulerPid]) ?? 0;
  const machine0 = machineBusyCpuMicros() ?? 0;
  const driver0 = process.cpuUsage();
  const othersCpu0 = others.map((p) => processesCpuMicros([p.pid]) ?? 0);
  const start = performance.now();
  await inParallel(o.pods, o.concurrency, async (i) => {
    await post(pools, i, '/api/v1/namespaces/default/pods', podBody(i, owners));
    created[i] = performance.now();
  });
  const createdAll = performance.now();
  await done;
  const end = performance.now();
  const machineBusy = ((machineBusyCpuMicros() ?? 0) - machine0) / 1e6;
  const driver = process.cpuUsage(driver0);
  watch.stop();
  await watching;
  const latencies = created.map((t, i) => Math.max(0, bound[i]! - t));
  const nodes = (await client.list<Node>('nodes', undefined)).items;
  const pods = (await client.list<Pod>('pods', 'default')).items;
  const cpuSeconds = (before: number, pid: number) => Math.round(((processesCpuMicros([pid]) ?? 0) - before) / 1e4) / 100;
  const result = {
    bench: 'scheduler',
    nodes: o.nodes,
    pods: o.pods,
    podsBoundPerSecond: Math.round((o.pods / (end - start)) * 1000),
    createsPerSecond: Math.round((o.pods / (createdAll - start)) * 1000),
    seconds: Math.round(end - start) / 1000,
    createToBindMs: latencySummary(latencies),
    scheduler: { cpuSeconds: cpuSeconds(cpu0, schedulerPid), peakRssMiB: peakRssMiB(schedulerPid) },
    othersCpuSeconds: Object.fromEntries(others.map((p, i) => [p.name, cpuSeconds(othersCpu0[i]!, p.pid)])),
    benchDriverCpuSeconds: Math.round((driver.user + driver.system) / 1e4) / 100,
    /** The machine's CPUs busy over the run: 2 means both cores of this machine were saturated. */
    machineCoresBusy: Math.round((machineBusy / ((end - start) / 1000)) * 100) / 100,
    placement: checkPlacement(nodes, pods),
    algorithmOnlyPodsPerSecond: algorithmPodsPerSecond(nodes, pods.map(unbound)),
  };
  await client.close();
  await Promise.all(pools.map((p) => p.close()));
  return result;
}

await runBenchmark({
  members: 3,
  apiservers: 2,
  schedulers: 1,
  ...(o.cpuProfile ? { schedulerNodeArgs: ['--cpu-prof'] } : {}),
  readyTimeoutMs: 60_000,
}, main);
