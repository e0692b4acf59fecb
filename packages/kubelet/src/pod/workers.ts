// The pod workers (pkg/kubelet/pod_workers.go): one worker per pod uid, syncing that pod one sync at
// a time. Anything that may change what a pod needs (an update from the API, a container that
// exited, a probe result, a back-off that ended, the periodic resync) asks for a sync; requests
// that arrive during a sync fold into one more sync after it. Pods never wait on each other.
import type { Pod } from '@kubets/api';
import { newPodWorkState, type PodWorkState } from './pod-state.js';
import type { PodSyncer } from './sync.js';

interface Worker {
  state: PodWorkState;
  running: boolean;
  again: boolean;
  timer?: NodeJS.Timeout;
}

export class PodWorkers {
  private readonly workers = new Map<string, Worker>();
  /** Pods finished and cleaned up, so that a late update from the API does not start them again. */
  private readonly finished = new Set<string>();
  private readonly idle = new Set<() => void>();
  private stopped = false;

  constructor(
    private readonly syncer: PodSyncer,
    private readonly logger: { error(o: object, m: string): void },
  ) {}

  /** A pod from the API, new or changed. */
  update(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    if (this.finished.has(uid)) return;
    const w = this.workers.get(uid);
    if (w === undefined) {
      this.workers.set(uid, { state: newPodWorkState(pod), running: false, again: false });
    } else {
      w.state.pod = pod;
    }
    this.requestSync(uid);
  }

  /** The pod is gone from the API: its containers are stopped and it is cleaned up. */
  remove(uid: string): void {
    this.finished.delete(uid);
    const w = this.workers.get(uid);
    if (w === undefined) return;
    w.state.removed = true;
    this.requestSync(uid);
  }

  requestSync(uid: string): void {
    const w = this.workers.get(uid);
    if (w === undefined || this.stopped) return;
    if (w.running) {
      w.again = true;
      return;
    }
    w.running = true;
    setImmediate(() => void this.run(uid, w));
  }

  syncAll(): void {
    for (const uid of this.workers.keys()) this.requestSync(uid);
  }

  /** The pods the kubelet is running (not yet finished), for /pods and the log server. */
  pods(): Pod[] {
    return [...this.workers.values()].filter((w) => !w.state.finished).map((w) => w.state.pod);
  }

  has(uid: string): boolean {
    return this.workers.has(uid);
  }

  private async run(uid: string, w: Worker): Promise<void> {
    do {
      w.again = false;
      if (w.timer !== undefined) clearTimeout(w.timer);
      w.timer = undefined;
      let resyncAfterMs: number | undefined;
      try {
        resyncAfterMs = await this.syncer.sync(w.state);
      } catch (e) {
        this.logger.error({ podUid: uid, err: (e as Error).stack ?? String(e) }, 'pod sync failed; will retry');
        resyncAfterMs = 1000;
      }
      if (resyncAfterMs !== undefined && !this.stopped) {
        w.timer = setTimeout(() => this.requestSync(uid), resyncAfterMs + 10);
        w.timer.unref();
      }
    } while (w.again && !this.stopped);
    w.running = false;
    if (w.state.finished) {
      if (w.timer !== undefined) clearTimeout(w.timer);
      this.workers.delete(uid);
      if (!w.state.removed) this.finished.add(uid);
    }
    if (![...this.workers.values()].some((x) => x.running)) {
      for (const resolve of this.idle) resolve();
      this.idle.clear();
    }
  }

  /** Resolves once no sync is running (tests, shutdown). */
  async settled(): Promise<void> {
    if (![...this.workers.values()].some((x) => x.running)) return;
    await new Promise<void>((resolve) => this.idle.add(resolve));
  }

  /** Stops syncing; containers keep running (they outlive the kubelet). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const w of this.workers.values()) if (w.timer !== undefined) clearTimeout(w.timer);
    await this.settled();
  }
}
