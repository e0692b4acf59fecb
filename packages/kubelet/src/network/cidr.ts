// IPv4 addresses and CIDR blocks as numbers: the arithmetic the loopback pod network allocates
// with. Pure, so its edge cases (/31, /32, host bits set, out-of-range octets) are tested alone.

export interface Ipv4Cidr {
  /** The network address, host bits cleared, as an unsigned 32-bit number. */
  network: number;
  prefixLength: number;
}

/** The address as an unsigned 32-bit number, or undefined when it is not dotted-quad IPv4. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    // Leading zeros are refused as Go's net.ParseIP refuses them (they read as octal elsewhere).
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

function maskOf(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}

/** `a.b.c.d/n`, with host bits cleared as Go's net.ParseCIDR does; undefined when malformed or not IPv4. */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseIpv4(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (address === undefined || !/^(0|[1-9][0-9]?)$/.test(prefixText)) return undefined;
  const prefixLength = Number(prefixText);
  if (prefixLength > 32) return undefined;
  return { network: (address & maskOf(prefixLength)) >>> 0, prefixLength };
}

export function formatIpv4Cidr(cidr: Ipv4Cidr): string {
  return `${formatIpv4(cidr.network)}/${cidr.prefixLength}`;
}

export function broadcastOf(cidr: Ipv4Cidr): number {
  return (cidr.network | ~maskOf(cidr.prefixLength)) >>> 0;
}

export function cidrContains(cidr: Ipv4Cidr, address: number): boolean {
  return ((address & maskOf(cidr.prefixLength)) >>> 0) === cidr.network;
}

/** Linux routes all of 127.0.0.0/8 to lo, so any block inside it needs no privilege to listen on. */
export function isLoopbackCidr(cidr: Ipv4Cidr): boolean {
  return cidr.prefixLength >= 8 && cidr.network >>> 24 === 127;
}

/**
 * The addresses a pod may take: all but the network address, the first host address (the
 * gateway by convention, as host-local IPAM keeps it) and the broadcast address. Undefined when
 * nothing is left (/31 and /32).
 */
export function podAddressRange(cidr: Ipv4Cidr): { first: number; last: number } | undefined {
  const first = cidr.network + 2;
  const last = broadcastOf(cidr) - 1;
  return first <= last ? { first, last } : undefined;
}

/** How many pod addresses the block holds. */
export function podAddressCount(cidr: Ipv4Cidr): number {
  const range = podAddressRange(cidr);
  return range === undefined ? 0 : range.last - range.first + 1;
}

/**
 * The next pod address of the block not in `taken`, going round from just after `after` (as
 * host-local IPAM does, so a freed address is not handed out again at once); undefined when
 * every one is taken.
 */
export function nextFreeAddress(cidr: Ipv4Cidr, taken: ReadonlySet<number>, after?: number): number | undefined {
  const range = podAddressRange(cidr);
  if (range === undefined) return undefined;
  const size = range.last - range.first + 1;
  const start = after !== undefined && after >= range.first && after < range.last ? after + 1 : range.first;
  for (let i = 0; i < size; i++) {
    const candidate = range.first + ((start - range.first + i) % size);
    if (!taken.has(candidate)) return candidate;
  }
  return undefined;
}
