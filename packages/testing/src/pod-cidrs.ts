// Pod CIDRs for a test cluster's kubelets: consecutive /24s of the loopback cluster CIDR
// 127.64.0.0/10 (the kubets profile's), from a start drawn at random, so test clusters that run
// at once on one machine hand out different pod IPs and their pods never meet on one address.
const firstOctet = 64;
/** /24s in a /10. */
const blocks = 1 << 14;

/** `count` /24s in a row from a random start; `random` is Math.random unless a test fixes it. */
export function testPodCidrs(count: number, random: () => number = Math.random): string[] {
  if (count > blocks) throw new RangeError(`${count} pod CIDRs: a /10 holds ${blocks} /24s`);
  const start = Math.floor(random() * (blocks - count + 1));
  return Array.from({ length: count }, (_, i) => loopbackSlash24(firstOctet, start + i));
}

/** The n-th /24 of loopback addresses from 127.<firstOctet>.0.0 on. */
export function loopbackSlash24(firstOctet: number, n: number): string {
  return `127.${firstOctet + (n >> 8)}.${n & 255}.0/24`;
}
