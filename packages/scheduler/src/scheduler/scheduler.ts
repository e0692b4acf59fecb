// The scheduler, as upstream's Scheduler (pkg/scheduler/scheduler.go, schedule_one.go): pods come
// from the queue one at a time; each cycle runs synchronously against the cache and ends by
// assuming the pod on its node; the binding then runs in the background while the next cycle
// starts. A failed cycle parks the pod in the queue, writes PodScheduled=False and an Event.

import { ApiError } from '@kubets/api';
import type { KubeClient } from '@kubets/client';
import type { Clock } from '@kubets/client/clock';
import { realClock } from '@kubets/client/clock';
import { SchedulerCache } from '../cache/cache.js';
import { FitError } from '../core/fit-error.js';
import { PodScheduler, SchedulingError } from '../core/schedule-pod.js';
import { podKey } from '../framework/node-info.js';
import type { Framework } from '../framework/runtime.js';
import type { Pod } from '../framework/types.js';
import type { AttemptResult, SchedulerMetrics } from '../metrics.js';
import { SchedulingQueue } from '../queue/scheduling-queue.js';
import type { QueuedPodInfo } from '../queue/queued-pod.js';
import { unscheduledCondition, updatePodCondition } from './pod-condition.js';
import type { Recorder } from './recorder.js';

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

export interface SchedulerOptions {
  client: KubeClient;
  /** One framework per profile, by schedulerName. */
  profiles: Map<string, Framework>;
  recorder: Recorder;
  logger: Logger;
  metrics?: SchedulerMetrics;
  clock?: Clock;
  percentageOfNodesToScore?: number;
  podInitialBackoffMs?: number;
  podMaxBackoffMs?: number;
  /** The pod as the informer has it now (undefined once deleted): a failed pod is requeued only if still unscheduled. */
  currentPod?: (key: string) => Pod | undefined;
  namespaceLabels?: (ns: string) => Record<string, string> | undefined;
}

/** How long a run of cycles may hold the event loop before letting I/O (binds, watches) through. */
const yieldEveryMs = 5;

export class Scheduler {
  readonly queue: SchedulingQueue;
  readonly cache: SchedulerCache;
  private readonly podScheduler: PodScheduler;
  private readonly clock: Clock;
  private readonly inFlightBinds = new Set<Promise<void>>();

  constructor(private readonly o: SchedulerOptions) {
    this.clock = o.clock ?? realClock;
    this.queue = new SchedulingQueue({
      clock: this.clock,
      ...(o.podInitialBackoffMs !== undefined ? { initialBackoffMs: o.podInitialBackoffMs } : {}),
      ...(o.podMaxBackoffMs !== undefined ? { maxBackoffMs: o.podMaxBackoffMs } : {}),
      onIncoming: (queue, event) => o.metrics?.incomingPods.inc({ queue, event }),
    });
    this.cache = new SchedulerCache({
      clock: this.clock,
      onExpired: (pod) => o.logger.warn({ pod: podKey(pod), node: pod.spec.nodeName }, 'assumed pod expired without its binding being confirmed'),
    });
    this.podScheduler = new PodScheduler(o.percentageOfNodesToScore ?? 0);
  }

  /** Whether this scheduler places the pod: unbound, not being deleted, and one of its profiles'. */
  responsibleFor(pod: Pod): boolean {
    return this.o.profiles.has(pod.spec.schedulerName ?? 'default-scheduler');
  }

  /** Runs cycles until the signal aborts; then waits for the bindings in flight. */
  async run(signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => this.queue.close(), { once: true });
    let lastYield = performance.now();
    for (;;) {
      const info = await this.queue.pop();
      if (info === undefined) break;
      this.scheduleOne(info);
      if (performance.now() - lastYield > yieldEveryMs) {
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
    }
    await Promise.allSettled([...this.inFlightBinds]);
    this.cache.close();
  }

