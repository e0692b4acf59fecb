// A local cluster: every process of a plan, started at once and awaited tier by tier (etcd, the
// API servers, the schedulers and controller managers, the kubelets, the kube-proxies).
// Starting every tier at once is safe because each component waits for the one below it, as
// upstream's do (an API server serves with its etcd check failing until etcd answers), and it
// lets the API servers load while etcd elects its first leader. Stopped in the reverse order:
// kube-proxies, kubelets, controllers, API servers, etcd last. Stops exactly the processes it started,
// by pid; once the kubelets have stopped, their root dirs are reset, which stops the pods they
// ran (those outlive a kubelet by design).
import { EventEmitter } from 'node:events';
import { apiServerSpec, apiServerUrl } from '../launch/apiserver.js';
import { etcdMemberSpec } from '../launch/etcd-member.js';
import { ManagedProcess } from '../launch/managed-process.js';
import { Supervisor, type RestartEvent } from '../launch/supervisor.js';
import { type ControlPlaneComponent, controlPlaneSpec, healthUrl } from '../launch/control-plane.js';
import type { ComponentSpawnOptions } from '../launch/component-spec.js';
import { kubeletSpec, kubeletUrl } from '../launch/kubelet.js';
import { kubeProxySpec, kubeProxyUrl } from '../launch/kube-proxy.js';
import { resetKubeletRootDirs } from '../launch/kubelet-reset.js';
import { clusterPaths } from './layout.js';
import type { ClusterPlan } from './plan.js';
import { type Role, startRank } from './roles.js';

export type { Role } from './roles.js';

export interface ClusterProcess {
  role: Role;
  proc: ManagedProcess;
  /** Where it serves: a client URL for etcd, the API URL for an API server, the health server's for the others. */
  url: string;
  readyAt?: number;
  /** A kubelet's root dir, reset after it stops. */
  rootDir?: string;
}

export interface LaunchOptions {
  /** Logs to files under the data dir (kubets up) or kept in memory (tests). Default files. */
  logs?: 'files' | 'memory';
  /** Each process in its own process group (kubets up: Ctrl-C reaches only the supervisor). */
  ownProcessGroups?: boolean;
  etcdFlags?: string[];
  etcdNodeArgs?: string[];
  etcdBin?: string;
  apiserverFlags?: string[];
  apiserverNodeArgs?: string[];
  schedulerFlags?: string[];
  schedulerNodeArgs?: string[];
  controllerManagerFlags?: string[];
  controllerManagerNodeArgs?: string[];
  kubeletFlags?: string[];
  kubeletNodeArgs?: string[];
  kubeProxyFlags?: string[];
  kubeProxyNodeArgs?: string[];
  /** How long each kubelet's reset may take to stop its pods. Default 90 s. */
  kubeletResetTimeoutMs?: number;
  /** Deadline for each tier to be ready. Default 30 s. */
  readyTimeoutMs?: number;
}

/**
 * Emits 'starting' (ClusterProcess) and 'ready' (ClusterProcess) as each process comes up, and
 * the supervisor's 'crash' and 'restarted' (RestartEvent) once supervise() is on.
 */
export class LocalCluster extends EventEmitter {
  readonly processes: ClusterProcess[];
  private supervisor: Supervisor | undefined;

  constructor(readonly plan: ClusterPlan, private readonly opts: LaunchOptions = {}) {
    super();
    this.processes = [
      ...this.etcdProcesses(),
      ...this.apiServerProcesses(),
      ...this.controlPlaneProcesses('scheduler', plan.schedulers, opts.schedulerFlags, opts.schedulerNodeArgs),
      ...this.controlPlaneProcesses('controller-manager', plan.controllerManagers, opts.controllerManagerFlags, opts.controllerManagerNodeArgs),
      ...this.kubeletProcesses(),
      ...this.kubeProxyProcesses(),
    ];
  }

  get apiServerUrls(): string[] {
    return this.processes.filter((p) => p.role === 'apiserver').map((p) => p.url);
  }

  byName(name: string): ClusterProcess | undefined {
    return this.processes.find((p) => p.proc.spec.name === name);
  }

  restarts(name: string): number {
    return this.supervisor?.restarts(name) ?? 0;
  }

  /** Starts every process, then waits for each tier in order; on failure stops them all and rethrows. */
  async start(): Promise<void> {
    try {
      for (const p of this.processes) {
        this.emit('starting', p);
        p.proc.start();
      }
      for (const tier of this.tiers()) await Promise.all(tier.map((p) => this.awaitReady(p)));
    } catch (e) {
      await this.stop(2000);
      throw e;
    }
  }

  private async awaitReady(p: ClusterProcess): Promise<void> {
    await p.proc.waitReady(this.opts.readyTimeoutMs ?? 30_000);
    p.readyAt = Date.now();
    this.emit('ready', p);
  }

  /** From now on a process that exits on its own is restarted with back-off. */
  supervise(supervisor = new Supervisor()): void {
    this.supervisor = supervisor;
    supervisor.on('crash', (e: RestartEvent) => this.emit('crash', e));
    supervisor.on('restarted', (e: RestartEvent) => {
      const p = this.byName(e.name)!;
      p.readyAt = undefined;
      this.emit('restarted', e);
      p.proc.waitReady(this.opts.readyTimeoutMs ?? 30_000).then(
        () => {
          p.readyAt = Date.now();
          this.emit('ready', p);
        },
        // It exited again (the supervisor has scheduled the next attempt already), or is still
        // not ready at the deadline: `kubets status` probes it and shows which.
        () => {},
      );
    });
    for (const p of this.processes) supervisor.watch(p.proc);
  }

