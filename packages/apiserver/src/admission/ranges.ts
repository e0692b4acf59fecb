// The service cluster-IP range (an IPv4 CIDR) and the node-port range ("30000-32767").

import { isValidCIDR } from '@kubets/api';

export interface IPRange {
  cidr: string;
  /** First and last usable addresses as integers (network and broadcast excluded). */
  first: number;
  last: number;
}

export function ipToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (m === null) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function parseServiceCIDR(cidr: string): IPRange {
  const problems = isValidCIDR(cidr);
  const [addr, bitsText] = cidr.split('/');
  const base = ipToInt(addr ?? '');
  const bits = Number(bitsText);
  if (problems.length > 0 || base === undefined || !Number.isInteger(bits) || bits < 8 || bits > 30) {
    throw new Error(`--service-cluster-ip-range ${JSON.stringify(cidr)}: an IPv4 CIDR between /8 and /30 is required`);
  }
  const size = 2 ** (32 - bits);
  const network = base - (base % size);
  return { cidr: `${intToIp(network)}/${bits}`, first: network + 1, last: network + size - 2 };
}

export interface PortRange {
  text: string;
  first: number;
  last: number;
}

export function parsePortRange(text: string): PortRange {
  const m = /^(\d+)-(\d+)$/.exec(text.trim());
  const first = Number(m?.[1]);
  const last = Number(m?.[2]);
  if (m === null || first < 1 || last > 65535 || first > last) {
    throw new Error(`--service-node-port-range ${JSON.stringify(text)}: expected "<first>-<last>" within 1-65535`);
  }
  return { text: `${first}-${last}`, first, last };
}
