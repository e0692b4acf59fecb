// Hollow mode, as kubemark's hollow node: one process registers `count` Nodes, keeps their
// Leases renewed and their status Ready, and reports every pod bound to them Running and Ready
// without starting anything; a pod being deleted is finished (deleted with grace 0) as a kubelet
// does once its containers are gone. For scale tests of the control plane.
//
// One Node watch and one Pod watch serve all the hollow nodes; lease renewals are spread over
// the renew interval instead of coming in a burst; node writes go through a bounded gate and pod
// writes through a fixed number of workers.
import { type Node, type Pod, isApiError } from '@kubets/api';
import { Informer, type KubeClient, objectKey, RateLimitingQueue, runWorker } from '@kubets/client';
import type { EventLog } from '@kubets/component-base';
import { apiTime } from '../node/node-object.js';
import { NodeAgent } from '../node/node-agent.js';
import type { MachineInfo, WriteGate } from '../node/types.js';
import { concurrencyGate } from './concurrency-gate.js';
import { alreadyReported, hollowPodStatus } from './hollow-pod-status.js';
import { fakePodCidr, HollowPodAddresses, hollowNodeIP } from './pod-addresses.js';

/** Every hollow Node carries it; the one Node watch selects by it. */
export const hollowNodeLabel = 'kubets.io/hollow-node';

export interface HollowNodesOptions {
  client: KubeClient;
  count: number;
  /** Default 'hollow-node-'; the nodes are <prefix>0 ... <prefix>count-1. */
  namePrefix?: string;
  logger: EventLog;
  leaseRenewIntervalMs?: number;
  leaseDurationSeconds?: number;
  statusUpdateFrequencyMs?: number;
  statusReportFrequencyMs?: number;
  /** Node writes at once: registrations and status reports, and separately lease renewals. Default 32 each. */
  nodeWriteConcurrency?: number;
  /** Pod status writes and deletions at once. Default 16. */
  podWorkers?: number;
  /** Default 'kubets-process://0.1.0'. */
  runtimeVersion?: string;
  /** Told how late each lease renewal was against its schedule (ms), for the benchmark. */
  onLeaseRenewed?: (node: string, latenessMs: number) => void;
}

export interface HollowNodes {
  readonly nodeNames: string[];
  /** Resolves once every hollow Node is registered. */
  registered(): Promise<void>;
  stop(): Promise<void>;
}

function hollowMachine(name: string): MachineInfo {
  return {
    cpuCores: 4, memoryBytes: 16 * 1024 ** 3, ephemeralStorageBytes: 100 * 1024 ** 3,
    machineID: `hollow-${name}`, systemUUID: `hollow-${name}`, bootID: `hollow-${name}`,
    kernelVersion: 'hollow', osImage: 'kubets hollow node', operatingSystem: 'linux', architecture: 'amd64',
  };
}

class HollowNodeRunner implements HollowNodes {
  readonly nodeNames: string[];
  private readonly agents = new Map<string, NodeAgent>();
  private readonly indexOf = new Map<string, number>();
  private readonly nodes: Informer<Node>;
  private readonly pods: Informer<Pod>;
  private readonly queue = new RateLimitingQueue<string>({ name: 'hollow-pods' });
  private readonly addresses = new HollowPodAddresses();
  private workers: Promise<void>[] = [];

  constructor(private readonly opts: HollowNodesOptions) {
    const prefix = opts.namePrefix ?? 'hollow-node-';
    this.nodeNames = Array.from({ length: opts.count }, (_, i) => `${prefix}${i}`);
    const onError = (what: string) => (err: unknown, context: string) => opts.logger.warn({ context, err: (err as Error).message }, `hollow nodes: ${what} watch failed; retrying`);
    this.nodes = new Informer<Node>(opts.client, 'nodes', { labelSelector: { [hollowNodeLabel]: 'true' }, onError: onError('node') });
    this.pods = new Informer<Pod>(opts.client, 'pods', { onError: onError('pod') });
    // Two gates: renewals must not wait behind a thousand registrations or status reports.
    const gates = { status: concurrencyGate(opts.nodeWriteConcurrency ?? 32), lease: concurrencyGate(opts.nodeWriteConcurrency ?? 32) };
    const interval = opts.leaseRenewIntervalMs ?? 10_000;
    this.nodeNames.forEach((name, i) => {
      this.indexOf.set(name, i);
      this.agents.set(name, this.agentFor(name, i, gates, interval));
    });
  }

