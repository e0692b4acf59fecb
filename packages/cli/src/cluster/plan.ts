// A cluster's plan: which processes, on which ports, with which etcd. `kubets up` makes one from
// its flags and the data dir's record; the test kit makes one on free ports. Both hand it to
// LocalCluster, so there is one way to start a cluster.
import type { EtcdKind, EtcdMember } from '../launch/etcd-member.js';

export type EtcdMode = EtcdKind | 'external';

export interface ClusterPlan {
  name: string;
  dataDir: string;
  /** etcd's --initial-cluster-token: part of every member and cluster id. */
  token: string;
  etcd: {
    mode: EtcdMode;
    /** Members to run (none when external). */
    members: EtcdMember[];
    /** The client URLs the API servers use. */
    servers: string[];
  };
  apiservers: { name: string; port: number }[];
  /** Schedulers, each with the port of its health and metrics server. */
  schedulers?: { name: string; port: number }[];
  /** Controller managers, likewise. */
  controllerManagers?: { name: string; port: number }[];
}

export const etcdClientUrl = (port: number) => `http://127.0.0.1:${port}`;

/** Member and process names: etcd-0, etcd-1 ...; apiserver-0 ... */
export const etcdMemberName = (i: number) => `etcd-${i}`;
export const apiServerName = (i: number) => `apiserver-${i}`;
export const schedulerName = (i: number) => `scheduler-${i}`;
export const controllerManagerName = (i: number) => `controller-manager-${i}`;
