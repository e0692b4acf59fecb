// startTestCluster: a whole local cluster for a test or a benchmark, started the way `kubets up`
// starts one (the same LocalCluster), on free loopback ports in a temporary data dir, with logs
// kept in memory. It hands back the kubeconfig, a client and a stop() that stops exactly the
// processes it started, resets the kubelets' root dirs (their pods outlive them by design, so
// this is what stops the pods) and removes the data dir. Each component joins as an option as
// it lands; with kube-proxies the API server gets Service ranges of the cluster's own.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  apiServerName, apiServerUrl, clusterPaths, controllerManagerName, schedulerName, type ClusterPlan, etcdClientUrl, etcdMemberName, freePorts,
  kubeletName, kubeProxyName, LocalCluster, type ManagedProcess, nodeAddress, nodeName, plannedKubelets, plannedKubeProxies, writeClusterKubeconfig,
} from '@kubets/cli';
import { clientFromKubeconfig, type KubeClient } from '@kubets/client';
import { testPodCidrs } from './pod-cidrs.js';
import { testNodePortRange, testServiceClusterIpRange } from './service-cidrs.js';
import { retryOnTakenPort } from './retry.js';

export interface TestClusterOptions {
  /** kubets-etcd members, real etcd members (ETCD_BIN, /usr/bin/etcd), or none but these URLs. Default kubets. */
  etcd?: 'kubets' | 'real' | { external: string[] };
  /** etcd members. Default 3. */
  members?: number;
  /** API servers. Default 1. */
  apiservers?: number;
  etcdFlags?: string[];
  apiserverFlags?: string[];
  /** kubets-schedulers (leader elected). Default 0. */
  schedulers?: number;
  schedulerFlags?: string[];
  /** Node flags of the schedulers, such as --cpu-prof. */
  schedulerNodeArgs?: string[];
  /** kubets-controller-managers (leader elected). Default 0. */
  controllerManagers?: number;
  controllerManagerFlags?: string[];
  controllerManagerNodeArgs?: string[];
  /** Kubelets, one per node: node-1 on 127.0.1.1, node-2 on 127.0.1.2 ..., each on a free port. Default 0. */
  kubelets?: number;
  /** Flags after the kit's own, such as kubetsProfile.kubelet. */
  kubeletFlags?: string[];
  kubeletNodeArgs?: string[];
  /**
   * 'flag' (the default): each kubelet gets --pod-cidr, a /24 of 127.64.0.0/10 that no other test
   * cluster running now is likely to have. 'node': none, the kubelets take their Node's
   * spec.podCIDR (a controller manager with --allocate-node-cidrs must give it).
   */
  kubeletPodCidrs?: 'flag' | 'node';
  /**
   * kube-proxies for node-1 .. node-n on 127.0.1.1 ..., each with its health server on a free port
   * of its node's address; nodes shared with the kubelets when both are given. Default 0. With
   * any, the API server gets a loopback --service-cluster-ip-range and a --service-node-port-range
   * drawn at random (see serviceClusterIpRange), before apiserverFlags, which may override them.
   */
  kubeProxies?: number;
  /** Flags after the kit's own, such as kubetsProfile.kubeProxy. */
  kubeProxyFlags?: string[];
  kubeProxyNodeArgs?: string[];
  /** Restart processes that exit on their own, as `kubets up` does. Default false. */
  supervise?: boolean;
  readyTimeoutMs?: number;
}

export interface TestCluster {
  dataDir: string;
  kubeconfig: string;
  client: KubeClient;
  apiServerUrls: string[];
  etcdEndpoints: string[];
  /** Every process, by name (etcd-0, apiserver-0 ...), for tests that kill or inspect one. */
  cluster: LocalCluster;
  /** The nodes' names, node-1 first: one per kubelet. */
  nodeNames: string[];
  /**
   * The API server's --service-cluster-ip-range and --service-node-port-range as the kit or the
   * test's apiserverFlags set them (the last given wins); undefined when neither did (the API
   * server's defaults). With kube-proxies the kit draws a /24 of 127.129.0.0 - 127.191.255.255
   * and 200 ports of 30000-32767, so test clusters running at once rarely share either.
   */
  serviceClusterIpRange: string | undefined;
  nodePortRange: string | undefined;
  stop(): Promise<void>;
}

