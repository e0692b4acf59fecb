// The userspace data path: kube-proxy's original mode, done carefully. Each sync turns the
// snapshot into a listen plan, closes the listeners no longer planned, binds the new ones (or
// stands by where another proxy on the host holds the address), and gives every Service port's
// balancer its current endpoints. A connection is forwarded by whichever balancer its listener
// points at when it arrives, so endpoint changes reach new connections only: established ones
// run on until they close.
import type { Socket } from 'node:net';
import type { createLogger } from '@kubets/component-base';
import type { UserspaceMetrics } from '../metrics.js';
import type { ProxySnapshot } from '../model/snapshot.js';
import { routeEndpoints, type RoutedEndpoints } from '../model/topology.js';
import type { DataPath, SyncResult } from '../sync/data-path.js';
import { type Forwarding, forwardConnection } from './forward.js';
import { RoundRobinBalancer } from './load-balancer.js';
import { type ListenPlan, type PlannedListener, planListeners } from './listen-plan.js';
import { type ListenerState, ServiceListener } from './listener.js';

type Logger = ReturnType<typeof createLogger>;

export interface UserspaceDataPathOptions {
  /** Where node ports listen: this node's addresses (--nodeport-addresses). */
  nodeAddresses: readonly string[];
  metrics: UserspaceMetrics;
  logger: Logger;
  /** How soon a sync runs again while a listener stands by or failed. Default 1 s. */
  retryIntervalMs?: number;
  /** Connect timeouts of the attempts on successive endpoints (default the forwarder's 250 ms, 500 ms, 1 s, 2 s). */
  connectTimeoutsMs?: readonly number[];
}

interface ActiveListener {
  listener: ServiceListener;
  planned: PlannedListener;
}

const balancerKey = (l: Pick<PlannedListener, 'servicePort' | 'scope'>) => `${l.servicePort}|${l.scope}`;

export class UserspaceDataPath implements DataPath {
  readonly mode = 'userspace';
  private readonly listeners = new Map<string, ActiveListener>();
  private readonly balancers = new Map<string, RoundRobinBalancer>();
  private readonly forwardings = new Set<Forwarding>();
  /** What was last said of each listener, so a state is logged when it changes, not at every sync. */
  private readonly reported = new Map<string, string>();
  private unsupported = new Set<string>();

  constructor(private readonly o: UserspaceDataPathOptions) {}

  async sync(snapshot: ProxySnapshot): Promise<SyncResult> {
    const plan = planListeners(snapshot, this.o.nodeAddresses);
    this.reportPlanProblems(plan);
    this.updateBalancers(snapshot, plan);
    for (const [key, active] of this.listeners) {
      if (!plan.listeners.has(key)) this.closeListener(key, active);
    }
    for (const [key, planned] of plan.listeners) {
      const active = this.listeners.get(key);
      if (active === undefined) this.listeners.set(key, { listener: this.newListener(key, planned), planned });
      else active.planned = planned; // a port may move to another Service: new connections follow
    }
    const states = await Promise.all([...this.listeners].map(async ([key, a]) => this.report(key, a, await a.listener.bind())));
    this.countListeners(states);
    return states.some((s) => s !== 'bound') ? { retryAfterMs: this.o.retryIntervalMs ?? 1000 } : {};
  }

  /** Listeners by "address:port" with their state, for tests and the status page. */
  listenerStates(): Map<string, ListenerState> {
    return new Map([...this.listeners].map(([key, a]) => [key, a.listener.state]));
  }

  /** Connections being forwarded now. */
  get activeConnections(): number {
    return this.forwardings.size;
  }

  async close(drainMs = 0): Promise<void> {
    for (const [key, active] of this.listeners) this.closeListener(key, active);
    const done = Promise.all([...this.forwardings].map((f) => f.done));
    if (drainMs > 0 && this.forwardings.size > 0) {
      // A connection half-closed by one side finishes in a moment; the rest get their reset.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([done, new Promise((resolve) => (timer = setTimeout(resolve, drainMs)))]);
      clearTimeout(timer);
    }
    for (const f of this.forwardings) f.destroy();
    await done;
  }

