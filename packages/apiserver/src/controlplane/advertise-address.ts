// The address an API server gives the cluster for itself (the `kubernetes` Service's endpoints),
// as kube-apiserver picks it: --advertise-address, else --bind-address, else (bound to every
// address) the IPv4 address of the interface that holds the default route.

import { readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';

const unspecified = new Set(['', '0.0.0.0', '::']);

/** The interface of the IPv4 default route, from /proc/net/route (Linux); undefined elsewhere. */
function defaultRouteInterface(): string | undefined {
  let table: string;
  try {
    table = readFileSync('/proc/net/route', 'utf8');
  } catch {
    return undefined;
  }
  // Columns: Iface Destination Gateway Flags ...; destination 00000000 is the default route.
  return table.split('\n').slice(1).map((l) => l.trim().split(/\s+/)).find((cols) => cols[1] === '00000000')?.[0];
}

function ipv4Of(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  return networkInterfaces()[name]?.find((a) => a.family === 'IPv4' && !a.internal)?.address;
}

function anyExternalIPv4(): string | undefined {
  return Object.values(networkInterfaces()).flat().find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;
}

export function resolveAdvertiseAddress(advertiseAddress: string | undefined, bindAddress: string): string {
  if (advertiseAddress !== undefined && !unspecified.has(advertiseAddress)) return advertiseAddress;
  if (!unspecified.has(bindAddress)) return bindAddress;
  const chosen = ipv4Of(defaultRouteInterface()) ?? anyExternalIPv4();
  if (chosen === undefined) throw new Error('Unable to find suitable network address. Try to set the AdvertiseAddress directly or provide a valid BindAddress to fix this.');
  return chosen;
}
