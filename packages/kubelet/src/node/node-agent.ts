// The kubelet's Node: registers it (or takes over the one that exists, putting back the
// default labels), keeps its Lease renewed, and reports its status: every status-update
// interval the conditions are worked out again, and the status is PATCHed only when something
// changed or the report frequency has passed (upstream's syncNodeStatus). It also watches its
// own Node, for the podCIDR the controller manager allocates.
//
// Nothing here throws out of a timer: a write that fails is logged and retried with backoff, so
// the kubelet rides out an API server that goes away.
import { type Node, type Taint, isApiError } from '@kubets/api';
import { Backoff, type Clock, Informer, type KubeClient, realClock, type TimerHandle } from '@kubets/client';
import type { EventLog } from '@kubets/component-base';
import type { ConditionTransition, NodeHealth } from './conditions.js';
import { heartbeatTimeoutMs, NodeLease } from './lease.js';
import { retryOnConflict } from './retry-on-conflict.js';
import { readMachineInfo } from './machine-info.js';
import { apiTime, defaultLabelsPatch, desiredStatus, initialNode, type NodeSettings, nodeStatusChanged } from './node-object.js';
import { defaultMaxPods } from './resources.js';
import { directWrites, type MachineInfo, type NodePressure, type ResourceList, type WriteGate } from './types.js';

/** Records an Event about the Node (an EventRecorder of @kubets/client is one). */
export interface NodeEventSink {
  event(obj: { kind: string; metadata?: { name?: string; uid?: string } }, type: 'Normal' | 'Warning', reason: string, message: string): void;
}

export interface NodeAgentOptions {
  client: KubeClient;
  nodeName: string;
  logger: EventLog;
  nodeIP: string;
  /** Default: the node name, so that nodes sharing one host keep distinct kubernetes.io/hostname labels. */
  hostname?: string;
  /** The kubelet's port, for daemonEndpoints. */
  port: number;
  labels?: Record<string, string>;
  taints?: Taint[];
  /** Capacity entries that replace the machine's (cpu, memory, ephemeral-storage, pods ...). */
  capacity?: ResourceList;
  maxPods?: number;
  systemReserved?: ResourceList;
  kubeReserved?: ResourceList;
  /** Default 10 s. */
  leaseRenewIntervalMs?: number;
  /** Default 40. */
  leaseDurationSeconds?: number;
  /** Write the status at least this often even when nothing changed. Default 5 min. */
  statusReportFrequencyMs?: number;
  /** How often the conditions are worked out again. Default 10 s. */
  statusUpdateFrequencyMs?: number;
  runtimeVersion: string;
  /** --pod-cidr: the pod range when the controller manager allocates none. */
  podCIDR?: string;
  pressure?: () => NodePressure;
  /** Undefined when ready; else why the node is not ready. */
  readiness?: () => string | undefined;
  recorder?: NodeEventSink;
  clock?: Clock;
  /** The machine, when known (hollow nodes make one up); read from the host at start otherwise. */
  machine?: MachineInfo;
  /** The filesystem whose size is ephemeral-storage capacity. Default '/'. */
  rootDir?: string;
  /** False when the caller feeds observe() from a watch of its own (hollow mode). Default true. */
  watchNode?: boolean;
  writeGate?: WriteGate;
  /** Lease renewals' own gate, so they never queue behind registrations (default: writeGate). */
  leaseWriteGate?: WriteGate;
  /** Delay before the first lease renewal. */
  leaseFirstDelayMs?: number;
  onLeaseRenewed?: (latenessMs: number) => void;
}

const noPressure: NodePressure = { memory: false, disk: false, pid: false };
/** Upstream's nodeStatusUpdateRetry. */
const statusUpdateRetries = 5;

export class NodeAgent {
  private readonly clock: Clock;
  private readonly gate: WriteGate;
  private readonly lease: NodeLease;
  private readonly backoff: Backoff;
  private settings: NodeSettings | undefined;
  private machine: MachineInfo | undefined;
  private informer: Informer<Node> | undefined;
  private lastSeen: Node | undefined;
  private registered = false;
  private lastReportAt: number | undefined;
  private timer: TimerHandle | undefined;
  private stopped = true;
  private syncing: Promise<void> | undefined;
  private readonly podCIDRWaiters: ((cidr: string) => void)[] = [];
  private readonly registrationWaiters: (() => void)[] = [];

