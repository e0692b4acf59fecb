// The kubelet benchmark, one JSON line: pod startup latency (create to Running and Ready, as a
// watch sees it) for 100 pods on 2 kubelets with the scheduler placing them, p50 and p99, with the
// pods created at a steady 10 a second (as upstream's density test measures its SLO) and then 100
// more all at once (the burst figure: how fast the cluster drains them); each kubelet's resident
// memory with the first 100 running; then the hollow-mode figure (src/hollow/bench.ts, run as its
// own process so that its load does not mix with this one's).
//
//   npm run bench --workspace packages/kubelet [-- --pods 100 --pods-per-second 10 --hollow-nodes 1000]
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Node, Pod } from '@kubets/api';
import { eventually, kubeletNode, latencySummary, startTestCluster, type TestCluster } from '@kubets/testing';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const podCount = flag('pods', 100);
const hollowNodes = flag('hollow-nodes', 1000);
const concurrency = 10;
const podsPerSecond = flag('pods-per-second', 10);

const rssMB = (pid: number) => Math.round(Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)![1]) / 1024);
const ready = (p: Pod) => p.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/** The figure is pod startup on a ready cluster: both Nodes Ready first. */
async function nodesReady(cluster: TestCluster): Promise<void> {
  const isReady = (n: Node) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
  await eventually(async () => (await cluster.client.list<Node>('nodes', undefined)).items.filter(isReady).length === 2, 'both nodes Ready', 60_000, 100);
}

/**
 * Creates the pods in a namespace of their own and times each from its create to Running and
 * Ready as a watch sees it. paceMs > 0 creates one pod every paceMs (a steady rate, as upstream's
 * density test measures its SLO); 0 creates them all at once, 10 requests at a time (a burst,
 * which measures how fast the whole cluster drains a queue).
 */
async function timeStartup(cluster: TestCluster, namespace: string, paceMs: number): Promise<{ p50Ms: number; p99Ms: number; maxMs: number; allReadyInMs: number }> {
  const client = cluster.client;
  await client.create('namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  const createdAt = new Map<string, number>();
  const latencies: number[] = [];
  const watch = await client.watch<Pod>('pods', namespace, {});
  const allReady = (async () => {
    for await (const e of watch) {
      const name = e.object.metadata?.name ?? '';
      if (!createdAt.has(name) || !ready(e.object)) continue;
      latencies.push(Date.now() - createdAt.get(name)!);
      createdAt.delete(name);
      if (latencies.length === podCount) return;
    }
  })();
  const started = Date.now();
  const create = async (name: string) => {
    const pod: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'] }] } };
    createdAt.set(name, Date.now());
    await client.create('pods', namespace, pod);
  };
  const names = Array.from({ length: podCount }, (_, i) => `pod-${i}`);
  if (paceMs > 0) {
    for (const name of names) {
      await create(name);
      await new Promise((r) => setTimeout(r, paceMs));
    }
  } else {
    for (let i = 0; i < names.length; i += concurrency) await Promise.all(names.slice(i, i + concurrency).map(create));
  }
  await allReady;
  const allReadyInMs = Date.now() - started;
  watch.stop();
  return { ...latencySummary(latencies), allReadyInMs };
}

async function measureStartup(cluster: TestCluster): Promise<object> {
  await nodesReady(cluster);
  const paced = await timeStartup(cluster, 'bench-paced', 1000 / podsPerSecond);
  const rss = [1, 2].map((i) => rssMB(kubeletNode(cluster, i).process.pid!));
  const burst = await timeStartup(cluster, 'bench-burst', 0);
  return {
    pods: podCount,
    kubelets: 2,
    startupP50Ms: paced.p50Ms,
    startupP99Ms: paced.p99Ms,
    startupMaxMs: paced.maxMs,
    pacedPodsPerSecond: podsPerSecond,
    kubeletRssMB: rss,
    burst: { startupP50Ms: burst.p50Ms, startupP99Ms: burst.p99Ms, allReadyInMs: burst.allReadyInMs, podsPerSecond: Math.round((podCount * 1000) / burst.allReadyInMs) },
  };
}

const cluster = await startTestCluster({ kubelets: 2, schedulers: 1, kubeletFlags: ['--node-lease-renew-interval=1s', '--node-status-update-frequency=1s'] });
let startup: object;
try {
  startup = await measureStartup(cluster);
} finally {
  await cluster.stop();
}
// The hollow figure in a process of its own, after this cluster is gone.
async function measureHollow(): Promise<Record<string, unknown>> {
  const hollowScript = fileURLToPath(new URL('../hollow/bench.js', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [hollowScript, '--nodes', String(hollowNodes)], { maxBuffer: 1 << 24 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}
console.log(JSON.stringify({ ...startup, ...(hollowNodes > 0 ? { hollow: await measureHollow() } : {}) }));
