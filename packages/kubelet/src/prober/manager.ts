// The probe manager (upstream's prober_manager): a worker per container per probe, and the
// answers the pod worker asks of them: is the container started, is it ready, has it failed its
// liveness (or startup) probe so that it must be restarted. It learns which container runs from
// the pod worker (setContainerState after each sync) instead of reading the status manager, and
// tells it that an answer changed through onChange, which resyncs the pod.
//
// - Containers get workers for their startup, readiness and liveness probes; init containers only
//   when restartable (sidecars), as upstream. A pod's probes are fixed when it is first added.
// - started: running, and its startup probe has succeeded for this container (or it has none).
// - ready: started, and its readiness probe has succeeded for this container (or it has none).
// - A new container id starts its results over; its readiness probe runs at once, so that a
//   container with a passing probe is ready without waiting a period.
// - Every failed probe is a Warning Event `Unhealthy` (`Liveness probe failed: <output>`), as
//   upstream; a redirect not followed a `ProbeWarning`; a probe that could not run an `Unhealthy`
//   `... probe errored and resulted in unknown state: <error>` whose result is thrown away.
import type { Container, Pod } from '@kubets/api';
import { realClock, type Clock } from '@kubets/client/clock';
import type { Registry } from 'prom-client';
import type { ProberLogger } from './logger.js';
import { ProbeMetrics, probeTypeLabel } from './metrics.js';
import type { ExecFn, ProbeRun } from './probe-outcome.js';
import { runProbe } from './run-probe.js';
import { ProbeWorker } from './worker.js';
import type { ContainerRun, ProbeType } from './worker-state.js';

export type EventType = 'Normal' | 'Warning';

export interface ProbeManagerOptions {
  exec: ExecFn;
  clock?: Clock;
  logger: ProberLogger;
  /** For the first probe's jitter; Math.random by default. */
  random?: () => number;
  /** A probe result changed: the pod worker resyncs the pod. */
  onChange: (podUid: string) => void;
  recordEvent: (pod: Pod, type: EventType, reason: string, message: string) => void;
  /** Where prober_probe_total is registered. */
  registry: Registry;
}

interface ContainerEntry {
  container: Container;
  run: ContainerRun | undefined;
  workers: Map<ProbeType, ProbeWorker>;
}

interface PodEntry {
  pod: Pod;
  containers: Map<string, ContainerEntry>;
}

const probeTypes: readonly ProbeType[] = ['startup', 'readiness', 'liveness'];

export class ProbeManager {
  private readonly pods = new Map<string, PodEntry>();
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly metrics: ProbeMetrics;
  private readonly startedAt: number;

  constructor(private readonly o: ProbeManagerOptions) {
    this.clock = o.clock ?? realClock;
    this.random = o.random ?? Math.random;
    this.metrics = new ProbeMetrics(o.registry);
    this.startedAt = this.clock.now();
  }

  /** Starts the pod's workers; for a pod already added, only takes the newer object (its deletionTimestamp). */
  addPod(pod: Pod): void {
    const uid = podUid(pod);
    const known = this.pods.get(uid);
    if (known !== undefined) {
      known.pod = pod;
      return;
    }
    const entry: PodEntry = { pod, containers: new Map() };
    this.pods.set(uid, entry);
    for (const container of probedContainers(pod)) {
      const containerEntry: ContainerEntry = { container, run: undefined, workers: new Map() };
      entry.containers.set(container.name, containerEntry);
      for (const type of probeTypes) {
        if (probeOf(container, type) !== undefined) containerEntry.workers.set(type, this.startWorker(entry, containerEntry, type));
      }
    }
  }

  removePod(podUid: string): void {
    const entry = this.pods.get(podUid);
    if (entry === undefined) return;
    this.pods.delete(podUid);
    for (const c of entry.containers.values()) this.stopWorkers(entry, c);
  }

  /** What runs as the container now (after each sync); undefined when nothing runs. */
  setContainerState(podUid: string, containerName: string, state: ContainerRun | undefined): void {
    const c = this.pods.get(podUid)?.containers.get(containerName);
    if (c === undefined) {
      this.o.logger.debug({ podUid, containerName }, 'container state for a container the prober does not know');
      return;
    }
    const isNew = state !== undefined && state.containerId !== c.run?.containerId;
    c.run = state;
    for (const w of c.workers.values()) w.setContainer(state);
    if (isNew) c.workers.get('readiness')?.trigger();
  }

  isStarted(podUid: string, containerName: string): boolean {
    const c = this.pods.get(podUid)?.containers.get(containerName);
    if (c?.run === undefined) return false;
    const startup = c.workers.get('startup');
    return startup === undefined || startup.result(c.run.containerId) === 'success';
  }