  constructor(private readonly opts: NodeAgentOptions) {
    this.clock = opts.clock ?? realClock;
    this.gate = opts.writeGate ?? directWrites;
    this.backoff = new Backoff({ initialMs: 100, maxMs: 7_000, clock: this.clock });
    this.lease = new NodeLease({
      client: opts.client,
      nodeName: opts.nodeName,
      logger: opts.logger,
      durationSeconds: opts.leaseDurationSeconds ?? 40,
      renewIntervalMs: opts.leaseRenewIntervalMs ?? 10_000,
      nodeUid: () => this.lastSeen?.metadata?.uid,
      clock: this.clock,
      writeGate: opts.leaseWriteGate ?? this.gate,
      ...(opts.leaseFirstDelayMs !== undefined ? { firstDelayMs: opts.leaseFirstDelayMs } : {}),
      ...(opts.onLeaseRenewed !== undefined ? { onRenewed: opts.onLeaseRenewed } : {}),
    });
  }

  /** Reads the machine, then registers, renews and reports in the background. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.machine = this.opts.machine ?? (await readMachineInfo(this.opts.rootDir ?? '/'));
    this.settings = this.settingsFrom(this.opts);
    if (this.opts.watchNode !== false) this.watchOwnNode();
    this.lease.start();
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    await this.lease.stop();
    await this.syncing;
    await this.informer?.stop();
  }

  /** The Node as last seen from the API server. */
  node(): Node | undefined {
    return this.lastSeen;
  }

  /** The node's pod range: spec.podCIDR once allocated, else --pod-cidr. */
  podCIDR(): string | undefined {
    const allocated = this.lastSeen?.spec?.podCIDR;
    return allocated !== undefined && allocated !== '' ? allocated : this.opts.podCIDR;
  }

