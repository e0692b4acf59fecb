// One sync of one pod: carries out what computePodActions decided (upstream's SyncPod), or, for a
// pod being deleted, stops its containers within the grace period and cleans up (SyncTerminatingPod,
// SyncTerminatedPod). Every failure becomes a waiting reason and an Event; nothing here throws.
import { rm } from 'node:fs/promises';
import type { Container, Pod, PodStatus } from '@kubets/api';
import { ContainerConfigError } from '../container/errors.js';
import { containerLogRelativePath, podLogDirectory } from '../logs/paths.js';
import { RuntimeError, type ContainerConfig, type ContainerStatus } from '../runtime/types.js';
import { generatePodStatus } from '../status/generate.js';
import { VolumeError } from '../volumes/types.js';
import { computePodActions, type ContainerToStart } from './actions.js';
import type { PodSyncDeps } from './deps.js';
import { gracePeriodAnnotation, gracePeriodSeconds, type PodWorkState, podKey } from './pod-state.js';
import { backoffKey, isExited, latestRun, type PodRuntimeState } from './runtime-state.js';

/** How soon a pod whose sandbox could not be made (no pod CIDR yet, a volume missing) is tried again. */
const sandboxRetryMs = 2000;

export class PodSyncer {
  readonly lastStatus = new Map<string, PodStatus>();

  constructor(private readonly d: PodSyncDeps) {}

  runtimeState(uid: string): PodRuntimeState {
    const sandboxes = this.d.runtime.listPodSandboxes().filter((s) => s.config.uid === uid);
    const sandbox = sandboxes.find((s) => s.state === 'ready') ?? sandboxes[0];
    return { ...(sandbox !== undefined ? { sandbox } : {}), containers: this.d.runtime.listContainers({ podUid: uid }) };
  }

  /** Returns when to sync again (ms), if a back-off or a retry needs it. */
  async sync(w: PodWorkState): Promise<number | undefined> {
    if (w.removed || w.pod.metadata?.deletionTimestamp !== undefined) {
      await this.terminate(w);
      return undefined;
    }
    const state = this.runtimeState(w.uid);
    if (w.terminal) {
      // A finished pod's status stands; it is only brought up to date from containers we still have
      // (a kubelet reset since then has none, and must not turn Completed back into ContainerCreating).
      if (state.containers.length > 0) this.writeStatus(w, state);
      return undefined;
    }
    const actions = computePodActions(w.pod, state, this.decisionContext(w));
    w.waiting = actions.waiting;
    this.reportBackOffs(w);
    if (actions.createSandbox && !(await this.createSandbox(w, state))) {
      this.writeStatus(w, this.runtimeState(w.uid));
      return sandboxRetryMs;
    }
    if (!actions.createSandbox) await this.refreshVolumes(w);
    const grace = gracePeriodSeconds(w.pod);
    for (const k of actions.kill) await this.killContainer(w, k.containerId, k.name, k.message, grace);
    const sandboxId = actions.start.length > 0 ? this.runtimeState(w.uid).sandbox?.id : undefined;
    if (sandboxId !== undefined) for (const s of actions.start) await this.startContainer(w, sandboxId, s, state);
    const after = this.runtimeState(w.uid);
    this.updateProbes(w, after);
    const status = this.writeStatus(w, after);
    if (status.phase === 'Succeeded' || status.phase === 'Failed') w.terminal = true;
    await this.removeOldRuns(after);
    return actions.resyncAfterMs;
  }

