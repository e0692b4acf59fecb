// The kubets profile: the settings `kubets up` gives the components where upstream's defaults
// suit a data centre but not a cluster on one machine that people kill nodes of to watch it heal.
// Upstream waits 40-50 s before it calls a silent node unreachable and tolerates that for 300 s
// more, so a dead node's pods move after almost six minutes; here they move within ten seconds.
// The cost: a lease write per node every second, and a node whose kubelet stalls for four seconds
// on a busy machine is marked unreachable (and its pods evicted two seconds later).

//
// The kubelets renew their node leases and post their node status every second, so that the
// controller manager's 4 s grace sees a node fail in seconds and never misses a live one.
//
// Pods' addresses: each node gets a /24 of a loopback cluster CIDR (all of 127.0.0.0/8 is local
// on Linux), so that pods of many nodes on one host need no network of their own.

export const podCidr = { cluster: '127.64.0.0/10', nodeMaskSize: 24 };

// Services' cluster IPs: loopback too, so that each kube-proxy can listen on a cluster IP without
// privilege or a network of its own; clear of the pods (127.64.0.0/10) and of the nodes
// (127.0.1.0 - 127.0.63.255). The test kit draws its ranges from 127.129.0.0 up, so a test
// cluster's cluster IPs never meet those of `kubets up` on the same machine.
export const serviceClusterIpRange = '127.128.0.0/16';

export const kubetsProfile = {
  apiserver: [
    '--default-not-ready-toleration-seconds=2', '--default-unreachable-toleration-seconds=2',
    `--service-cluster-ip-range=${serviceClusterIpRange}`,
  ],
  controllerManager: [
    '--node-monitor-period=500ms', '--node-monitor-grace-period=4s', '--node-startup-grace-period=10s',
    '--allocate-node-cidrs=true', `--cluster-cidr=${podCidr.cluster}`, `--node-cidr-mask-size=${podCidr.nodeMaskSize}`,
  ],
  kubelet: ['--node-lease-renew-interval=1s', '--node-status-update-frequency=1s'],
  /** Upstream's defaults suit it (--sync-period 30s, --min-sync-period 1s). */
  kubeProxy: [] as string[],
};
