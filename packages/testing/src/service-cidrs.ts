// Service ranges for a test cluster's API server, drawn at random so that test clusters running
// at once on one machine do not meet: a /24 of loopback cluster IPs (a kube-proxy listens on
// each cluster IP, and two clusters handing out one address would have their proxies share
// it), and a run of node ports (each kube-proxy binds them on its node's address, and node-1 is
// 127.0.1.1 in every test cluster). The /24s lie in 127.129.0.0 - 127.191.255.255: clear of the
// pods' 127.64.0.0/10 and of `kubets up`'s 127.128.0.0/16.
import { loopbackSlash24 } from './pod-cidrs.js';

const firstOctet = 129;
/** /24s from 127.129.0.0 to 127.191.255.0. */
const blocks = (191 - firstOctet + 1) * 256;

/** Upstream's default node port range, which the test ranges are drawn from. */
const nodePorts = { first: 30000, last: 32767 };
/** Node ports per test cluster: plenty for a test, and two clusters rarely draw overlapping runs. */
export const testNodePortCount = 200;

/** A /24 for --service-cluster-ip-range; `random` is Math.random unless a test fixes it. */
export function testServiceClusterIpRange(random: () => number = Math.random): string {
  return loopbackSlash24(firstOctet, Math.floor(random() * blocks));
}

/** testNodePortCount ports in a row for --service-node-port-range ("first-last"). */
export function testNodePortRange(random: () => number = Math.random): string {
  const starts = nodePorts.last - nodePorts.first - testNodePortCount + 2;
  const first = nodePorts.first + Math.floor(random() * starts);
  return `${first}-${first + testNodePortCount - 1}`;
}
