// Pod addresses for hollow nodes: from the node's podCIDR when it has one, else from a made-up
// block of its own, so every hollow pod still shows a distinct podIP. Kept in memory only: a
// pod that already reports an address keeps it.
import { formatIpv4, nextFreeAddress, parseIpv4, parseIpv4Cidr } from '../network/cidr.js';

/** A /24 per hollow node inside 10.64.0.0/10, by the node's index: never routed, never listened on. */
export function fakePodCidr(nodeIndex: number): string {
  return `10.${64 + ((nodeIndex >> 8) & 63)}.${nodeIndex & 255}.0/24`;
}

/** A loopback address per hollow node, by index: 127.254.0.1 upwards, for its InternalIP and pods' hostIP. */
export function hollowNodeIP(nodeIndex: number): string {
  return formatIpv4(parseIpv4('127.254.0.1')! + nodeIndex);
}

export class HollowPodAddresses {
  private readonly byPod = new Map<string, { node: string; ip: number }>();
  private readonly lastByNode = new Map<string, number>();

  /** The pod's address: the one it has, else the next free one of the block; undefined when the block is full. */
  addressOf(node: string, podUid: string, cidrText: string, reported: string | undefined): string | undefined {
    const known = this.byPod.get(podUid);
    if (known !== undefined) return formatIpv4(known.ip);
    const reportedIp = reported !== undefined ? parseIpv4(reported) : undefined;
    if (reportedIp !== undefined) {
      this.byPod.set(podUid, { node, ip: reportedIp });
      return reported;
    }
    const cidr = parseIpv4Cidr(cidrText);
    if (cidr === undefined) return undefined;
    const taken = new Set([...this.byPod.values()].filter((a) => a.node === node).map((a) => a.ip));
    const ip = nextFreeAddress(cidr, taken, this.lastByNode.get(node));
    if (ip === undefined) return undefined;
    this.byPod.set(podUid, { node, ip });
    this.lastByNode.set(node, ip);
    return formatIpv4(ip);
  }

  release(podUid: string): void {
    this.byPod.delete(podUid);
  }
}