  private agentFor(name: string, index: number, gates: { status: WriteGate; lease: WriteGate }, interval: number): NodeAgent {
    const o = this.opts;
    return new NodeAgent({
      client: o.client, nodeName: name, logger: o.logger, nodeIP: hollowNodeIP(index), port: 10250,
      labels: { [hollowNodeLabel]: 'true' }, runtimeVersion: o.runtimeVersion ?? 'kubets-process://0.1.0', machine: hollowMachine(name),
      leaseRenewIntervalMs: interval, leaseFirstDelayMs: Math.floor((index * interval) / Math.max(1, o.count)),
      ...(o.leaseDurationSeconds !== undefined ? { leaseDurationSeconds: o.leaseDurationSeconds } : {}),
      ...(o.statusUpdateFrequencyMs !== undefined ? { statusUpdateFrequencyMs: o.statusUpdateFrequencyMs } : {}),
      ...(o.statusReportFrequencyMs !== undefined ? { statusReportFrequencyMs: o.statusReportFrequencyMs } : {}),
      ...(o.onLeaseRenewed !== undefined ? { onLeaseRenewed: (late: number) => o.onLeaseRenewed!(name, late) } : {}),
      watchNode: false, writeGate: gates.status, leaseWriteGate: gates.lease,
    });
  }

  async start(): Promise<void> {
    this.nodes.addEventHandler({
      onAdd: (n) => this.agentOf(n)?.observe(n),
      onUpdate: (old, n) => {
        this.agentOf(n)?.observe(n);
        // A podCIDR arriving may give waiting pods their addresses.
        if (old.spec?.podCIDR !== n.spec?.podCIDR) for (const p of this.pods.list()) if (p.spec?.nodeName === n.metadata?.name) this.queue.add(objectKey(p));
      },
      onDelete: (n) => this.agentOf(n)?.observeDeletion(),
    });
    const enqueue = (p: Pod) => {
      if (this.agents.has(p.spec?.nodeName ?? '')) this.queue.add(objectKey(p));
    };
    this.pods.addEventHandler({ onAdd: enqueue, onUpdate: (_old, p) => enqueue(p), onDelete: (p) => this.addresses.release(p.metadata?.uid ?? '') });
    this.nodes.start();
    this.pods.start();
    for (const a of this.agents.values()) await a.start();
    const onError = (key: string, err: unknown) => this.opts.logger.warn({ pod: key, err: (err as Error).message }, 'hollow nodes: pod sync failed; will retry');
    this.workers = Array.from({ length: this.opts.podWorkers ?? 16 }, () => runWorker(this.queue, (key) => this.syncPod(key), { onError }));
  }

  private agentOf(n: Node): NodeAgent | undefined {
    return this.agents.get(n.metadata?.name ?? '');
  }

  async registered(): Promise<void> {
    await Promise.all([...this.agents.values()].map((a) => a.whenRegistered()));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.agents.values()].map((a) => a.stop()));
    this.queue.shutDown();
    await Promise.all(this.workers);
    await Promise.all([this.nodes.stop(), this.pods.stop()]);
  }

  /** Level-triggered: reads the pod as cached now and does what it still needs. */
  private async syncPod(key: string): Promise<void> {
    const pod = this.pods.getByKey(key);
    const nodeName = pod?.spec?.nodeName ?? '';
    const agent = this.agents.get(nodeName);
    if (pod === undefined || agent === undefined) return;
    if (pod.metadata?.deletionTimestamp !== undefined) return this.finishDeletion(pod);
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
    const podIP = this.addresses.addressOf(nodeName, pod.metadata?.uid ?? '', agent.podCIDR() ?? fakePodCidr(this.indexOf.get(nodeName)!), pod.status?.podIP);
    if (podIP === undefined) throw new Error(`no free pod address on ${nodeName}`);
    const desired = hollowPodStatus(pod, { hostIP: hollowNodeIP(this.indexOf.get(nodeName)!), podIP }, apiTime(Date.now()));
    if (alreadyReported(pod, desired)) return;
    await this.opts.client.patchStatus('pods', pod.metadata?.namespace, pod.metadata!.name!, { status: desired }, { type: 'merge' });
  }

  /** As a kubelet does once every container is gone: the final delete, with grace 0. */
  private async finishDeletion(pod: Pod): Promise<void> {
    try {
      await this.opts.client.delete('pods', pod.metadata?.namespace, pod.metadata!.name!, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata!.uid! } });
    } catch (e) {
      if (isApiError(e) && (e.reason === 'NotFound' || e.reason === 'Conflict')) return; // gone already, or a new pod of that name
      throw e;
    }
  }
}

/** Starts `count` hollow nodes; they register, renew and serve pods in the background. */
export async function runHollowNodes(opts: HollowNodesOptions): Promise<HollowNodes> {
  const runner = new HollowNodeRunner(opts);
  await runner.start();
  return runner;
}
