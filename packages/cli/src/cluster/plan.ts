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
  /** Kubelets, one per node. */
  kubelets?: PlannedKubelet[];
  /** kube-proxies, one per node (independent of the kubelets: the test kit may run either alone). */
  kubeProxies?: PlannedKubeProxy[];
}

/** One node's kubelet: its process name, its Node's name, where it serves and keeps its pods. */
export interface PlannedKubelet {
  /** The process name: kubelet-<node>. */
  name: string;
  nodeName: string;
  /** The node's own loopback address: its --node-ip and --address. */
  address: string;
  /** Its port (/healthz, pod logs) on that address. */
  port: number;
  /** --root-dir: the records of its pods, which outlive the process. */
  rootDir: string;
  /** --pod-cidr, when the kubelet is given one instead of taking its Node's spec.podCIDR. */
  podCidr?: string;
}

/** One node's kube-proxy: its process name, its node, and where it serves /healthz, /readyz and /metrics. */
export interface PlannedKubeProxy {
  /** The process name: kube-proxy-<node>. */
  name: string;
  /** Its --hostname-override: the Node whose endpoints are local to it. */
  nodeName: string;
  /** The node's own loopback address: its --bind-address, where its node ports listen. */
  address: string;
  /** The port of its health server (--healthz-bind-address) on that address. */
  healthzPort: number;
}

export const etcdClientUrl = (port: number) => `http://127.0.0.1:${port}`;

/** Member and process names: etcd-0, etcd-1 ...; apiserver-0 ... */
export const etcdMemberName = (i: number) => `etcd-${i}`;
export const apiServerName = (i: number) => `apiserver-${i}`;
export const schedulerName = (i: number) => `scheduler-${i}`;
export const controllerManagerName = (i: number) => `controller-manager-${i}`;
/** Nodes count from 1, as their addresses do: node-1 is 127.0.1.1. */
export const nodeName = (i: number) => `node-${i}`;
export const kubeletName = (node: string) => `kubelet-${node}`;
export const kubeProxyName = (node: string) => `kube-proxy-${node}`;