  /** Resolves with the pod range once there is one. */
  whenPodCIDR(): Promise<string> {
    const now = this.podCIDR();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve) => this.podCIDRWaiters.push(resolve));
  }

  /** Resolves once the Node is registered (created, or found and taken over). */
  whenRegistered(): Promise<void> {
    if (this.registered) return Promise.resolve();
    return new Promise((resolve) => this.registrationWaiters.push(resolve));
  }

  /** Takes a newer copy of the Node (from a watch or a write's answer). */
  observe(node: Node): void {
    if (node.metadata?.name !== this.opts.nodeName) return;
    if (this.lastSeen !== undefined && isOlder(node, this.lastSeen)) return;
    this.lastSeen = node;
    const cidr = this.podCIDR();
    if (cidr !== undefined) for (const w of this.podCIDRWaiters.splice(0)) w(cidr);
  }

  /** The Node was deleted (a watch saw it go): register it again on the next pass. */
  observeDeletion(): void {
    this.registered = false;
    this.lastSeen = undefined;
  }

  /** When the status was last written (ms), by the registration or a report; undefined before. */
  lastStatusReport(): number | undefined {
    return this.lastReportAt;
  }

  /** The node's Lease, for tests and diagnostics. */
  leaseRenewer(): NodeLease {
    return this.lease;
  }

  private settingsFrom(o: NodeAgentOptions): NodeSettings {
    return {
      nodeName: o.nodeName,
      hostname: (o.hostname ?? o.nodeName).toLowerCase(),
      nodeIP: o.nodeIP,
      port: o.port,
      labels: o.labels ?? {},
      taints: o.taints ?? [],
      maxPods: o.maxPods ?? defaultMaxPods,
      capacityOverrides: o.capacity ?? {},
      systemReserved: o.systemReserved ?? {},
      kubeReserved: o.kubeReserved ?? {},
      runtimeVersion: o.runtimeVersion,
    };
  }

  private watchOwnNode(): void {
    this.informer = new Informer<Node>(this.opts.client, 'nodes', {
      fieldSelector: { 'metadata.name': this.opts.nodeName },
      onError: (err, context) => this.opts.logger.warn({ node: this.opts.nodeName, context, err: (err as Error).message }, 'watch of the node failed; retrying'),
    });
    const take = (n: Node) => this.observe(n);
    this.informer.addEventHandler({ onAdd: take, onUpdate: (_old, n) => take(n), onDelete: () => this.observeDeletion() });
    this.informer.start();
  }

  private health(): NodeHealth {
    return { pressure: this.opts.pressure?.() ?? noPressure, notReadyReason: this.opts.readiness?.() };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimer(delayMs, () => {
      this.syncing = this.syncOnce().finally(() => (this.syncing = undefined));
    });
  }

  private async syncOnce(): Promise<void> {
    try {
      if (!this.registered) await this.gate(() => this.register());
      await this.updateStatus();
      this.backoff.reset();
      this.schedule(this.opts.statusUpdateFrequencyMs ?? 10_000);
    } catch (e) {
      if (this.stopped) return;
      const what = this.registered ? 'unable to update node status' : 'unable to register node with the API server';
      this.opts.logger.warn({ node: this.opts.nodeName, err: (e as Error).message }, `${what}; will retry`);
      this.schedule(Math.min(this.backoff.next(), this.opts.statusUpdateFrequencyMs ?? 10_000));
    }
  }

  private now(): string {
    return apiTime(this.clock.now());
  }

  /** Upstream's tryRegisterWithAPIServer: create, or take over the Node that exists. */
  private async register(): Promise<void> {
    const node = initialNode(this.settings!, this.machine!, this.health(), this.now());
    try {
      this.observe(await this.opts.client.create<Node>('nodes', undefined, node));
      this.lastReportAt = this.clock.now();
      this.opts.logger.info({ node: this.opts.nodeName }, 'registered node');
    } catch (e) {
      if (!(isApiError(e) && e.reason === 'AlreadyExists')) throw e;
      const existing = await this.opts.client.get<Node>('nodes', undefined, this.opts.nodeName);
      this.observe(existing);
      const labels = defaultLabelsPatch(existing, node, this.machine!, this.settings!.hostname);
      if (labels !== undefined) this.observe(await this.opts.client.patch<Node>('nodes', undefined, this.opts.nodeName, { metadata: { labels } }, { type: 'merge' }));
      this.opts.logger.info({ node: this.opts.nodeName }, 'node was previously registered');
    }
    this.registered = true;
    for (const w of this.registrationWaiters.splice(0)) w();
  }

  private async updateStatus(): Promise<void> {
    try {
      await retryOnConflict(statusUpdateRetries, () => this.tryUpdateStatus());
    } catch (e) {
      if (isApiError(e) && e.reason === 'NotFound') this.observeDeletion();
      throw e;
    }
  }

  private async tryUpdateStatus(): Promise<void> {
    const current = this.lastSeen ?? (await this.opts.client.get<Node>('nodes', undefined, this.opts.nodeName));
    const nowMs = this.clock.now();
    const { status, transitions } = desiredStatus(current.status, this.settings!, this.machine!, this.health(), apiTime(nowMs));
    const reportDue = this.lastReportAt === undefined || nowMs - this.lastReportAt >= (this.opts.statusReportFrequencyMs ?? 300_000);
    if (!reportDue && !nodeStatusChanged(current.status, status)) return;
    const timeoutMs = heartbeatTimeoutMs(this.opts.leaseDurationSeconds ?? 40);
    const updated = await this.gate(() => this.opts.client.patchStatus<Node>('nodes', undefined, this.opts.nodeName, { status }, { type: 'strategic', timeoutMs }));
    this.lastReportAt = nowMs;
    this.observe(updated);
    this.recordTransitions(transitions);
  }

  private recordTransitions(transitions: ConditionTransition[]): void {
    // As upstream's nodeRef, the involved object's uid is the node's name.
    const nodeRef = { kind: 'Node', metadata: { name: this.opts.nodeName, uid: this.opts.nodeName } };
    for (const t of transitions) this.opts.recorder?.event(nodeRef, 'Normal', t.event, `Node ${this.opts.nodeName} status is now: ${t.event}`);
  }
}

/** resourceVersions are etcd revisions: numbers, larger is newer. */
function isOlder(a: Node, b: Node): boolean {
  const ra = Number(a.metadata?.resourceVersion);
  const rb = Number(b.metadata?.resourceVersion);
  return Number.isFinite(ra) && Number.isFinite(rb) && ra < rb;
}
