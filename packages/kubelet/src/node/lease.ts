// The node's heartbeat: the Lease kube-node-lease/<node>, held by the node, renewed every
// renew interval (upstream's nodelease controller). The node lifecycle controller reads its
// renewTime; a kubelet that stops renewing for leaseDurationSeconds is taken for dead.
//
// Renewals keep to a fixed schedule (due, due + interval, ...) rather than "interval after the
// last one finished", so slow answers do not make the gaps grow. A failed renewal is retried
// soon with a growing backoff (never later than the next due time) and the kubelet goes on.
import { type Lease, isApiError } from '@kubets/api';
import { Backoff, type Clock, formatMicroTime, type KubeClient, realClock, type TimerHandle } from '@kubets/client';
import type { EventLog } from '@kubets/component-base';
import { retryOnConflict } from './retry-on-conflict.js';
import { directWrites, type WriteGate } from './types.js';

export const nodeLeaseNamespace = 'kube-node-lease';
const leases = 'leases.coordination.k8s.io';
/** Upstream's maxUpdateRetries: conflicts are retried at once this many times. */
const maxConflictRetries = 5;

/** The Lease as the node wants it now: ours, renewed at nowMs, owned by the Node once its uid is known. */
export function renewedLease(base: Lease | undefined, nodeName: string, durationSeconds: number, nodeUid: string | undefined, nowMs: number): Lease {
  const lease: Lease = {
    ...base,
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { ...base?.metadata, name: nodeName, namespace: nodeLeaseNamespace },
    spec: { ...base?.spec, holderIdentity: nodeName, leaseDurationSeconds: durationSeconds, renewTime: formatMicroTime(nowMs) },
  };
  // As upstream's setNodeOwnerFunc: the Lease goes with the Node when the Node is deleted.
  if (nodeUid !== undefined && (lease.metadata!.ownerReferences ?? []).length === 0) {
    lease.metadata!.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: nodeUid }];
  }
  return lease;
}

/**
 * How long a heartbeat write (a renewal, a status report) may hang before it is abandoned and
 * tried again. Upstream's heartbeat client uses the update interval (at most the lease
 * duration); we use the lease duration (at least 5 s): our client retries a timed-out PUT by
 * itself, and on a loaded API server short timeouts turned slow answers into a retry storm
 * (measured with 1,000 hollow nodes). A renewal older than the lease is worthless anyway.
 */
export function heartbeatTimeoutMs(leaseDurationSeconds: number): number {
  return Math.max(5_000, leaseDurationSeconds * 1000);
}

export interface NodeLeaseOptions {
  client: KubeClient;
  nodeName: string;
  logger: EventLog;
  durationSeconds: number;
  renewIntervalMs: number;
  /** The Node's uid once it is registered. */
  nodeUid: () => string | undefined;
  /** Delay of the first renewal; hollow nodes spread theirs over the interval. Default 0. */
  firstDelayMs?: number;
  clock?: Clock;
  writeGate?: WriteGate;
  /** Told after each successful renewal how late it was against its schedule (ms). */
  onRenewed?: (latenessMs: number) => void;
}

export class NodeLease {
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private readonly gate: WriteGate;
  private cached: Lease | undefined;
  private timer: TimerHandle | undefined;
  private dueAt = 0;
  private stopped = true;
  private inFlight: Promise<void> | undefined;

  constructor(private readonly opts: NodeLeaseOptions) {
    this.clock = opts.clock ?? realClock;
    this.gate = opts.writeGate ?? directWrites;
    this.backoff = new Backoff({ initialMs: 200, maxMs: opts.renewIntervalMs, clock: this.clock });
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.dueAt = this.clock.now() + (this.opts.firstDelayMs ?? 0);
    this.schedule(this.dueAt);
  }

  /** Stops renewing; resolves once a renewal under way has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    await this.inFlight;
  }

  /** The Lease as last written or read. */
  lease(): Lease | undefined {
    return this.cached;
  }

  private schedule(at: number): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimer(at - this.clock.now(), () => {
      this.inFlight = this.renewOnce().finally(() => (this.inFlight = undefined));
    });
  }

  private async renewOnce(): Promise<void> {
    try {
      // A renewal still queued at the gate when the node stops is dropped there.
      await this.gate(() => (this.stopped ? Promise.resolve() : this.renewWithRetries()));
      if (this.stopped) return;
      this.backoff.reset();
      const now = this.clock.now();
      this.opts.onRenewed?.(now - this.dueAt);
      this.dueAt += this.opts.renewIntervalMs;
      // Far behind (the process stalled): renew on a fresh schedule rather than in a burst.
      if (this.dueAt <= now) this.dueAt = now + this.opts.renewIntervalMs;
      this.schedule(this.dueAt);
    } catch (e) {
      if (this.stopped) return;
      this.cached = undefined; // whatever went wrong, the next try starts from the server's copy
      const retryAt = Math.min(this.clock.now() + this.backoff.next(), this.dueAt + this.opts.renewIntervalMs);
      this.opts.logger.warn({ node: this.opts.nodeName, err: (e as Error).message }, 'failed to renew the node lease; will retry');
      this.schedule(retryAt);
    }
  }

  private renewWithRetries(): Promise<void> {
    // On a conflict, read the current Lease and write over it.
    return retryOnConflict(maxConflictRetries, () => this.renew(), () => (this.cached = undefined));
  }

  private async renew(): Promise<void> {
    const { client, nodeName, durationSeconds } = this.opts;
    const base = this.cached ?? (await this.current());
    const want = renewedLease(base, nodeName, durationSeconds, this.opts.nodeUid(), this.clock.now());
    const call = this.heartbeatCall();
    this.cached = base === undefined ? await client.create<Lease>(leases, nodeLeaseNamespace, want, call) : await client.update<Lease>(leases, nodeLeaseNamespace, want, call);
  }

  private heartbeatCall(): { timeoutMs: number } {
    return { timeoutMs: heartbeatTimeoutMs(this.opts.durationSeconds) };
  }

  private async current(): Promise<Lease | undefined> {
    try {
      return await this.opts.client.get<Lease>(leases, nodeLeaseNamespace, this.opts.nodeName, this.heartbeatCall());
    } catch (e) {
      if (isApiError(e) && e.reason === 'NotFound') return undefined;
      throw e;
    }
  }
}