  private updateBalancers(snapshot: ProxySnapshot, plan: ListenPlan): void {
    const wanted = new Map([...plan.listeners.values()].map((l) => [balancerKey(l), l] as const));
    for (const key of this.balancers.keys()) if (!wanted.has(key)) this.balancers.delete(key);
    // Routed once per Service port: its internal and external balancers read the same result.
    const routes = new Map<string, RoutedEndpoints>();
    for (const [key, { servicePort, scope }] of wanted) {
      const svc = snapshot.services.get(servicePort)!;
      let routed = routes.get(servicePort);
      if (routed === undefined) routes.set(servicePort, (routed = routeEndpoints(svc, snapshot.endpoints.get(servicePort) ?? [])));
      let balancer = this.balancers.get(key);
      if (balancer === undefined) this.balancers.set(key, (balancer = new RoundRobinBalancer()));
      balancer.update(routed[scope].map((e) => ({ ip: e.ip, port: e.port })), svc.sessionAffinity);
    }
  }

  private newListener(key: string, planned: PlannedListener): ServiceListener {
    const onError = (err: Error) => this.o.logger.warn({ listener: key, err: err.message }, 'listener error');
    return new ServiceListener(planned.address, planned.port, (c) => this.accept(key, c), onError);
  }

  private accept(key: string, client: Socket): void {
    const active = this.listeners.get(key);
    const balancer = active === undefined ? undefined : this.balancers.get(balancerKey(active.planned));
    const servicePort = active?.planned.servicePort ?? key;
    const m = this.o.metrics;
    m.connections.inc({ service_port: servicePort });
    m.activeConnections.inc({ service_port: servicePort });
    const clientIP = balancer?.sticky === true ? (client.remoteAddress ?? '') : '';
    const forwarding = forwardConnection(client, {
      pick: (failed) => balancer?.next(clientIP, failed.length > 0, failed),
      ...(this.o.connectTimeoutsMs !== undefined ? { connectTimeoutsMs: this.o.connectTimeoutsMs } : {}),
      observer: {
        connectFailed: () => m.connectErrors.inc({ service_port: servicePort }),
        noEndpoint: () => m.rejected.inc({ service_port: servicePort, reason: 'no_endpoints' }),
        closed: (fromClient, fromBackend) => {
          m.bytes.inc({ service_port: servicePort, direction: 'in' }, fromClient);
          m.bytes.inc({ service_port: servicePort, direction: 'out' }, fromBackend);
        },
      },
    });
    this.forwardings.add(forwarding);
    void forwarding.done.finally(() => {
      this.forwardings.delete(forwarding);
      m.activeConnections.dec({ service_port: servicePort });
    });
  }

  private closeListener(key: string, active: ActiveListener): void {
    active.listener.close();
    this.listeners.delete(key);
    this.reported.delete(key);
    this.o.logger.info({ listener: key, servicePort: active.planned.servicePort }, 'closed listener');
  }

  private report(key: string, a: ActiveListener, state: ListenerState): ListenerState {
    const said = `${state}:${a.listener.reason}`;
    if (this.reported.get(key) === said) return state;
    this.reported.set(key, said);
    const fields = { listener: key, servicePort: a.planned.servicePort, scope: a.planned.scope };
    if (state === 'bound') this.o.logger.info(fields, 'listening');
    else if (state === 'standby') this.o.logger.info({ ...fields, reason: a.listener.reason }, 'standing by: another proxy on this host serves this address');
    else this.o.logger.error({ ...fields, reason: a.listener.reason }, 'cannot listen');
    return state;
  }

  private reportPlanProblems(plan: ListenPlan): void {
    for (const [key, reason] of plan.unsupported) {
      if (!this.unsupported.has(key)) this.o.logger.warn({ servicePort: key, reason }, 'not forwarded');
    }
    this.unsupported = new Set(plan.unsupported.keys());
    for (const clash of plan.clashes) this.o.logger.warn({ clash }, 'two Service ports claim one address and port; the first by name is served');
  }

  private countListeners(states: ListenerState[]): void {
    for (const state of ['bound', 'standby', 'failed'] as const) this.o.metrics.listeners.set({ state }, states.filter((s) => s === state).length);
  }
}