export interface KubeletNode {
  nodeName: string;
  /** Its --node-ip and --address. */
  address: string;
  port: number;
  /** http://<address>:<port>: /healthz, /pods, /containerLogs ... */
  url: string;
  rootDir: string;
  podCidr?: string;
  /** The kubelet's process: its pid, kill() to SIGKILL it, start() to bring it back. */
  process: ManagedProcess;
}

/** Node i's kubelet (i from 1, as node-1), for tests that kill it or read its root dir. */
export function kubeletNode(c: TestCluster, i: number): KubeletNode {
  const planned = c.cluster.plan.kubelets?.find((k) => k.nodeName === nodeName(i));
  const process = c.cluster.byName(kubeletName(nodeName(i)))?.proc;
  if (planned === undefined || process === undefined) throw new RangeError(`the test cluster has no node-${i} (its nodes: ${c.nodeNames.join(', ') || 'none'})`);
  return {
    nodeName: planned.nodeName, address: planned.address, port: planned.port, url: c.cluster.byName(planned.name)!.url, rootDir: planned.rootDir,
    ...(planned.podCidr !== undefined ? { podCidr: planned.podCidr } : {}),
    process,
  };
}

export interface KubeProxyNode {
  nodeName: string;
  /** Its --bind-address: the node ports listen here. */
  address: string;
  healthzPort: number;
  /** http://<address>:<healthzPort>: /healthz, /readyz, /metrics. */
  url: string;
  /** The kube-proxy's process: its pid, kill() to SIGKILL it, start() to bring it back. */
  process: ManagedProcess;
}

/** Node i's kube-proxy (i from 1, as node-1), for tests that read its health and metrics or kill it. */
export function kubeProxyNode(c: TestCluster, i: number): KubeProxyNode {
  const planned = c.cluster.plan.kubeProxies?.find((p) => p.nodeName === nodeName(i));
  const running = c.cluster.byName(kubeProxyName(nodeName(i)));
  if (planned === undefined || running === undefined) {
    const nodes = (c.cluster.plan.kubeProxies ?? []).map((p) => p.nodeName).join(', ') || 'none';
    throw new RangeError(`the test cluster has no kube-proxy on node-${i} (its kube-proxies' nodes: ${nodes})`);
  }
  return { nodeName: planned.nodeName, address: planned.address, healthzPort: planned.healthzPort, url: running.url, process: running.proc };
}

/** Short election timeouts: elections on loopback take a fraction of a second instead of seconds. */
const fastElections = ['--heartbeat-interval=50', '--election-timeout=500'];

export function startTestCluster(opts: TestClusterOptions = {}): Promise<TestCluster> {
  return retryOnTakenPort(() => startOnce(opts));
}

async function planOn(dataDir: string, opts: TestClusterOptions): Promise<ClusterPlan> {
  const external = typeof opts.etcd === 'object' ? opts.etcd.external : undefined;
  const n = external !== undefined ? 0 : (opts.members ?? 3);
  const a = opts.apiservers ?? 1;
  const s = opts.schedulers ?? 0;
  const cm = opts.controllerManagers ?? 0;
  const ports = await freePorts(2 * n + a + s + cm);
  const nodes = opts.kubelets ?? 0;
  const onNodes = await nodePorts(nodes, opts.kubeProxies ?? 0);
  const podCidrs = opts.kubeletPodCidrs === 'node' ? undefined : testPodCidrs(nodes);
  const members = Array.from({ length: n }, (_, i) => ({
    name: etcdMemberName(i), clientUrl: etcdClientUrl(ports[2 * i]!), peerUrl: etcdClientUrl(ports[2 * i + 1]!), dataDir: clusterPaths(dataDir).etcdDataDir(etcdMemberName(i)),
  }));
  return {
    name: 'test',
    dataDir,
    token: `test-${process.pid}-${Date.now()}`,
    etcd: { mode: external !== undefined ? 'external' : opts.etcd === 'real' ? 'real' : 'kubets', members, servers: external ?? members.map((m) => m.clientUrl) },
    apiservers: Array.from({ length: a }, (_, i) => ({ name: apiServerName(i), port: ports[2 * n + i]! })),
    schedulers: Array.from({ length: s }, (_, i) => ({ name: schedulerName(i), port: ports[2 * n + a + i]! })),
    controllerManagers: Array.from({ length: cm }, (_, i) => ({ name: controllerManagerName(i), port: ports[2 * n + a + s + i]! })),
    kubelets: plannedKubelets(dataDir, nodes, onNodes.kubelet, podCidrs),
    kubeProxies: plannedKubeProxies(opts.kubeProxies ?? 0, onNodes.kubeProxy),
  };
}

