// Where node ports listen. A node's own address by default ('primary', as upstream's
// --nodeport-addresses primary): --bind-address when it names one, else the InternalIP of this
// node's Node object, else 127.0.0.1. Several nodes of a local cluster share one host, so each
// proxy listens on its node's address only; 0.0.0.0/0 asks for every local address (one node
// per host).
import { BlockList, isIPv4 } from 'node:net';
import type { Node } from '@kubets/api';
import type { KubeClient } from '@kubets/client';
import { FlagError } from '@kubets/component-base';

/** What --nodeport-addresses asks for, parsed before anything else starts. */
export type NodePortSelection = { kind: 'primary' } | { kind: 'all' } | { kind: 'within'; allowed: BlockList };

export function parseNodePortAddresses(flag: string): NodePortSelection {
  if (flag === 'primary' || flag === '') return { kind: 'primary' };
  const allowed = new BlockList();
  for (const cidr of flag.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const [net, bits] = cidr.split('/');
    const prefix = Number(bits);
    if (net === undefined || !isIPv4(net) || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new FlagError(`invalid --nodeport-addresses entry ${JSON.stringify(cidr)}: expected 'primary' or IPv4 CIDRs`);
    if (prefix === 0) return { kind: 'all' };
    allowed.addSubnet(net, prefix, 'ipv4');
  }
  return { kind: 'within', allowed };
}

const unspecified = (ip: string) => ip === '0.0.0.0' || ip === '::';

/** The Node object matters unless --bind-address names the one address node ports need. */
export function needsNode(selection: NodePortSelection, bindAddress: string): boolean {
  return selection.kind === 'within' || (selection.kind === 'primary' && unspecified(bindAddress));
}

/** The node's addresses, best first: --bind-address, then the Node's InternalIP and ExternalIP. */
export function nodeIPs(bindAddress: string, node: Node | undefined): string[] {
  const fromNode = (node?.status?.addresses ?? []).filter((a) => a.type === 'InternalIP' || a.type === 'ExternalIP').map((a) => a.address);
  const ips = [...(unspecified(bindAddress) ? [] : [bindAddress]), ...fromNode].filter((ip) => isIPv4(ip));
  return [...new Set(ips)];
}

export function nodePortAddresses(selection: NodePortSelection, bindAddress: string, node?: Node): string[] {
  if (selection.kind === 'all') return ['0.0.0.0'];
  const ips = nodeIPs(bindAddress, node);
  if (selection.kind === 'within') return ips.filter((ip) => selection.allowed.check(ip, 'ipv4'));
  return ips.length > 0 ? ips.slice(0, 1) : ['127.0.0.1'];
}

/** This node's Node, or the error that kept it from being read (not registered yet, say). */
export async function readNode(client: KubeClient, nodeName: string): Promise<Node | Error> {
  try {
    return await client.get<Node>('nodes', undefined, nodeName);
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}