  isReady(podUid: string, containerName: string): boolean {
    if (!this.isStarted(podUid, containerName)) return false;
    const c = this.pods.get(podUid)!.containers.get(containerName)!;
    const readiness = c.workers.get('readiness');
    return readiness === undefined || readiness.result(c.run!.containerId) === 'success';
  }

  /** Why the running container must be restarted, when its liveness or startup probe has failed. */
  livenessFailed(podUid: string, containerName: string): string | undefined {
    const c = this.pods.get(podUid)?.containers.get(containerName);
    if (c?.run === undefined) return undefined;
    for (const type of ['liveness', 'startup'] as const) {
      if (c.workers.get(type)?.result(c.run.containerId) === 'failure') return `Container ${containerName} failed ${type} probe, will be restarted`;
    }
    return undefined;
  }

  stop(): void {
    for (const uid of [...this.pods.keys()]) this.removePod(uid);
  }

  private startWorker(pod: PodEntry, c: ContainerEntry, type: ProbeType): ProbeWorker {
    const spec = probeOf(c.container, type)!;
    const periodMs = (spec.periodSeconds ?? 10) * 1000;
    // Upstream spreads the first probes over a period only while the kubelet has just started,
    // so that probes of adopted containers do not all come at once.
    const firstDelayMs = this.clock.now() - this.startedAt < periodMs ? Math.floor(this.random() * periodMs) : 0;
    const uid = podUid(pod.pod);
    const worker = new ProbeWorker({
      type,
      spec,
      clock: this.clock,
      logger: this.o.logger,
      firstDelayMs,
      isStarted: () => this.isStarted(uid, c.container.name),
      isDeleting: () => pod.pod.metadata?.deletionTimestamp != null,
      probe: (run) => this.probe(pod, c, type, run),
      onResult: () => this.o.onChange(uid),
    });
    worker.start();
    return worker;
  }

  private stopWorkers(pod: PodEntry, c: ContainerEntry): void {
    for (const w of c.workers.values()) {
      w.stop();
      this.metrics.forget(w.type, podRef(pod.pod), c.container.name);
    }
  }

  private async probe(pod: PodEntry, c: ContainerEntry, type: ProbeType, run: ContainerRun): Promise<'success' | 'failure' | undefined> {
    const spec = probeOf(c.container, type)!;
    let outcome: ProbeRun;
    try {
      outcome = await runProbe(spec, { exec: this.o.exec, containerId: run.containerId, podIP: run.podIP, container: c.container });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.o.logger.info({ err, pod: podRef(pod.pod), container: c.container.name, probeType: type }, 'probe errored');
      this.metrics.count(type, 'unknown', podRef(pod.pod), c.container.name);
      this.o.recordEvent(pod.pod, 'Warning', 'Unhealthy', `${probeTypeLabel(type)} probe errored and resulted in unknown state: ${message}`);
      return undefined;
    }
    return this.judge(pod, c, type, outcome);
  }

  private judge(pod: PodEntry, c: ContainerEntry, type: ProbeType, run: ProbeRun): 'success' | 'failure' {
    const name = c.container.name;
    switch (run.outcome) {
      case 'success':
        this.metrics.count(type, 'successful', podRef(pod.pod), name);
        return 'success';
      case 'warning':
        this.metrics.count(type, 'successful', podRef(pod.pod), name);
        this.o.recordEvent(pod.pod, 'Warning', 'ProbeWarning', `${probeTypeLabel(type)} probe warning: ${run.output}`);
        return 'success';
      case 'failure':
        this.metrics.count(type, 'failed', podRef(pod.pod), name);
        this.o.logger.debug({ pod: podRef(pod.pod), container: name, probeType: type, output: run.output }, 'probe failed');
        this.o.recordEvent(pod.pod, 'Warning', 'Unhealthy', `${probeTypeLabel(type)} probe failed: ${run.output}`);
        return 'failure';
      case 'unknown':
        this.metrics.count(type, 'unknown', podRef(pod.pod), name);
        return 'failure';
    }
  }
}

function podUid(pod: Pod): string {
  return pod.metadata?.uid ?? '';
}

function podRef(pod: Pod): { name: string; namespace: string } {
  return { name: pod.metadata?.name ?? '', namespace: pod.metadata?.namespace ?? '' };
}

/** The app containers and the restartable init containers (sidecars): the ones probes apply to. */
function probedContainers(pod: Pod): Container[] {
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  return [...(pod.spec?.containers ?? []), ...sidecars];
}

function probeOf(container: Container, type: ProbeType) {
  if (type === 'startup') return container.startupProbe;
  return type === 'readiness' ? container.readinessProbe : container.livenessProbe;
}
