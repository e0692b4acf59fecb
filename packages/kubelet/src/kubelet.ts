// The kubelet's sync loop, put together: pods bound to this node come from one informer (a field
// selector on spec.nodeName) and go to the pod workers; the runtime's container events and the
// probes' results ask for syncs; a periodic resync refreshes volumes and catches anything missed;
// housekeeping stops what no pod owns any more (pods deleted while the kubelet was down).
import type { Pod } from '@kubets/api';
import { Informer, isNotFound, isConflict, isInvalid, type KubeClient } from '@kubets/client';
import type { PodNetwork } from './network/pod-network.js';
import { Backoff } from './pod/backoff.js';
import type { ContainerEnvironment, PodEvents, ProbeResults, RunHook } from './pod/deps.js';
import { recordedGracePeriodSeconds } from './pod/pod-state.js';
import { PodSyncer } from './pod/sync.js';
import { PodWorkers } from './pod/workers.js';
import type { RuntimeService } from './runtime/types.js';
import { StatusManager } from './status/manager.js';
import type { VolumeManager } from './volumes/types.js';

export interface KubeletLogger {
  info(o: object, m: string): void;
  warn(o: object, m: string): void;
  error(o: object, m: string): void;
  debug(o: object, m: string): void;
}

export interface KubeletParts {
  client: KubeClient;
  nodeName: string;
  rootDir: string;
  hostIPs(): string[];
  runtime: RuntimeService;
  network: PodNetwork;
  volumes: VolumeManager;
  /** Made with the kubelet's requestSync, so that a probe result can ask for one. */
  probes: (requestSync: (podUid: string) => void) => ProbeResults;
  env: ContainerEnvironment;
  runHook: RunHook;
  events: PodEvents;
  logger: KubeletLogger;
  /** --sync-frequency: how often every pod is synced even when nothing asked for it. */
  syncFrequencyMs: number;
  housekeepingIntervalMs?: number;
}

export class Kubelet {
  readonly workers: PodWorkers;
  private readonly syncer: PodSyncer;
  private readonly status: StatusManager;
  private readonly informer: Informer<Pod>;
  private readonly timers: NodeJS.Timeout[] = [];
  private unsubscribe?: () => void;
  private housekeepingRuns = false;

  constructor(private readonly p: KubeletParts) {
    this.status = new StatusManager(p.client, p.logger);
    const probes = p.probes((uid) => this.workers.requestSync(uid));
    this.syncer = new PodSyncer({
      nodeName: p.nodeName,
      rootDir: p.rootDir,
      runtime: p.runtime,
      network: p.network,
      volumes: p.volumes,
      probes,
      status: this.status,
      events: p.events,
      env: p.env,
      runHook: p.runHook,
      backoff: new Backoff(),
      hostIPs: p.hostIPs,
      now: () => Date.now(),
      logger: p.logger,
      deletePod: (pod) => this.deletePod(pod),
    });
    this.workers = new PodWorkers(this.syncer, p.logger);
    this.informer = new Informer<Pod>(p.client, 'pods', { fieldSelector: `spec.nodeName=${p.nodeName}` });
  }

  async start(): Promise<void> {
    await this.p.runtime.recover();
    this.unsubscribe = this.p.runtime.onEvent((e) => this.workers.requestSync(e.podUid));
    this.informer.addEventHandler({
      onAdd: (pod) => this.workers.update(pod),
      onUpdate: (_old, pod) => this.workers.update(pod),
      onDelete: (pod) => this.workers.remove(pod.metadata?.uid ?? ''),
    });
    this.informer.start();
    await this.informer.waitForSync();
    await this.housekeeping();
    const every = (ms: number, fn: () => unknown) => {
      const t = setInterval(fn, ms);
      t.unref();
      this.timers.push(t);
    };
    every(this.p.syncFrequencyMs, () => this.workers.syncAll());
    every(this.p.housekeepingIntervalMs ?? 2000, () => void this.housekeeping());
  }

  /** Stops what belongs to no pod this kubelet knows: pods deleted (or moved) while it was down. */
  private async housekeeping(): Promise<void> {
    if (this.housekeepingRuns) return; // an orphan's grace period may outlast the interval
    this.housekeepingRuns = true;
    try {
      await this.stopOrphans();
    } finally {
      this.housekeepingRuns = false;
    }
  }

  private async stopOrphans(): Promise<void> {
    const orphans = new Set(this.p.runtime.listPodSandboxes().map((s) => s.config.uid).filter((uid) => !this.workers.has(uid)));
    for (const uid of orphans) {
      const state = this.syncer.runtimeState(uid);
      for (const c of state.containers.filter((x) => x.state === 'running')) {
        await this.p.runtime.stopContainer(c.id, recordedGracePeriodSeconds(c)).catch((e: Error) => this.p.logger.error({ podUid: uid, err: e.message }, 'failed to stop an orphaned container'));
      }
      this.p.logger.info({ podUid: uid }, 'cleaned up a pod that is no longer bound to this node');
      await this.syncer.cleanUp(uid, this.syncer.runtimeState(uid));
    }
  }

  private async deletePod(pod: Pod): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    try {
      await this.p.client.delete('pods', pod.metadata?.namespace, pod.metadata?.name ?? '', { gracePeriodSeconds: 0, preconditions: { uid } });
    } catch (e) {
      if (isNotFound(e) || isConflict(e) || isInvalid(e)) return;
      this.p.logger.warn({ pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, err: (e as Error).message }, 'failed to delete the terminated pod');
    }
  }

  /** The pods this kubelet runs, with the status it last computed for each (what /pods and the log server show). */
  pods(): Pod[] {
    return this.workers.pods().map((pod) => {
      const status = this.syncer.lastStatus.get(pod.metadata?.uid ?? '');
      return status === undefined ? pod : { ...pod, status };
    });
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.unsubscribe?.();
    await this.informer.stop();
    await this.workers.stop();
    await this.status.flush();
    this.status.stop();
  }
}
