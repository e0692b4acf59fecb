// Benchmark of the controller manager through the real processes: three kubets-etcd members,
// two API servers, the scheduler and one kubets-controller-manager, each its own process on this
// machine, with kubelets in name only (fake-kubelets.ts: node Leases renewed, pods marked Ready as
// soon as they are bound). Three figures:
//   1. pods created per second by the ReplicaSet controller for a 1,000-replica ReplicaSet
//      (from the ReplicaSet's create to the watch event of its last pod), beside the same pods
//      created straight through the API by this process (apiCreatesPerSecond: the ceiling);
//   2. the time a 100-replica Deployment (maxSurge 25%, maxUnavailable 25%) takes from a template
//      change to all replicas updated and available;
//   3. with the kubets profile's short node-health settings, the time from a node's last lease
//      renewal to all of a Deployment's pods running Ready on other nodes.
//
//   cd /work/main && npm run build && npm run bench --workspace packages/controller-manager -- [options]
//
//   --replicas <n>     pods of the ReplicaSet of figure 1 (default 1000)
//   --deployment <n>   replicas of the Deployment of figures 2 and 3 (default 100)
//   --nodes <n>        nodes (default 10)
//   --cpu-profile      run the controller manager with --cpu-prof (the profile lands in the cwd)
//
// Prints ONE JSON line. Everything started is stopped by pid at the end.
import { Command } from 'commander';
import { clientFromKubeconfig, type KubeClient } from '@kubets/client';
import { eventually, kubetsProfile, machineBusyCpuMicros, processesCpuMicros, runBenchmark, type TestCluster } from '@kubets/testing';
import { FakeKubelets } from './fake-kubelets.js';

const program = new Command('controller-manager-bench')
  .option('--replicas <n>', 'replicas of the ReplicaSet', Number, 1000)
  .option('--deployment <n>', 'replicas of the Deployment', Number, 100)
  .option('--nodes <n>', 'nodes', Number, 10)
  .option('--cpu-profile', 'profile the controller manager', false);
program.parse();
const o = program.opts<{ replicas: number; deployment: number; nodes: number; cpuProfile: boolean }>();

interface PodView {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { nodeName?: string };
  status?: { conditions?: { type: string; status: string }[] };
}

/** Pods of `app`; with a schedulerName no scheduler answers to, they stay unbound and cost nothing more. */
const template = (app: string, schedulerName?: string) => ({
  metadata: { labels: { app } },
  spec: {
    ...(schedulerName !== undefined ? { schedulerName } : {}),
    containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'], resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
  },
});

const isReady = (p: PodView) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
const seconds = (ms: number) => Math.round(ms) / 1000;

async function podsOf(client: KubeClient, app: string): Promise<PodView[]> {
  return (await client.list<PodView>('pods', 'default', { labelSelector: `app=${app}` })).items;
}

/**
 * Figure 1: from the ReplicaSet's create to the ADDED event of its last pod. The pods are left
 * unscheduled, so that the figure is the controller's and the API's, not the scheduler's.
 */
async function replicaSetCreates(client: KubeClient, apiCpu: () => number): Promise<{ podsCreatedPerSecond: number; seconds: number; apiAndEtcdCpuSeconds: number }> {
  const rv = (await client.list('pods', 'default', { limit: 1 })).metadata?.resourceVersion;
  const watch = await client.watch<PodView>('pods', 'default', { labelSelector: 'app=rs-bench', ...(rv !== undefined ? { resourceVersion: rv } : {}) });
  const seen = new Set<string>();
  let lastAdded = 0;
  const cpu0 = apiCpu();
  const start = performance.now();
  await client.create('replicasets', 'default', {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs-bench' },
    spec: { replicas: o.replicas, selector: { matchLabels: { app: 'rs-bench' } }, template: template('rs-bench', 'no-such-scheduler') },
  });
  for await (const ev of watch) {
    if (ev.type !== 'ADDED') continue;
    seen.add(ev.object.metadata.name);
    lastAdded = performance.now();
    if (seen.size >= o.replicas) break;
  }
  watch.stop();
  const apiAndEtcdCpuSeconds = Math.round((apiCpu() - cpu0) / 1e4) / 100;
  // Out of the way of the next figures: scaled to none, every pod gone, then deleted.
  await client.scale('replicasets', 'default', 'rs-bench', 0);
  await eventually(async () => (await podsOf(client, 'rs-bench')).length === 0, 'rs-bench pods gone', 120_000, 100);
  await client.delete('replicasets', 'default', 'rs-bench');
  return { podsCreatedPerSecond: Math.round((o.replicas / (lastAdded - start)) * 1000), seconds: seconds(lastAdded - start), apiAndEtcdCpuSeconds };
}

interface DeploymentStatus {
  metadata: { generation?: number };
  status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number; unavailableReplicas?: number };
}

