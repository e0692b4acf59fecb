// The status manager (pkg/kubelet/status/status_manager.go): pod workers hand it the status they
// computed; it writes a pod's status to the API only when it differs from what it last wrote (or
// what the API has), one write per pod at a time, the newest status winning, and retries in the
// background when the API cannot be reached. Writes carry the pod's uid, so a status never lands
// on a newer pod of the same name.
import type { Pod, PodStatus } from '@kubets/api';
import { isInvalid, isNotFound, type KubeClient } from '@kubets/client';

export interface StatusLogger {
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

interface Entry {
  namespace: string;
  name: string;
  uid: string;
  /** What we want the API to have; undefined once written. */
  pending?: PodStatus;
  /** What we last wrote (or found in the API): JSON, for comparison. */
  written?: string;
  writing: boolean;
}

export class StatusManager {
  private readonly entries = new Map<string, Entry>();
  private readonly idle = new Set<() => void>();
  private stopped = false;

  constructor(
    private readonly client: KubeClient,
    private readonly logger: StatusLogger,
    private readonly retryMs = 1000,
  ) {}

  /** The status a pod should have; written if it differs from the last one written. */
  setPodStatus(pod: Pod, status: PodStatus): void {
    const uid = pod.metadata?.uid ?? '';
    let entry = this.entries.get(uid);
    if (entry === undefined) {
      entry = { namespace: pod.metadata?.namespace ?? 'default', name: pod.metadata?.name ?? '', uid, writing: false, written: JSON.stringify(pod.status ?? {}) };
      this.entries.set(uid, entry);
    }
    if (JSON.stringify(status) === entry.written) {
      entry.pending = undefined;
      return;
    }
    entry.pending = status;
    this.kick(entry);
  }

  /** Forgets a pod that is gone: nothing more is written for it. */
  removePod(uid: string): void {
    this.entries.delete(uid);
  }

  /** Resolves once no write is pending or running (tests, shutdown). */
  async flush(): Promise<void> {
    if (![...this.entries.values()].some((e) => e.pending !== undefined || e.writing)) return;
    await new Promise<void>((resolve) => this.idle.add(resolve));
  }

  stop(): void {
    this.stopped = true;
  }

  private kick(entry: Entry): void {
    if (entry.writing || this.stopped) return;
    entry.writing = true;
    void this.writeLoop(entry).finally(() => {
      entry.writing = false;
      if (![...this.entries.values()].some((e) => e.pending !== undefined || e.writing)) {
        for (const resolve of this.idle) resolve();
        this.idle.clear();
      }
    });
  }

  private async writeLoop(entry: Entry): Promise<void> {
    while (entry.pending !== undefined && !this.stopped && this.entries.get(entry.uid) === entry) {
      const status = entry.pending;
      try {
        await this.client.patchStatus('pods', entry.namespace, entry.name, { metadata: { uid: entry.uid }, status }, { type: 'merge' });
        entry.written = JSON.stringify(status);
        if (entry.pending === status) entry.pending = undefined;
      } catch (e) {
        if (isNotFound(e) || isInvalid(e)) {
          this.logger.debug({ pod: `${entry.namespace}/${entry.name}`, err: (e as Error).message }, 'pod is gone or was replaced: status not written');
          entry.pending = undefined;
          return;
        }
        this.logger.warn({ pod: `${entry.namespace}/${entry.name}`, err: (e as Error).message }, 'failed to update pod status; will retry');
        await new Promise((r) => setTimeout(r, this.retryMs));
      }
    }
  }
}