/**
 * Node i's kubelet port and kube-proxy health port (i from 1), free ports of the node's own
 * address (another cluster's may hold the same port on 127.0.1.1), distinct when a node has both.
 */
async function nodePorts(kubelets: number, kubeProxies: number): Promise<{ kubelet: number[]; kubeProxy: number[] }> {
  const kubelet: number[] = [];
  const kubeProxy: number[] = [];
  for (let i = 1; i <= Math.max(kubelets, kubeProxies); i++) {
    const ports = await freePorts((i <= kubelets ? 1 : 0) + (i <= kubeProxies ? 1 : 0), nodeAddress(i));
    if (i <= kubelets) kubelet.push(ports.shift()!);
    if (i <= kubeProxies) kubeProxy.push(ports.shift()!);
  }
  return { kubelet, kubeProxy };
}

/** With kube-proxies, Service ranges of the cluster's own, before the test's flags (which may override them). */
function apiserverFlagsOf(opts: TestClusterOptions): string[] {
  const services = (opts.kubeProxies ?? 0) > 0
    ? [`--service-cluster-ip-range=${testServiceClusterIpRange()}`, `--service-node-port-range=${testNodePortRange()}`]
    : [];
  return [...services, ...(opts.apiserverFlags ?? [])];
}

/** The value of the last `--name=value` or `--name value` in flags: the one a commander program keeps. */
function lastFlagValue(flags: string[], name: string): string | undefined {
  let value: string | undefined;
  flags.forEach((f, i) => {
    if (f.startsWith(`${name}=`)) value = f.slice(name.length + 1);
    else if (f === name) value = flags[i + 1];
  });
  return value;
}

async function startOnce(opts: TestClusterOptions): Promise<TestCluster> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kubets-test-cluster-'));
  const plan = await planOn(dataDir, opts);
  const kubeconfig = clusterPaths(dataDir).kubeconfig;
  const apiserverFlags = apiserverFlagsOf(opts);
  // Before the start: the schedulers, controller managers and kubelets read it as they start.
  writeClusterKubeconfig(kubeconfig, 'test', plan.apiservers.map((a) => apiServerUrl(a.port)));
  const cluster = new LocalCluster(plan, {
    logs: 'memory',
    etcdFlags: ['--log-level=error', ...fastElections, ...(opts.etcdFlags ?? [])],
    apiserverFlags,
    ...(opts.schedulerFlags !== undefined ? { schedulerFlags: opts.schedulerFlags } : {}),
    ...(opts.schedulerNodeArgs !== undefined ? { schedulerNodeArgs: opts.schedulerNodeArgs } : {}),
    ...(opts.controllerManagerFlags !== undefined ? { controllerManagerFlags: opts.controllerManagerFlags } : {}),
    ...(opts.controllerManagerNodeArgs !== undefined ? { controllerManagerNodeArgs: opts.controllerManagerNodeArgs } : {}),
    ...(opts.kubeletFlags !== undefined ? { kubeletFlags: opts.kubeletFlags } : {}),
    ...(opts.kubeletNodeArgs !== undefined ? { kubeletNodeArgs: opts.kubeletNodeArgs } : {}),
    ...(opts.kubeProxyFlags !== undefined ? { kubeProxyFlags: opts.kubeProxyFlags } : {}),
    ...(opts.kubeProxyNodeArgs !== undefined ? { kubeProxyNodeArgs: opts.kubeProxyNodeArgs } : {}),
    ...(opts.readyTimeoutMs !== undefined ? { readyTimeoutMs: opts.readyTimeoutMs } : {}),
  });
  try {
    await cluster.start();
  } catch (e) {
    await rm(dataDir, { recursive: true, force: true });
    throw e;
  }
  if (opts.supervise === true) cluster.supervise();
  return {
    dataDir,
    kubeconfig,
    client: clientFromKubeconfig({ path: kubeconfig, component: 'test' }),
    apiServerUrls: cluster.apiServerUrls,
    etcdEndpoints: cluster.plan.etcd.servers,
    cluster,
    nodeNames: (plan.kubelets ?? []).map((k) => k.nodeName),
    serviceClusterIpRange: lastFlagValue(apiserverFlags, '--service-cluster-ip-range'),
    nodePortRange: lastFlagValue(apiserverFlags, '--service-node-port-range'),
    async stop() {
      // A failed reset still fails the test, after the files are gone.
      try {
        await cluster.stop();
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}