function rolledOut(d: DeploymentStatus): boolean {
  const s = d.status ?? {};
  return s.observedGeneration === d.metadata.generation && s.updatedReplicas === o.deployment && s.replicas === o.deployment &&
    s.availableReplicas === o.deployment && (s.unavailableReplicas ?? 0) === 0;
}

/**
 * The reference for figure 1: the same pods created by this process straight through the API,
 * 256 at a time (what the controller's largest slow-start batch has in flight), then deleted.
 */
async function directCreates(client: KubeClient): Promise<number> {
  const pod = (i: number) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `direct-${i}`, labels: { app: 'direct' } }, spec: template('direct', 'no-such-scheduler').spec });
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: 256 }, async () => {
    for (let i = next++; i < o.replicas; i = next++) await client.create('pods', 'default', pod(i));
  }));
  const elapsed = performance.now() - start;
  await client.deleteCollection('pods', 'default', { labelSelector: 'app=direct' });
  return Math.round((o.replicas / elapsed) * 1000);
}

/** Figure 2: from the template change to every replica updated and available. */
async function rollout(client: KubeClient): Promise<number> {
  await client.create('deployments', 'default', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
    spec: {
      replicas: o.deployment, selector: { matchLabels: { app: 'web' } }, template: template('web'),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    },
  });
  const get = () => client.get<DeploymentStatus>('deployments', 'default', 'web');
  await eventually(async () => rolledOut(await get()), 'web available', 120_000, 50);
  const start = performance.now();
  await client.patch('deployments', 'default', 'web', { spec: { template: { metadata: { annotations: { 'bench/rev': '2' } } } } });
  await eventually(async () => rolledOut(await get()), 'web rolled out', 120_000, 20);
  return seconds(performance.now() - start);
}

/** Figure 3: from the dead node's last lease renewal to every replica Ready elsewhere. */
async function nodeFailover(client: KubeClient, kubelets: FakeKubelets): Promise<{ seconds: number; node: string; podsMoved: number }> {
  const pods = await podsOf(client, 'web');
  const perNode = new Map<string, number>();
  for (const p of pods) perNode.set(p.spec.nodeName!, (perNode.get(p.spec.nodeName!) ?? 0) + 1);
  const [node, moved] = [...perNode.entries()].sort((a, b) => b[1] - a[1])[0]!;
  kubelets.kill(node);
  const lastRenewal = kubelets.lastRenewal.get(node)!;
  const healed = async () => {
    const now = await podsOf(client, 'web');
    return now.filter((p) => p.spec.nodeName !== node && p.metadata.deletionTimestamp === undefined && isReady(p)).length === o.deployment;
  };
  await eventually(healed, 'pods Ready elsewhere', 600_000, 50);
  return { seconds: seconds(Date.now() - lastRenewal), node, podsMoved: moved };
}

async function main(c: TestCluster) {
  const client = clientFromKubeconfig({ path: c.kubeconfig, component: 'bench' });
  const kubelets = new FakeKubelets(client, { renewMs: 1000 });
  const nodes = Array.from({ length: o.nodes }, (_, i) => `node-${i}`);
  await kubelets.start(nodes);
  const kcmPid = c.cluster.byName('controller-manager-0')!.proc.pid!;
  const cpu0 = processesCpuMicros([kcmPid]) ?? 0;
  const machine0 = machineBusyCpuMicros() ?? 0;
  const start = performance.now();
  const apiPids = c.cluster.processes.filter((p) => p.role === 'apiserver' || p.role === 'etcd').map((p) => p.proc.pid!);
  const replicaSet = await replicaSetCreates(client, () => processesCpuMicros(apiPids) ?? 0);
  const apiCreatesPerSecond = await directCreates(client);
  const rolloutSeconds = await rollout(client);
  const failover = await nodeFailover(client, kubelets);
  const elapsed = (performance.now() - start) / 1000;
  const result = {
    bench: 'controller-manager',
    replicaSet: { replicas: o.replicas, ...replicaSet, apiCreatesPerSecond },
    deployment: { replicas: o.deployment, rolloutSeconds },
    nodeFailure: { ...failover, profile: kubetsProfile.controllerManager.filter((f) => f.startsWith('--node-monitor')) },
    controllerManagerCpuSeconds: Math.round(((processesCpuMicros([kcmPid]) ?? 0) - cpu0) / 1e4) / 100,
    machineCoresBusy: Math.round(((((machineBusyCpuMicros() ?? 0) - machine0) / 1e6) / elapsed) * 100) / 100,
  };
  await kubelets.stop();
  await client.close();
  return result;
}

await runBenchmark({
  members: 3,
  apiservers: 2,
  schedulers: 1,
  controllerManagers: 1,
  apiserverFlags: kubetsProfile.apiserver,
  controllerManagerFlags: kubetsProfile.controllerManager,
  ...(o.cpuProfile ? { controllerManagerNodeArgs: ['--cpu-prof'] } : {}),
  readyTimeoutMs: 60_000,
}, main);
