// An etcd cluster of local processes on free loopback ports, for tests and benchmarks:
// kubets-etcd or real etcd (ETCD_BIN, /usr/bin/etcd by default) with the same flags, launched
// by the CLI's launcher (the one `kubets up` uses), data dirs under one mkdtemp. Stops exactly
// the processes it started, by pid.
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EtcdKind, etcdClientUrl, etcdMemberSpec, freePorts, ManagedProcess, ReadyTimeoutError } from '@kubets/cli';
import { retryOnTakenPort } from './retry.js';

export type { EtcdKind };

export interface EtcdClusterOptions {
  kind: EtcdKind;
  members?: number;
  /** Flags after the cluster's own (timeouts and the like); a repeated flag's last value wins. */
  flags?: string[];
  /** More node flags for kubets members (e.g. --cpu-prof). */
  nodeArgs?: string[];
  etcdBin?: string;
  /**
   * Deadline for every member to be ready (healthy, with a leader). Default 60 s: a start takes
   * 1-3 s, but test files start their clusters at the same moment, on machines other jobs load.
   */
  readyTimeoutMs?: number;
  /**
   * The members' client ports, one per member (peer ports stay free ones): for clients that
   * were pointed at the cluster before it started. A taken one fails the start, not retried.
   */
  clientPorts?: number[];
}

export interface EtcdCluster {
  kind: EtcdKind;
  clientUrls: string[];
  peerUrls: string[];
  dataDir(i: number): string;
  /** Pid of member i, if it runs. */
  pid(i: number): number | undefined;
  /** The last lines member i wrote (stdout and stderr). */
  logs(i: number): string[];
  /** SIGKILLs member i and waits for it to exit. */
  kill(i: number): Promise<void>;
  /** Starts member i again on its data dir (--initial-cluster-state=existing) and waits until it is ready. */
  restart(i: number): Promise<void>;
  /** Stops every member (SIGTERM, SIGKILL after graceMs) and removes the data dirs. */
  stop(graceMs?: number): Promise<void>;
}

/** Each member's /health and its view of the leader, for a start that timed out. */
async function healthReport(clientUrls: string[]): Promise<string> {
  const ask = async (url: string, init?: RequestInit) => {
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5_000) });
      return `${res.status} ${await res.text()}`;
    } catch (e) {
      return `no answer (${(e as Error).message})`;
    }
  };
  const lines = await Promise.all(clientUrls.map(async (u) => `${u}: /health ${await ask(`${u}/health`)}; status ${await ask(`${u}/v3/maintenance/status`, { method: 'POST', body: '{}' })}`));
  return lines.join('\n');
}

/** Stoppers of every cluster started here and not yet stopped, so an interrupted run can clean up. */
const live = new Set<() => Promise<void>>();

/** Stops every cluster this process started that is still up (for SIGINT/SIGTERM handlers). */
export async function stopAllEtcdClusters(): Promise<void> {
  await Promise.all([...live].map((stop) => stop()));
}

export function startEtcdCluster(opts: EtcdClusterOptions): Promise<EtcdCluster> {
  // Given client ports are the caller's to keep free: trying other ports would not help.
  return opts.clientPorts === undefined ? retryOnTakenPort(() => startOnce(opts)) : startOnce(opts);
}

async function startOnce(opts: EtcdClusterOptions): Promise<EtcdCluster> {
  const n = opts.members ?? 3;
  if (opts.clientPorts !== undefined && opts.clientPorts.length !== n) throw new Error(`clientPorts: ${opts.clientPorts.length} ports for ${n} members`);
  const dir = await mkdtemp(join(tmpdir(), `kubets-${opts.kind}-etcd-`));
  // A port the caller holds for a client URL is free too, and could come back as a peer port.
  const given = new Set(opts.clientPorts);
  const ports = (await freePorts(2 * n + given.size)).filter((p) => !given.has(p));
  const members = Array.from({ length: n }, (_, i) => ({
    name: `m${i}`, clientUrl: etcdClientUrl(opts.clientPorts?.[i] ?? ports[2 * i]!), peerUrl: etcdClientUrl(ports[2 * i + 1]!), dataDir: join(dir, `m${i}`),
  }));
  const token = `test-${process.pid}-${Date.now()}`;
  const member = (i: number, state: 'new' | 'existing') => new ManagedProcess(etcdMemberSpec({
    kind: opts.kind, member: members[i]!, members, token, state,
    flags: ['--log-level=error', ...(opts.flags ?? [])],
    ...(opts.nodeArgs !== undefined ? { nodeArgs: opts.nodeArgs } : {}),
    ...(opts.etcdBin !== undefined ? { etcdBin: opts.etcdBin } : {}),
  }));
  const procs = members.map((_, i) => member(i, 'new'));
  const timeoutMs = opts.readyTimeoutMs ?? 60_000;
  const stop = async (graceMs = 20_000) => {
    live.delete(stop);
    await Promise.all(procs.map((p) => p.stop(graceMs)));
    await rm(dir, { recursive: true, force: true });
  };
  live.add(stop);
  try {
    for (const p of procs) p.start();
    await Promise.all(procs.map((p) => p.waitReady(timeoutMs)));
  } catch (e) {
    // Why a member was not ready, while they still run: each one's health and leader.
    if (e instanceof ReadyTimeoutError) e.message += `\n${await healthReport(members.map((m) => m.clientUrl))}; load average ${loadavg()[0]!.toFixed(1)}`;
    await stop(0);
    throw e;
  }
  return {
    kind: opts.kind,
    clientUrls: members.map((m) => m.clientUrl),
    peerUrls: members.map((m) => m.peerUrl),
    dataDir: (i) => members[i]!.dataDir,
    pid: (i) => procs[i]!.pid,
    logs: (i) => procs[i]!.lines(),
    kill: (i) => procs[i]!.kill('SIGKILL'),
    async restart(i) {
      if (procs[i]!.running) throw new Error(`member ${members[i]!.name} is still running`);
      // existing: a member whose data dir was wiped joins the running cluster instead of founding one.
      procs[i] = member(i, 'existing');
      procs[i]!.start();
      await procs[i]!.waitReady(timeoutMs);
    },
    stop,
  };
}