  /**
   * Stops every process, the last tier first; each gets graceMs after SIGTERM before SIGKILL.
   * The kubelets' root dirs are reset once the kubelets are gone; a failed reset is thrown after
   * every tier has stopped, so it never leaves etcd running.
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.supervisor?.close();
    let resetFailure: unknown;
    for (const tier of this.tiers().reverse()) {
      await Promise.all(tier.map((p) => p.proc.stop(graceMs)));
      if (tier[0]?.role === 'kubelet') resetFailure = await this.resetKubelets().then(() => undefined, (e: unknown) => e);
    }
    if (resetFailure !== undefined) throw resetFailure;
  }

  /** Stops the pods of every kubelet of the plan (whether or not it runs now). */
  resetKubelets(): Promise<void> {
    return resetKubeletRootDirs(this.processes.filter((p) => p.rootDir !== undefined).map((p) => ({
      rootDir: p.rootDir!,
      ...(this.opts.kubeletNodeArgs !== undefined ? { nodeArgs: this.opts.kubeletNodeArgs } : {}),
      ...(p.proc.spec.logFile !== undefined ? { logFile: p.proc.spec.logFile } : {}),
      ownProcessGroup: this.opts.ownProcessGroups === true,
      ...(this.opts.kubeletResetTimeoutMs !== undefined ? { timeoutMs: this.opts.kubeletResetTimeoutMs } : {}),
    })));
  }

  private tiers(): ClusterProcess[][] {
    const byTier = new Map<number, ClusterProcess[]>();
    for (const p of this.processes) byTier.set(startRank(p.role), [...(byTier.get(startRank(p.role)) ?? []), p]);
    return [...byTier.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
  }

  private logFile(name: string): { logFile?: string } {
    return this.opts.logs === 'memory' ? {} : { logFile: clusterPaths(this.plan.dataDir).logFile(name) };
  }

  private etcdProcesses(): ClusterProcess[] {
    const { mode, members } = this.plan.etcd;
    if (mode === 'external') return [];
    return members.map((member) => ({
      role: 'etcd',
      url: member.clientUrl,
      proc: new ManagedProcess(etcdMemberSpec({
        kind: mode, member, members, token: this.plan.token,
        ...(this.opts.etcdFlags !== undefined ? { flags: this.opts.etcdFlags } : {}),
        ...(this.opts.etcdNodeArgs !== undefined ? { nodeArgs: this.opts.etcdNodeArgs } : {}),
        ...(this.opts.etcdBin !== undefined ? { etcdBin: this.opts.etcdBin } : {}),
        ...this.logFile(member.name),
        ownProcessGroup: this.opts.ownProcessGroups === true,
      })),
    }));
  }

  private apiServerProcesses(): ClusterProcess[] {
    return this.plan.apiservers.map((a) => ({
      role: 'apiserver',
      url: apiServerUrl(a.port),
      proc: new ManagedProcess(apiServerSpec({
        name: a.name, port: a.port, etcdServers: this.plan.etcd.servers,
        ...(this.opts.apiserverFlags !== undefined ? { flags: this.opts.apiserverFlags } : {}),
        ...(this.opts.apiserverNodeArgs !== undefined ? { nodeArgs: this.opts.apiserverNodeArgs } : {}),
        ...this.logFile(a.name),
        ownProcessGroup: this.opts.ownProcessGroups === true,
      })),
    }));
  }

  private controlPlaneProcesses(
    role: ControlPlaneComponent,
    planned: { name: string; port: number }[] = [],
    flags?: string[],
    nodeArgs?: string[],
  ): ClusterProcess[] {
    return planned.map((p) => ({
      role,
      url: healthUrl(p.port),
      proc: new ManagedProcess(controlPlaneSpec(role, { name: p.name, port: p.port, ...this.componentOptions(p.name, flags, nodeArgs) })),
    }));
  }

  private kubeletProcesses(): ClusterProcess[] {
    return (this.plan.kubelets ?? []).map((k) => ({
      role: 'kubelet',
      url: kubeletUrl(k.address, k.port),
      rootDir: k.rootDir,
      proc: new ManagedProcess(kubeletSpec({ kubelet: k, ...this.componentOptions(k.name, this.opts.kubeletFlags, this.opts.kubeletNodeArgs) })),
    }));
  }

  private kubeProxyProcesses(): ClusterProcess[] {
    return (this.plan.kubeProxies ?? []).map((p) => ({
      role: 'kube-proxy',
      url: kubeProxyUrl(p),
      proc: new ManagedProcess(kubeProxySpec({ kubeProxy: p, ...this.componentOptions(p.name, this.opts.kubeProxyFlags, this.opts.kubeProxyNodeArgs) })),
    }));
  }

  /** What every component that reaches the API servers through the kubeconfig is launched with. */
  private componentOptions(name: string, flags: string[] | undefined, nodeArgs: string[] | undefined): ComponentSpawnOptions & { kubeconfig: string } {
    return {
      kubeconfig: clusterPaths(this.plan.dataDir).kubeconfig,
      ...(flags !== undefined ? { flags } : {}),
      ...(nodeArgs !== undefined ? { nodeArgs } : {}),
      ...this.logFile(name),
      ownProcessGroup: this.opts.ownProcessGroups === true,
    };
  }
}
