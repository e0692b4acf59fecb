// The pod CIDRs of one cluster CIDR, as upstream's cidrset: the cluster range cut into
// subnets of one prefix length, each free or used, handed out round-robin from after the last
// one given (so a released CIDR is not reused at once). IPv4 only.

export class CidrError extends Error {}

/** upstream's ErrCIDRRangeNoCIDRsRemaining. */
export class CidrRangeExhaustedError extends CidrError {
  constructor() {
    super('CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range');
  }
}

/** At most 2^16 subnets per cluster CIDR, as upstream's clusterSubnetMaxDiff. */
const maxSubnetBits = 16;

export interface Ipv4Cidr {
  /** The network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

export function parseIpv4Cidr(text: string): Ipv4Cidr {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text.trim());
  const octets = m?.slice(1, 5).map(Number);
  const prefix = Number(m?.[5]);
  if (m === null || octets === undefined || octets.some((o) => o > 255) || prefix > 32) throw new CidrError(`invalid IPv4 CIDR ${JSON.stringify(text)}`);
  const ip = octets.reduce((acc, o) => acc * 256 + o, 0);
  return { base: maskOf(ip, prefix), prefix };
}

function maskOf(ip: number, prefix: number): number {
  return prefix === 0 ? 0 : (ip & (~0 << (32 - prefix))) >>> 0;
}

export function formatIpv4Cidr(c: Ipv4Cidr): string {
  const b = c.base;
  return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${c.prefix}`;
}

export class CidrSet {
  readonly cluster: Ipv4Cidr;
  private readonly used: Uint8Array;
  private nextCandidate = 0;
  private allocated = 0;

  constructor(clusterCidr: string, readonly subnetPrefix: number) {
    this.cluster = parseIpv4Cidr(clusterCidr);
    if (subnetPrefix < this.cluster.prefix || subnetPrefix > 32) throw new CidrError(`node CIDR mask size ${subnetPrefix} does not fit cluster CIDR ${clusterCidr}`);
    if (subnetPrefix - this.cluster.prefix > maxSubnetBits) throw new CidrError(`CIDRSet: subnet mask size is too big: ${subnetPrefix} - ${this.cluster.prefix} > ${maxSubnetBits}`);
    this.used = new Uint8Array(2 ** (subnetPrefix - this.cluster.prefix));
  }

  get size(): number {
    return this.used.length;
  }

  get free(): number {
    return this.used.length - this.allocated;
  }

  private subnet(index: number): string {
    return formatIpv4Cidr({ base: (this.cluster.base + index * 2 ** (32 - this.subnetPrefix)) >>> 0, prefix: this.subnetPrefix });
  }

  /** The next free subnet after the last one handed out, marked used. */
  allocateNext(): string {
    for (let i = 0; i < this.used.length; i++) {
      const candidate = (this.nextCandidate + i) % this.used.length;
      if (this.used[candidate] === 0) {
        this.mark(candidate, 1);
        this.nextCandidate = (candidate + 1) % this.used.length;
        return this.subnet(candidate);
      }
    }
    throw new CidrRangeExhaustedError();
  }

  /** Marks every subnet the CIDR overlaps as used (one found on a node already). */
  occupy(cidr: string): void {
    const [begin, end] = this.indices(cidr);
    for (let i = begin; i <= end; i++) this.mark(i, 1);
  }

  /** Frees every subnet the CIDR overlaps. */
  release(cidr: string): void {
    const [begin, end] = this.indices(cidr);
    for (let i = begin; i <= end; i++) this.mark(i, 0);
  }

  isUsed(cidr: string): boolean {
    const [begin, end] = this.indices(cidr);
    for (let i = begin; i <= end; i++) if (this.used[i] === 1) return true;
    return false;
  }

  private mark(index: number, value: 0 | 1): void {
    if (this.used[index] === value) return;
    this.used[index] = value;
    this.allocated += value === 1 ? 1 : -1;
  }

  /** The first and last subnet indices the CIDR overlaps; an error when it lies outside. */
  private indices(cidr: string): [number, number] {
    const c = parseIpv4Cidr(cidr);
    const clusterSize = 2 ** (32 - this.cluster.prefix);
    const start = Math.max(c.base, this.cluster.base);
    const last = Math.min(c.base + 2 ** (32 - c.prefix) - 1, this.cluster.base + clusterSize - 1);
    if (start > last) throw new CidrError(`cidr ${cidr} is out the range of cluster cidr ${formatIpv4Cidr(this.cluster)}`);
    const step = 2 ** (32 - this.subnetPrefix);
    return [Math.floor((start - this.cluster.base) / step), Math.floor((last - this.cluster.base) / step)];
  }
}
