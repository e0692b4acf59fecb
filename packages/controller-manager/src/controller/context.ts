// What every controller is built from, as kube-controller-manager's ControllerContext: the
// client, the shared informers (one list and watch per resource for all controllers), the
// options, a clock, a logger, an event recorder per controller and workqueues that report
// upstream's workqueue metrics.

import {
  type Clock,
  EventRecorder,
  type KubeClient,
  RateLimitingQueue,
  type RateLimiter,
  realClock,
  SharedInformerFactory,
} from '@kubets/client';
import { defaultOptions, type ControllerManagerOptions } from './options.js';
import { noQueueMetrics, type QueueMetricsFactory } from './queue-metrics.js';

/** The logging calls controllers make; pino's Logger is one. */
export interface ControllerLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ControllerContext {
  readonly client: KubeClient;
  readonly informers: SharedInformerFactory;
  readonly options: ControllerManagerOptions;
  readonly clock: Clock;
  readonly logger: ControllerLogger;
  /** The recorder for Events from one controller (source.component), e.g. `replicaset-controller`. */
  recorder(component: string): EventRecorder;
  /** A workqueue that reports workqueue_* metrics under `name`, as upstream names its queues. */
  newQueue(name: string, rateLimiter?: RateLimiter<string>): RateLimitingQueue<string>;
}

export interface ContextOptions {
  client: KubeClient;
  options?: Partial<ControllerManagerOptions>;
  clock?: Clock;
  logger?: ControllerLogger;
  queueMetrics?: QueueMetricsFactory;
  /** Informers' resync period; none by default (controllers requeue what they need themselves). */
  resyncPeriodMs?: number;
}

export const silentLogger: ControllerLogger = { debug() {}, info() {}, warn() {}, error() {} };

export function createControllerContext(o: ContextOptions): ControllerContext & { shutdown(): Promise<void> } {
  const clock = o.clock ?? realClock;
  const logger = o.logger ?? silentLogger;
  const queueMetrics = o.queueMetrics ?? noQueueMetrics;
  const informers = new SharedInformerFactory(o.client, o.resyncPeriodMs !== undefined ? { resyncPeriodMs: o.resyncPeriodMs } : {});
  const recorders = new Map<string, EventRecorder>();
  const queues: RateLimitingQueue<string>[] = [];
  return {
    client: o.client,
    informers,
    options: { ...defaultOptions(), ...o.options },
    clock,
    logger,
    recorder(component) {
      let r = recorders.get(component);
      if (r === undefined) {
        r = new EventRecorder({ client: o.client, component, clock, logger });
        recorders.set(component, r);
      }
      return r;
    },
    newQueue(name, rateLimiter) {
      const metrics = queueMetrics.sinksFor(name);
      const q = new RateLimitingQueue<string>({ name, clock, ...(metrics !== undefined ? { metrics } : {}), ...(rateLimiter !== undefined ? { rateLimiter } : {}) });
      queueMetrics.track(q as RateLimitingQueue<unknown>);
      queues.push(q);
      return q;
    },
    async shutdown() {
      for (const q of queues) q.shutDown();
      await informers.shutdown();
      await Promise.all([...recorders.values()].map((r) => r.shutdown()));
    },
  };
}
