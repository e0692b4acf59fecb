// From `kubets up`'s flags and the data dir to the record of the cluster to run: the recorded
// cluster when there is one (its etcd ports, token and member names never change; the API
// servers, being stateless, follow --port and --apiservers when given, the nodes --nodes), else a
// new one, its first API server on --port, or on 6443 and the next free ports when 6443 is taken.
import { ClusterRecordError, apiServersOn, defaultNodes, newRecord, nodeCountOf, readRecord, writeRecord, type ClusterRecord } from './record.js';
import { freePorts } from '../launch/free-ports.js';
import { firstFreeRun, portFree } from '../launch/port-check.js';
import { controllerManagerName, type EtcdMode, schedulerName } from './plan.js';
import { nodeAddress } from './nodes.js';

export interface UpFlags {
  name: string;
  dataDir: string;
  /** The first API server's port, when given on the command line; 0 picks free ports. */
  port?: number;
  /** How many API servers, when given on the command line. */
  apiservers?: number;
  /** When given on the command line. */
  etcd?: EtcdMode;
  etcdServers?: string[];
  /** How many schedulers (not recorded: they keep no state). */
  schedulers?: number;
  /** How many controller managers (likewise). */
  controllerManagers?: number;
  /** How many nodes, when given on the command line (recorded: each kubelet keeps its pods' records). */
  nodes?: number;
  /** A kube-proxy on every node (not recorded: it keeps no state). Default true. */
  kubeProxies?: boolean;
}

export const defaultApiServerPort = 6443;
export const defaultApiServers = 2;
export const etcdMembers = 3;
export const defaultSchedulerPort = 10259;
export const defaultControllerManagerPort = 10257;
export const defaultKubeletPort = 10250;
export const defaultKubeProxyHealthzPort = 10256;

type Named = { name: string; port: number }[];

/**
 * Health ports for the controller managers and schedulers: upstream's 10257 and 10259 and on
 * when free (and not already given to the other), else any free ports.
 */
export async function controlPlanePorts(counts: { schedulers: number; controllerManagers: number }): Promise<{ schedulers: Named; controllerManagers: Named }> {
  const taken = new Set<number>();
  const pick = async (count: number, start: number, name: (i: number) => string): Promise<Named> => {
    if (count === 0) return [];
    const base = await firstFreeRun(start, count, 1);
    let ports = base !== undefined ? run(base, count) : [];
    if (ports.length === 0 || ports.some((p) => taken.has(p))) ports = await freePorts(count);
    for (const p of ports) taken.add(p);
    return ports.map((port, i) => ({ name: name(i), port }));
  };
  const controllerManagers = await pick(counts.controllerManagers, defaultControllerManagerPort, controllerManagerName);
  const schedulers = await pick(counts.schedulers, defaultSchedulerPort, schedulerName);
  return { schedulers, controllerManagers };
}

/** Each node's kubelet port: upstream's 10250 on the node's own address when free there, else a free one. */
export const kubeletPorts = (nodes: number) => portsOnNodes(nodes, defaultKubeletPort);

/** Each node's kube-proxy health port: upstream's 10256 on the node's own address when free there, else a free one. */
export const kubeProxyHealthzPorts = (nodes: number) => portsOnNodes(nodes, defaultKubeProxyHealthzPort);

async function portsOnNodes(nodes: number, preferred: number): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 1; i <= nodes; i++) {
    const address = nodeAddress(i);
    ports.push((await portFree(preferred, address)) ? preferred : (await freePorts(1, address))[0]!);
  }
  return ports;
}

export async function resolveRecord(f: UpFlags): Promise<{ record: ClusterRecord; created: boolean }> {
  const existing = readRecord(f.dataDir);
  const record = existing === undefined ? await freshRecord(f) : updatedRecord(existing, f);
  writeRecord(f.dataDir, record);
  return { record, created: existing === undefined };
}

async function freshRecord(f: UpFlags): Promise<ClusterRecord> {
  const mode = f.etcd ?? 'kubets';
  if (mode === 'external' && (f.etcdServers ?? []).length === 0) throw new ClusterRecordError('--etcd external needs --etcd-servers (e.g. http://127.0.0.1:2379)');
  const count = f.apiservers ?? defaultApiServers;
  const ports = f.port === 0 ? await freePorts(count) : await portRun(f.port, count);
  return newRecord({ name: f.name, etcdMode: mode, ...(f.etcdServers !== undefined ? { etcdServers: f.etcdServers } : {}), members: etcdMembers, apiserverPorts: ports, nodes: f.nodes ?? defaultNodes });
}

/** From --port on, or from 6443 on (the first run of free ports) when --port is not given. */
async function portRun(port: number | undefined, count: number): Promise<number[]> {
  const base = port ?? (await firstFreeRun(defaultApiServerPort, count));
  if (base === undefined) throw new ClusterRecordError(`no ${count} free ports from ${defaultApiServerPort} on; choose the first API server's port with --port`);
  return run(base, count);
}

function updatedRecord(r: ClusterRecord, f: UpFlags): ClusterRecord {
  if (r.name !== f.name) throw new ClusterRecordError(`${f.dataDir} holds the cluster "${r.name}", not "${f.name}": use --name ${r.name}, or another --data-dir`);
  if (f.etcd !== undefined && f.etcd !== r.etcd.mode) {
    throw new ClusterRecordError(`the cluster "${r.name}" was made with --etcd ${r.etcd.mode}; its data cannot move to --etcd ${f.etcd} (use a new --name)`);
  }
  const etcd = r.etcd.mode === 'external' && f.etcdServers !== undefined ? { ...r.etcd, servers: f.etcdServers } : r.etcd;
  const nodes = f.nodes ?? nodeCountOf(r);
  const count = f.apiservers ?? r.apiservers.length;
  // --port 0 keeps the ports the cluster has; any other port moves the API servers there.
  const keep = (f.port === undefined || f.port === 0) && count === r.apiservers.length;
  if (keep) return { ...r, etcd, nodes };
  const base = f.port === undefined || f.port === 0 ? (r.apiservers[0]?.port ?? defaultApiServerPort) : f.port;
  return { ...r, etcd, nodes, apiservers: apiServersOn(run(base, count)) };
}

const run = (base: number, count: number) => Array.from({ length: count }, (_, i) => base + i);

/** Every port the cluster will listen on must be free before anything starts. */
export async function checkPortsFree(r: ClusterRecord): Promise<void> {
  const wanted = [
    ...r.etcd.members.flatMap((m) => [{ port: m.clientPort, what: `${m.name}'s client port` }, { port: m.peerPort, what: `${m.name}'s peer port` }]),
    ...r.apiservers.map((a) => ({ port: a.port, what: a.name })),
  ];
  for (const w of wanted) {
    if (!(await portFree(w.port))) {
      const hint = w.what.startsWith('apiserver') ? 'choose other ports with --port' : 'stop what uses it (the cluster records its etcd ports)';
      throw new ClusterRecordError(`port ${w.port} (${w.what}) on 127.0.0.1 is in use by another process: ${hint}`);
    }
  }
}
