// The scheduling queue, as upstream's PriorityQueue (pkg/scheduler/internal/queue):
// - activeQ: pods ready to be tried, highest priority first, then oldest;
// - backoffQ: pods that failed and wait out their back-off (1 s doubling per attempt to 10 s);
// - unschedulablePods: pods no node fits, parked until a cluster event that could help them
//   (see cluster-events.ts), and sent back anyway after five minutes.
// A pod is in at most one of them, or in none while it is being scheduled. Timers, not polling,
// move pods out of back-off, so an idle scheduler does nothing.

import { type Clock, realClock, type TimerHandle } from '@kubets/client/clock';
import { every } from '../util/every.js';
import { podKey } from '../framework/node-info.js';
import type { Pod } from '../framework/types.js';
import { type ClusterEvent, eventCanHelp, unschedulableTimeout } from './cluster-events.js';
import { KeyedHeap } from './heap.js';
import { newQueuedPodInfo, prioritySortLess, type QueuedPodInfo } from './queued-pod.js';

export interface QueueOptions {
  clock?: Clock;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a pod stays parked when no event helps it (upstream's podMaxInUnschedulablePodsDuration). */
  maxUnschedulableMs?: number;
  /** How often parked pods are checked against that limit. */
  leftoverFlushIntervalMs?: number;
  less?: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean;
  /** Called with every move between queues, for the incoming-pods metric. */
  onIncoming?: (queue: QueueName, event: string) => void;
}

export type QueueName = 'active' | 'backoff' | 'unschedulable';

const byKey = (p: QueuedPodInfo) => p.key;

export class SchedulingQueue {
  private readonly clock: Clock;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxUnschedulableMs: number;
  private readonly activeQ: KeyedHeap<QueuedPodInfo>;
  private readonly backoffQ: KeyedHeap<QueuedPodInfo>;
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  /** Counts pops: a pod's failure is judged against the moves that happened while it was out. */
  private cycle = 0;
  private moveRequestCycle = -1;
  private waiters: ((p: QueuedPodInfo | undefined) => void)[] = [];
  private backoffTimer: { at: number; handle: TimerHandle } | undefined;
  private readonly leftoverTimer: TimerHandle | undefined;
  private closed = false;

  constructor(private readonly options: QueueOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.initialBackoffMs = options.initialBackoffMs ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.maxUnschedulableMs = options.maxUnschedulableMs ?? 5 * 60_000;
    this.activeQ = new KeyedHeap(byKey, options.less ?? prioritySortLess);
    this.backoffQ = new KeyedHeap(byKey, (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b));
    const flushMs = options.leftoverFlushIntervalMs ?? 30_000;
    this.leftoverTimer = flushMs > 0 ? every(this.clock, flushMs, () => this.flushUnschedulableLeftover()) : undefined;
  }

  /** The number of pops so far: the cycle a popped pod is scheduled in. */
  get schedulingCycle(): number {
    return this.cycle;
  }

  /** A new pod to schedule. */
  add(pod: Pod): void {
    const key = podKey(pod);
    const known = this.take(key);
    const info = known ?? newQueuedPodInfo(pod, this.clock.now());
    info.pod = pod;
    info.timestamp = this.clock.now();
    this.toActive(info, 'PodAdd');
  }

  /**
   * An update to a pod waiting here. One parked may fit now if its spec or labels changed (its
   * tolerations or selector), so it leaves the parking lot; a change of its status alone (the
   * scheduler's own PodScheduled condition) does not wake it, as upstream's isPodUpdated.
   * Elsewhere it is updated in place.
   */
  update(pod: Pod, specChanged = true): void {
    const key = podKey(pod);
    for (const q of [this.activeQ, this.backoffQ]) {
      const info = q.get(key);
      if (info !== undefined) {
        info.pod = pod;
        q.push(info);
        return;
      }
    }
    const parked = this.unschedulable.get(key);
    if (parked === undefined) return; // being scheduled now: the cycle's outcome decides
    if (!specChanged) {
      parked.pod = pod;
      return;
    }
    this.unschedulable.delete(key);
    parked.pod = pod;
    this.requeue(parked, 'UnscheduledPodUpdate');
  }

  delete(pod: Pod): void {
    this.take(podKey(pod));
  }