  /** One scheduling cycle: synchronous up to the assume, then the bind in the background. */
  scheduleOne(info: QueuedPodInfo): void {
    const pod = info.pod;
    const profile = pod.spec.schedulerName ?? 'default-scheduler';
    const fwk = this.o.profiles.get(profile);
    if (fwk === undefined || pod.metadata.deletionTimestamp !== undefined || this.cache.isAssumed(info.key)) return;
    const start = performance.now();
    const cycle = this.queue.schedulingCycle;
    let host: string;
    try {
      host = this.podScheduler.schedule(fwk, pod, this.cache.snapshot(this.o.namespaceLabels)).suggestedHost;
    } catch (err) {
      this.handleFailure(fwk, info, err, cycle, start);
      return;
    }
    const assumed: Pod = { ...pod, spec: { ...pod.spec, nodeName: host } };
    this.cache.assumePod(assumed);
    const bind = this.bind(fwk, info, assumed, start).finally(() => this.inFlightBinds.delete(bind));
    this.inFlightBinds.add(bind);
  }

  private async bind(fwk: Framework, info: QueuedPodInfo, assumed: Pod, start: number): Promise<void> {
    const { namespace = 'default', name, uid } = assumed.metadata;
    const node = assumed.spec.nodeName!;
    const bindStart = performance.now();
    try {
      await this.o.client.bind(namespace, name, {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name, namespace, ...(uid !== undefined ? { uid } : {}) },
        target: { apiVersion: 'v1', kind: 'Node', name: node },
      });
    } catch (err) {
      this.cache.forgetPod(assumed);
      this.handleFailure(fwk, info, err, this.queue.schedulingCycle, start, 'Binding rejected: ');
      return;
    }
    this.cache.finishBinding(assumed);
    this.o.metrics?.bindingDuration.observe((performance.now() - bindStart) / 1000);
    this.observe('scheduled', fwk, start);
    this.o.metrics?.sliDuration.observe({ attempts: String(info.attempts) }, (this.clock.now() - info.initialAttemptTimestamp) / 1000);
    this.o.recorder.event(podObject(assumed), 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${node}`);
  }

  /**
   * As upstream's handleSchedulingFailure: an Event and the PodScheduled condition say why; the pod
   * waits in the queue (parked for the events its rejecting plugins registered, or backing off
   * after an error) unless it was deleted or bound meanwhile.
   */
  private handleFailure(fwk: Framework, info: QueuedPodInfo, err: unknown, cycle: number, start: number, prefix = ''): void {
    const fit = err instanceof FitError;
    const result: AttemptResult = fit ? 'unschedulable' : 'error';
    this.observe(result, fwk, start);
    info.unschedulablePlugins = fit ? new Set(err.diagnosis.unschedulablePlugins) : new Set();
    const message = prefix + (err instanceof Error ? err.message : String(err));
    if (!fit && !(err instanceof SchedulingError)) this.o.logger.warn({ pod: info.key, err: message }, 'error scheduling pod; retrying');
    if (isGone(err)) return;
    const current = this.o.currentPod ? this.o.currentPod(info.key) : info.pod;
    if (current === undefined || (current.spec.nodeName ?? '') !== '') return;
    info.pod = current;
    this.queue.addUnschedulable(info, cycle);
    this.o.recorder.event(podObject(current), 'Warning', 'FailedScheduling', message);
    const condition = unscheduledCondition(fit ? 'Unschedulable' : 'SchedulerError', message);
    updatePodCondition(this.o.client, current, condition).catch((e: unknown) => {
      this.o.logger.debug({ pod: info.key, err: String(e) }, 'could not write the PodScheduled condition');
    });
  }

  private observe(result: AttemptResult, fwk: Framework, start: number): void {
    this.o.metrics?.attempts.inc({ result, profile: fwk.profileName });
    this.o.metrics?.attemptDuration.observe({ result, profile: fwk.profileName }, (performance.now() - start) / 1000);
  }
}

/** The pod was deleted, or is already bound (to this node by an earlier try, or by another scheduler). */
function isGone(err: unknown): boolean {
  if (!(err instanceof ApiError)) return false;
  const code = err.status.code;
  return code === 404 || (code === 409 && /already assigned|being deleted|UID in precondition/.test(err.message));
}

const podObject = (pod: Pod) => ({ apiVersion: 'v1', kind: 'Pod', metadata: pod.metadata });
