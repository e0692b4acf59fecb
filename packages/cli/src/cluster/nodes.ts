// The nodes of a local cluster: node-1 .. node-N, each with a loopback address of its own
// (127.0.1.1, 127.0.1.2 ...; all of 127.0.0.0/8 is local on Linux), so every kubelet can listen
// on upstream's 10250, every kube-proxy on 10256 and on the node ports, and a node's address says
// which node it is. The addresses stay clear of 127.0.0.1 (the control plane), of the pods'
// 127.64.0.0/10 and of the Services' cluster IPs (127.128.0.0/16 and up).
import { kubeletName, kubeProxyName, nodeName, type PlannedKubelet, type PlannedKubeProxy } from './plan.js';
import { clusterPaths } from './layout.js';

/** Nodes per /24 of addresses: .1 to .254 (no .0, no .255). */
const perBlock = 254;
/** 127.0.1.0/24 through 127.0.63.0/24 hold the nodes: more than any one machine runs. */
export const maxNodes = 63 * perBlock;

export class NodeCountError extends Error {
  override name = 'NodeCountError';
}

/** Node i's address (i from 1): 127.0.1.1 .. 127.0.1.254, then 127.0.2.1 ... */
export function nodeAddress(i: number): string {
  if (!Number.isInteger(i) || i < 1 || i > maxNodes) throw new NodeCountError(`node ${i}: nodes are numbered 1 to ${maxNodes}`);
  return `127.0.${1 + Math.floor((i - 1) / perBlock)}.${1 + ((i - 1) % perBlock)}`;
}

/** The kubelets of `count` nodes, given each one's port (ports[i - 1] for node i) and, optionally, its --pod-cidr. */
export function plannedKubelets(dataDir: string, count: number, ports: number[], podCidrs?: string[]): PlannedKubelet[] {
  checkNodeCount(count, ports, 'kubelet');
  return Array.from({ length: count }, (_, k) => {
    const node = nodeName(k + 1);
    const podCidr = podCidrs?.[k];
    return {
      name: kubeletName(node),
      nodeName: node,
      address: nodeAddress(k + 1),
      port: ports[k]!,
      rootDir: clusterPaths(dataDir).kubeletRootDir(node),
      ...(podCidr !== undefined ? { podCidr } : {}),
    };
  });
}

/** The kube-proxies of `count` nodes, given each one's health port (healthzPorts[i - 1] for node i). */
export function plannedKubeProxies(count: number, healthzPorts: number[]): PlannedKubeProxy[] {
  checkNodeCount(count, healthzPorts, 'kube-proxy health');
  return Array.from({ length: count }, (_, k) => {
    const node = nodeName(k + 1);
    return { name: kubeProxyName(node), nodeName: node, address: nodeAddress(k + 1), healthzPort: healthzPorts[k]! };
  });
}

function checkNodeCount(count: number, ports: number[], what: string): void {
  if (count > maxNodes) throw new NodeCountError(`--nodes ${count}: at most ${maxNodes}`);
  if (ports.length < count) throw new NodeCountError(`${count} nodes need ${count} ${what} ports, not ${ports.length}`);
}
