// Where node ports listen. A node's own address by default ('primary', as upstream's
// --nodeport-addresses primary): --bind-address when it names one, else the InternalIP of this
// node's Node object, else 127.0.0.1. Several nodes of a local cluster share one host, so each
// proxy listens on its node's address only; 0.0.0.0/0 asks for every local address (one node
// per host).
import { BlockList, isIPv4 } from 'node:net';
import type { Node } from '@kubets/api';
import type { KubeClient } from '@kubets/client';
import { FlagError } from './flags.js';

export interface NodeAddressInputs {
  nodeportAddresses: string;
  bindAddress: string;
  /** The Node's addresses (status.addresses), when it could be read. */
  node?: Node;
}

const unspecified = (ip: string) => ip === '0.0.0.0' || ip === '::';

/** The node's addresses, best first: --bind-address, then the Node's InternalIP and ExternalIP. */
export function nodeIPs(i: Omit<NodeAddressInputs, 'nodeportAddresses'>): string[] {
  const fromNode = (i.node?.status?.addresses ?? []).filter((a) => a.type === 'InternalIP' || a.type === 'ExternalIP').map((a) => a.address);
  const ips = [...(unspecified(i.bindAddress) ? [] : [i.bindAddress]), ...fromNode].filter((ip) => isIPv4(ip));
  return [...new Set(ips)];
}

export function nodePortAddresses(i: NodeAddressInputs): string[] {
  const ips = nodeIPs(i);
  const primary = ips.slice(0, 1);
  if (i.nodeportAddresses === 'primary' || i.nodeportAddresses === '') return primary.length > 0 ? primary : ['127.0.0.1'];
  const allowed = new BlockList();
  for (const cidr of i.nodeportAddresses.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const [net, bits] = cidr.split('/');
    const prefix = Number(bits);
    if (net === undefined || !isIPv4(net) || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new FlagError(`invalid --nodeport-addresses entry ${JSON.stringify(cidr)}: expected 'primary' or IPv4 CIDRs`);
    if (prefix === 0) return ['0.0.0.0'];
    allowed.addSubnet(net, prefix, 'ipv4');
  }
  return ips.filter((ip) => allowed.check(ip, 'ipv4'));
}

/** This node's Node, or the error that kept it from being read (not registered yet, say). */
export async function readNode(client: KubeClient, nodeName: string): Promise<Node | Error> {
  try {
    return await client.get<Node>('nodes', undefined, nodeName);
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}