  /**
   * A pod the cycle could not place. Parked, unless a move request came in while it was being
   * tried (the event it would wait for may already have happened): then it backs off and retries.
   */
  addUnschedulable(info: QueuedPodInfo, podSchedulingCycle: number): void {
    if (this.closed || this.has(info.key)) return;
    info.timestamp = this.clock.now();
    if (this.moveRequestCycle >= podSchedulingCycle || info.unschedulablePlugins.size === 0) {
      this.toBackoff(info, 'ScheduleAttemptFailure');
      return;
    }
    this.unschedulable.set(info.key, info);
    this.options.onIncoming?.('unschedulable', 'ScheduleAttemptFailure');
  }

  /** A cluster event: parked pods it could help go back to be tried (after any back-off left). */
  moveAllToActiveOrBackoff(event: ClusterEvent): void {
    for (const [key, info] of this.unschedulable) {
      if (!eventCanHelp(event, info.unschedulablePlugins)) continue;
      this.unschedulable.delete(key);
      this.requeue(info, event.label);
    }
    this.moveRequestCycle = this.cycle;
  }

  /** The next pod to schedule; waits while none is ready, and resolves undefined once closed. */
  pop(): Promise<QueuedPodInfo | undefined> {
    const info = this.activeQ.pop();
    if (info !== undefined) return Promise.resolve(this.popped(info));
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Pods per queue, as scheduler_pending_pods reports them. */
  pending(): Record<QueueName, number> {
    return { active: this.activeQ.size, backoff: this.backoffQ.size, unschedulable: this.unschedulable.size };
  }

  has(key: string): boolean {
    return this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulable.has(key);
  }

  /** Where a pod waits, for tests and debugging. */
  whereIs(key: string): QueueName | undefined {
    if (this.activeQ.has(key)) return 'active';
    if (this.backoffQ.has(key)) return 'backoff';
    return this.unschedulable.has(key) ? 'unschedulable' : undefined;
  }

  close(): void {
    this.closed = true;
    this.backoffTimer?.handle.cancel();
    this.leftoverTimer?.cancel();
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  /** When a pod's back-off ends: 1 s, doubling with each attempt, at most 10 s, from its last failure. */
  backoffExpiry(info: QueuedPodInfo): number {
    let ms = this.initialBackoffMs;
    for (let i = 1; i < info.attempts && ms < this.maxBackoffMs; i++) ms *= 2;
    return info.timestamp + Math.min(ms, this.maxBackoffMs);
  }

  private popped(info: QueuedPodInfo): QueuedPodInfo {
    this.cycle++;
    info.attempts++;
    return info;
  }

  private take(key: string): QueuedPodInfo | undefined {
    const parked = this.unschedulable.get(key);
    if (parked !== undefined) {
      this.unschedulable.delete(key);
      return parked;
    }
    return this.activeQ.delete(key) ?? this.backoffQ.delete(key);
  }

  private requeue(info: QueuedPodInfo, event: string): void {
    if (this.backoffExpiry(info) > this.clock.now()) this.toBackoff(info, event);
    else this.toActive(info, event);
  }

  private toActive(info: QueuedPodInfo, event: string): void {
    if (this.closed) return;
    this.options.onIncoming?.('active', event);
    const waiter = this.waiters.shift();
    if (waiter !== undefined) waiter(this.popped(info));
    else this.activeQ.push(info);
  }

  private toBackoff(info: QueuedPodInfo, event: string): void {
    this.backoffQ.push(info);
    this.options.onIncoming?.('backoff', event);
    this.armBackoffTimer();
  }

  /** One timer, for the pod whose back-off ends first. */
  private armBackoffTimer(): void {
    const head = this.backoffQ.peek();
    if (head === undefined || this.closed) return;
    const at = this.backoffExpiry(head);
    if (this.backoffTimer !== undefined && this.backoffTimer.at <= at) return;
    this.backoffTimer?.handle.cancel();
    const handle = this.clock.setTimer(at - this.clock.now(), () => {
      this.backoffTimer = undefined;
      this.flushBackoffCompleted();
    });
    this.backoffTimer = { at, handle };
  }

  private flushBackoffCompleted(): void {
    const now = this.clock.now();
    for (let head = this.backoffQ.peek(); head !== undefined && this.backoffExpiry(head) <= now; head = this.backoffQ.peek()) {
      this.backoffQ.pop();
      this.toActive(head, 'BackoffComplete');
    }
    this.armBackoffTimer();
  }


  /** Parked pods that waited longer than the limit go back, whatever turned them away. */
  flushUnschedulableLeftover(): void {
    const now = this.clock.now();
    for (const [key, info] of this.unschedulable) {
      if (now - info.timestamp < this.maxUnschedulableMs) continue;
      this.unschedulable.delete(key);
      this.requeue(info, unschedulableTimeout.label);
    }
  }
}