  /** One BackOff Event per back-off period of a container, not one per sync. */
  private reportBackOffs(w: PodWorkState): void {
    const pod = w.pod;
    for (const [name, waiting] of Object.entries(w.waiting)) {
      if (waiting.reason !== 'CrashLoopBackOff' || w.backOffsReported.get(name) === waiting.message) continue;
      w.backOffsReported.set(name, waiting.message ?? '');
      this.d.events.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${name} in pod ${pod.metadata?.name}_${pod.metadata?.namespace}(${w.uid})`);
    }
  }

  private decisionContext(w: PodWorkState) {
    const d = this.d;
    const now = d.now();
    return {
      nowMs: now,
      backoffRemainingMs: (key: string, eventMs: number) => d.backoff.remainingMs(key, eventMs, now),
      backoffMs: (key: string) => d.backoff.current(key),
      livenessFailure: (name: string) => d.probes.livenessFailed(w.uid, name),
      startFailures: w.startFailures,
    };
  }

  private async createSandbox(w: PodWorkState, state: PodRuntimeState): Promise<boolean> {
    const pod = w.pod;
    try {
      await this.d.volumes.setUpPod(pod);
      const address = await this.d.network.setUpPod({ uid: w.uid, namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '' });
      if (state.sandbox !== undefined) await this.d.runtime.removePodSandbox(state.sandbox.id);
      await this.d.runtime.runPodSandbox({
        uid: w.uid,
        name: pod.metadata?.name ?? '',
        namespace: pod.metadata?.namespace ?? '',
        attempt: state.sandbox === undefined ? 0 : state.sandbox.config.attempt + 1,
        hostname: (pod.spec?.hostname ?? pod.metadata?.name ?? '').slice(0, 63),
        podIP: address.ip,
        logDirectory: podLogDirectory(this.d.rootDir, pod.metadata?.namespace ?? '', pod.metadata?.name ?? '', w.uid),
        labels: pod.metadata?.labels ?? {},
        annotations: pod.metadata?.annotations ?? {},
      });
      return true;
    } catch (e) {
      const reason = e instanceof VolumeError ? e.reason : 'FailedCreatePodSandBox';
      const message = e instanceof VolumeError ? e.message : `Failed to create pod sandbox: ${(e as Error).message}`;
      this.d.events.event(pod, 'Warning', reason, message);
      this.d.logger.warn({ pod: podKey(pod), err: (e as Error).message }, 'pod sandbox not made; will retry');
      return false;
    }
  }

  /** ConfigMap, Secret and downward API files follow their sources (an atomic swap when they changed). */
  private async refreshVolumes(w: PodWorkState): Promise<void> {
    try {
      await this.d.volumes.refreshPod(w.pod);
    } catch (e) {
      const reason = e instanceof VolumeError ? e.reason : 'FailedMount';
      this.d.events.event(w.pod, 'Warning', reason, (e as Error).message);
    }
  }

  private fail(w: PodWorkState, container: Container, reason: string, message: string): void {
    const now = this.d.now();
    w.startFailures.set(container.name, { reason, message, atMs: now });
    w.waiting[container.name] = { reason, message };
    this.d.backoff.next(backoffKey(w.uid, container.name), now);
    this.d.events.event(w.pod, 'Warning', 'Failed', message);
    this.d.events.event(w.pod, 'Warning', 'Failed', `Error: ${reason}`);
  }

  private async containerConfig(w: PodWorkState, s: ContainerToStart, podIPs: string[]): Promise<ContainerConfig> {
    const { container } = s;
    const env = await this.d.env.environment(w.pod, container, podIPs);
    return {
      name: container.name,
      attempt: s.attempt,
      image: container.image ?? '',
      command: this.d.env.expand(container.command, env),
      args: this.d.env.expand(container.args, env),
      env,
      ...(container.workingDir !== undefined ? { workingDir: container.workingDir } : {}),
      mounts: this.d.volumes.containerMounts(w.pod, container, env),
      logPath: containerLogRelativePath(container.name, s.attempt),
      labels: { 'io.kubernetes.pod.uid': w.uid, 'io.kubernetes.container.name': container.name },
      annotations: { 'io.kubernetes.container.restartCount': String(s.attempt), [gracePeriodAnnotation]: String(gracePeriodSeconds(w.pod)) },
    };
  }

  private async startContainer(w: PodWorkState, sandboxId: string, s: ContainerToStart, before: PodRuntimeState): Promise<void> {
    const { container } = s;
    const podIPs = this.d.network.podAddress(w.uid)?.ips ?? [];
    let id: string;
    try {
      const config = await this.containerConfig(w, s, podIPs);
      id = await this.d.runtime.createContainer(sandboxId, config);
      this.d.events.event(w.pod, 'Normal', 'Pulled', `Container image "${container.image}" already present on machine`);
      this.d.events.event(w.pod, 'Normal', 'Created', `Created container: ${container.name}`);
      await this.d.runtime.startContainer(id);
    } catch (e) {
      const reason = e instanceof RuntimeError || e instanceof ContainerConfigError ? e.reason : 'RunContainerError';
      this.fail(w, container, reason, (e as Error).message);
      return;
    }
    this.d.events.event(w.pod, 'Normal', 'Started', `Started container ${container.name}`);
    w.startFailures.delete(container.name);
    delete w.waiting[container.name];
    const previous = latestRun(before, container.name);
    if (previous !== undefined && isExited(previous)) this.d.backoff.next(backoffKey(w.uid, container.name), previous.finishedAt);
    await this.postStart(w, container, id, podIPs[0] ?? '');
  }

  private async postStart(w: PodWorkState, container: Container, id: string, podIP: string): Promise<void> {
    const hook = container.lifecycle?.postStart;
    if (hook === undefined) return;
    const message = await this.d.runHook(hook, { pod: w.pod, container, containerId: id, podIP, timeoutMs: gracePeriodSeconds(w.pod) * 1000 });
    if (message === undefined) return;
    this.d.events.event(w.pod, 'Warning', 'FailedPostStartHook', message);
    await this.killContainer(w, id, container.name, `FailedPostStartHook`, gracePeriodSeconds(w.pod));
  }

  /** preStop (within the grace period), then SIGTERM and SIGKILL after what is left of it. */
  private async killContainer(w: PodWorkState, id: string, name: string, message: string, graceSeconds: number): Promise<void> {
    this.d.events.event(w.pod, 'Normal', 'Killing', message);
    const started = this.d.now();
    const container = [...(w.pod.spec?.initContainers ?? []), ...(w.pod.spec?.containers ?? [])].find((c) => c.name === name);
    const preStop = container?.lifecycle?.preStop;
    if (preStop !== undefined && container !== undefined && graceSeconds > 0) {
      const podIP = this.d.network.podAddress(w.uid)?.ip ?? '';
      const failed = await this.d.runHook(preStop, { pod: w.pod, container, containerId: id, podIP, timeoutMs: graceSeconds * 1000 });
      if (failed !== undefined) this.d.events.event(w.pod, 'Warning', 'FailedPreStopHook', failed);
    }
    const left = Math.max(0, graceSeconds - Math.floor((this.d.now() - started) / 1000));
    try {
      await this.d.runtime.stopContainer(id, left);
    } catch (e) {
      this.d.logger.error({ pod: podKey(w.pod), container: name, err: (e as Error).message }, 'failed to stop container');
    }
  }

  private updateProbes(w: PodWorkState, state: PodRuntimeState): void {
    this.d.probes.addPod(w.pod);
    const podIP = this.d.network.podAddress(w.uid)?.ip ?? '';
    for (const c of w.pod.spec?.containers ?? []) {
      const run = latestRun(state, c.name);
      this.d.probes.setContainerState(w.uid, c.name, run?.state === 'running' ? { containerId: run.id, startedAt: run.startedAt, podIP } : undefined);
    }
  }

  writeStatus(w: PodWorkState, state: PodRuntimeState, terminating = false): PodStatus {
    const previous = this.lastStatus.get(w.uid) ?? w.pod.status;
    const pod: Pod = { ...w.pod, ...(previous !== undefined ? { status: previous } : {}) };
    const status = generatePodStatus({
      pod,
      state,
      waiting: w.waiting,
      isReady: (name) => this.d.probes.isReady(w.uid, name),
      isStarted: (name) => this.d.probes.isStarted(w.uid, name),
      podIPs: this.d.network.podAddress(w.uid)?.ips ?? [],
      hostIPs: this.d.hostIPs(),
      runtimeName: this.d.runtime.version().runtimeName,
      now: new Date(this.d.now()),
      terminating,
    });
    if (terminating && status.phase !== 'Succeeded' && status.phase !== 'Failed') {
      const all = state.containers.filter((c) => (w.pod.spec?.containers ?? []).some((s) => s.name === c.name));
      status.phase = all.length > 0 && all.every((c) => c.exitCode === 0) ? 'Succeeded' : 'Failed';
    }
    this.lastStatus.set(w.uid, status);
    this.d.status.setPodStatus(pod, status);
    return status;
  }

  /** Keeps the latest two runs of each container (for lastState and logs --previous); removes older ones. */
  private async removeOldRuns(state: PodRuntimeState): Promise<void> {
    const byName = new Map<string, ContainerStatus[]>();
    for (const c of state.containers) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
    for (const runs of byName.values()) {
      const old = runs.sort((a, b) => b.attempt - a.attempt).slice(2).filter(isExited);
      for (const c of old) await this.d.runtime.removeContainer(c.id);
    }
  }

  /** Stops every container of a pod being deleted, writes its last status, deletes it and cleans up. */
  async terminate(w: PodWorkState): Promise<void> {
    if (w.finished) return;
    const grace = gracePeriodSeconds(w.pod);
    const state = this.runtimeState(w.uid);
    const live = state.containers.filter((c) => !isExited(c));
    await Promise.all(live.map((c) => this.killContainer(w, c.id, c.name, `Stopping container ${c.name}`, grace)));
    w.waiting = {};
    w.terminal = true;
    const after = this.runtimeState(w.uid);
    if (!w.removed) this.writeStatus(w, after, true);
    await this.cleanUp(w.uid, after);
    if (!w.removed) await this.deletePodObject(w);
    w.finished = true;
  }

  async cleanUp(uid: string, state: PodRuntimeState): Promise<void> {
    const d = this.d;
    d.probes.removePod(uid);
    try {
      await d.network.tearDownPod(uid);
      for (const c of state.containers) await d.runtime.removeContainer(c.id);
      for (const s of d.runtime.listPodSandboxes().filter((x) => x.config.uid === uid)) {
        await d.runtime.removePodSandbox(s.id);
        await rm(s.config.logDirectory, { recursive: true, force: true }); // the pod's logs go with it, as upstream's
      }
      await d.volumes.tearDownPod(uid);
    } catch (e) {
      d.logger.error({ podUid: uid, err: (e as Error).message }, 'failed to clean up pod');
    }
    d.backoff.gc(d.now(), `${uid}/`);
    this.lastStatus.delete(uid);
  }

  /** The kubelet finishes a graceful deletion: the object goes once every container is gone. */
  private async deletePodObject(w: PodWorkState): Promise<void> {
    await this.d.status.flush();
    await this.d.deletePod(w.pod);
    this.d.status.removePod(w.uid);
  }
}
