// kube-proxy's command line, with upstream's flag names and defaults where upstream has the flag.
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { durationFlag, FlagError, type LoggingFlags } from '@kubets/component-base';

export interface ProxyFlags extends LoggingFlags {
  kubeconfig?: string;
  hostnameOverride?: string;
  bindAddress: string;
  healthzBindAddress: string;
  metricsBindAddress: string;
  nodeportAddresses: string;
  proxyMode: string;
  syncPeriod: number;
  minSyncPeriod: number;
}

export function addProxyFlags(program: Command): Command {
  return program
    .option('--kubeconfig <path>', 'kubeconfig file of the API server')
    .option('--hostname-override <name>', 'the name of this node (default: the host name): endpoints on it are local, and its Node gives the node port addresses')
    .option('--bind-address <ip>', "this node's address: node ports listen here (0.0.0.0: take the Node's InternalIP)", '0.0.0.0')
    .option('--healthz-bind-address <ip:port>', 'where /healthz, /livez, /readyz and /metrics are served', '0.0.0.0:10256')
    .option('--metrics-bind-address <ip:port>', 'a second address serving /metrics (and /healthz); empty: /metrics on the healthz address only', '')
    .option('--nodeport-addresses <primary|cidr,...>', "where node ports listen: 'primary' (the node's own address) or the node's addresses within these CIDRs (0.0.0.0/0: every local address)", 'primary')
    .option('--proxy-mode <mode>', "the data path: 'userspace' (listeners and a TCP forwarder in this process)", 'userspace')
    .addOption(durationFlag('--sync-period <duration>', 'the longest time between two syncs of the forwarding state, changes or not', 30_000))
    .addOption(durationFlag('--min-sync-period <duration>', 'the shortest time between syncs after a burst of two (changes within it are applied together)', 1_000));
}

/** The node name as upstream derives it: --hostname-override, else the host name, lower-cased. */
export function nodeNameOf(flags: ProxyFlags): string {
  return (flags.hostnameOverride ?? hostname()).toLowerCase();
}

/** "ip:port" split; a bare ip keeps the default port. */
export function parseHostPort(text: string, flag: string, defaultPort: number): { host: string; port: number } {
  const colon = text.lastIndexOf(':');
  const host = colon < 0 ? text : text.slice(0, colon);
  const port = colon < 0 ? defaultPort : Number(text.slice(colon + 1));
  if (host === '' || !Number.isInteger(port) || port < 0 || port > 65535) throw new FlagError(`invalid ${flag} ${JSON.stringify(text)}: expected ip:port`);
  return { host, port };
}
