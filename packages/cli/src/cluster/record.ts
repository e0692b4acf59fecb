// cluster.json: what makes a data dir the same cluster on the next `kubets up`: its name, the
// etcd token and member names (the members' identities on disk depend on them), every port, and
// how many nodes (each kubelet's root dir holds the records of its pods).
// Written once when the cluster is made; rewritten when the API servers or the nodes change.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomically } from './files.js';
import { freePorts } from '../launch/free-ports.js';
import { clusterPaths } from './layout.js';
import { apiServerName, type ClusterPlan, etcdClientUrl, etcdMemberName, type EtcdMode } from './plan.js';

export interface ClusterRecord {
  version: 1;
  name: string;
  createdAt: string;
  token: string;
  etcd: { mode: EtcdMode; members: { name: string; clientPort: number; peerPort: number }[]; servers?: string[] };
  apiservers: { name: string; port: number }[];
  /** Nodes, each a kubelet; absent in a record made before kubelets joined (then the default). */
  nodes?: number;
}

export const defaultNodes = 2;

/** The recorded number of nodes. */
export const nodeCountOf = (r: ClusterRecord) => r.nodes ?? defaultNodes;

export class ClusterRecordError extends Error {}

export function readRecord(dataDir: string): ClusterRecord | undefined {
  const path = clusterPaths(dataDir).record;
  if (!existsSync(path)) return undefined;
  const r = JSON.parse(readFileSync(path, 'utf8')) as ClusterRecord;
  if (r.version !== 1) throw new ClusterRecordError(`${path}: unknown version ${String(r.version)}`);
  return r;
}

export function writeRecord(dataDir: string, r: ClusterRecord): void {
  writeFileAtomically(clusterPaths(dataDir).record, `${JSON.stringify(r, null, 2)}\n`);
}

export interface NewRecordOptions {
  name: string;
  etcdMode: EtcdMode;
  etcdServers?: string[];
  members: number;
  apiserverPorts: number[];
  nodes: number;
}

/** A new cluster: a fresh token, and free loopback ports for the etcd members. */
export async function newRecord(o: NewRecordOptions): Promise<ClusterRecord> {
  const n = o.etcdMode === 'external' ? 0 : o.members;
  const ports = await freePorts(2 * n);
  return {
    version: 1,
    name: o.name,
    createdAt: new Date().toISOString(),
    token: `kubets-${o.name}-${randomBytes(6).toString('hex')}`,
    etcd: {
      mode: o.etcdMode,
      members: Array.from({ length: n }, (_, i) => ({ name: etcdMemberName(i), clientPort: ports[2 * i]!, peerPort: ports[2 * i + 1]! })),
      ...(o.etcdMode === 'external' ? { servers: o.etcdServers ?? [] } : {}),
    },
    apiservers: apiServersOn(o.apiserverPorts),
    nodes: o.nodes,
  };
}

export const apiServersOn = (ports: number[]) => ports.map((port, i) => ({ name: apiServerName(i), port }));

/** The plan to run a recorded cluster, with the stateless components' ports chosen for this run. */
export function planOf(
  dataDir: string,
  r: ClusterRecord,
  controlPlane: Pick<ClusterPlan, 'schedulers' | 'controllerManagers' | 'kubelets' | 'kubeProxies'> = {},
): ClusterPlan {
  const paths = clusterPaths(dataDir);
  const members = r.etcd.members.map((m) => ({
    name: m.name,
    clientUrl: etcdClientUrl(m.clientPort),
    peerUrl: etcdClientUrl(m.peerPort),
    dataDir: paths.etcdDataDir(m.name),
  }));
  return {
    name: r.name,
    dataDir: paths.dataDir,
    token: r.token,
    etcd: { mode: r.etcd.mode, members, servers: r.etcd.mode === 'external' ? (r.etcd.servers ?? []) : members.map((m) => m.clientUrl) },
    apiservers: r.apiservers,
    ...controlPlane,
  };
}
