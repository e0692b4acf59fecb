// Keeps run/state.json true to a running LocalCluster: rewritten on every start, readiness,
// crash and restart, and on each change of phase.
import { identityOf } from '../launch/process-identity.js';
import type { ClusterProcess, LocalCluster } from './local-cluster.js';
import { clusterPaths } from './layout.js';
import { type ProcessState, type RunPhase, type RunState, writeRunState } from './run-state.js';

export class RunStateRecorder {
  private phase: RunPhase = 'starting';
  private error: string | undefined;
  private readyAt: number | undefined;
  private readonly startedAt = Date.now();

  constructor(private readonly cluster: LocalCluster) {
    for (const event of ['starting', 'ready', 'crash', 'restarted']) cluster.on(event, () => this.write());
  }

  setPhase(phase: RunPhase, error?: string): void {
    this.phase = phase;
    this.error = error;
    if (phase === 'running') this.readyAt ??= Date.now();
    this.write();
  }

  snapshot(): RunState {
    const { plan } = this.cluster;
    return {
      name: plan.name,
      dataDir: plan.dataDir,
      supervisor: identityOf(process.pid),
      startedAt: this.startedAt,
      ...(this.readyAt !== undefined ? { readyAt: this.readyAt } : {}),
      phase: this.phase,
      ...(this.error !== undefined ? { error: this.error } : {}),
      kubeconfig: clusterPaths(plan.dataDir).kubeconfig,
      processes: this.cluster.processes.map((p) => this.processState(p)),
    };
  }

  write(): void {
    writeRunState(this.cluster.plan.dataDir, this.snapshot());
  }

  private processState(p: ClusterProcess): ProcessState {
    const { proc } = p;
    const exit = proc.lastExit;
    return {
      name: proc.spec.name,
      role: p.role,
      url: p.url,
      ...(proc.spec.logFile !== undefined ? { logFile: proc.spec.logFile } : {}),
      ...(p.rootDir !== undefined ? { rootDir: p.rootDir } : {}),
      ...(proc.pid !== undefined ? { process: identityOf(proc.pid) } : {}),
      ...(proc.startedAt !== undefined ? { startedAt: proc.startedAt } : {}),
      ...(p.readyAt !== undefined ? { readyAt: p.readyAt } : {}),
      restarts: this.cluster.restarts(proc.spec.name),
      ...(exit !== undefined ? { lastExit: { code: exit.code, signal: exit.signal, at: exit.at } } : {}),
    };
  }
}
