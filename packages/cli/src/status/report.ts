// `kubets status` gathers one report: the supervisor and every process (pid, uptime, restarts,
// its readiness probed now), etcd's members and leader, the API servers, and what the API says
// about leaders, nodes and pods. Text and `-o json` are two views of the same report.
import { readRecord } from '../cluster/record.js';
import { clusterPaths } from '../cluster/layout.js';
import { supervisorAlive } from '../cluster/leftovers.js';
import { readRunState, type RunPhase } from '../cluster/run-state.js';
import { stillRunning } from '../launch/process-identity.js';
import { etcdReady, httpReady } from '../launch/readiness.js';
import { objectsStatus, type ObjectsStatus } from './cluster-objects.js';
import { leaderName, memberStatus, type MemberStatus } from './etcd-members.js';

export interface ProcessReport {
  name: string;
  role: string;
  url: string;
  pid?: number;
  uptimeSeconds?: number;
  restarts: number;
  ready: boolean;
  logFile?: string;
}

export interface StatusReport {
  name: string;
  dataDir: string;
  exists: boolean;
  running: boolean;
  phase?: RunPhase;
  supervisorPid?: number;
  uptimeSeconds?: number;
  kubeconfig: string;
  processes: ProcessReport[];
  etcd: { mode: string; members: MemberStatus[]; leader?: string; servers: string[] };
  apiservers: { ready: number; total: number };
  objects?: ObjectsStatus;
}

/** etcd by its health and leader; a kubelet by /healthz (it serves no /readyz); the others by /readyz. */
function readyNow(role: string, url: string): Promise<boolean> {
  if (role === 'etcd') return etcdReady(url);
  return httpReady(`${url}/${role === 'kubelet' ? 'healthz' : 'readyz'}`);
}

const secondsSince = (t: number) => Math.max(0, Math.round((Date.now() - t) / 1000));

export async function gatherStatus(name: string, dataDir: string): Promise<StatusReport> {
  const paths = clusterPaths(dataDir);
  const record = readRecord(dataDir);
  const state = readRunState(dataDir);
  const running = state !== undefined && supervisorAlive(state);
  const processes = running ? await Promise.all(state.processes.map(async (p): Promise<ProcessReport> => {
    const alive = p.process !== undefined && stillRunning(p.process);
    return {
      name: p.name, role: p.role, url: p.url, restarts: p.restarts,
      ...(alive ? { pid: p.process!.pid } : {}),
      ...(alive && p.startedAt !== undefined ? { uptimeSeconds: secondsSince(p.startedAt) } : {}),
      ready: alive && (await readyNow(p.role, p.url)),
      ...(p.logFile !== undefined ? { logFile: p.logFile } : {}),
    };
  })) : [];
  const members = running ? await Promise.all(processes.filter((p) => p.role === 'etcd').map((p) => memberStatus(p.name, p.url))) : [];
  const leader = leaderName(members);
  const apis = processes.filter((p) => p.role === 'apiserver');
  return {
    name, dataDir: paths.dataDir, exists: record !== undefined, running,
    ...(running ? { phase: state.phase, supervisorPid: state.supervisor.pid, uptimeSeconds: secondsSince(state.startedAt) } : {}),
    kubeconfig: paths.kubeconfig,
    processes,
    etcd: { mode: record?.etcd.mode ?? 'kubets', members, ...(leader !== undefined ? { leader } : {}), servers: record?.etcd.servers ?? members.map((m) => m.url) },
    apiservers: { ready: apis.filter((p) => p.ready).length, total: apis.length },
    ...(running && apis.some((p) => p.ready) ? { objects: await objectsStatus(paths.kubeconfig) } : {}),
  };
}
