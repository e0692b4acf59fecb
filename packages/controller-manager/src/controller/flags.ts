// kube-controller-manager's flags for the controllers' settings, with its names and defaults,
// and the options they make.

import { boolOption, durationFlag } from '@kubets/component-base/flags';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { defaultOptions, type ControllerManagerOptions } from './options.js';

const d = defaultOptions();

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}

function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a number of at least 0');
  return n;
}

/** Each flag: its option field, the flag, its help. Workers first, then node health, then IPAM. */
const workerFlags: [keyof ControllerManagerOptions, string, string][] = [
  ['concurrentReplicaSetSyncs', '--concurrent-replicaset-syncs <n>', 'replica sets synced at once'],
  ['concurrentDeploymentSyncs', '--concurrent-deployment-syncs <n>', 'deployments synced at once'],
  ['concurrentEndpointSyncs', '--concurrent-endpoint-updates <n>', 'services whose Endpoints are synced at once'],
  ['concurrentServiceEndpointSyncs', '--concurrent-service-endpoint-syncs <n>', 'services whose EndpointSlices are synced at once'],
  ['concurrentJobSyncs', '--concurrent-job-syncs <n>', 'jobs synced at once'],
  ['concurrentTtlAfterFinishedSyncs', '--concurrent-ttl-after-finished-syncs <n>', 'finished jobs whose time to live is checked at once'],
  ['concurrentGcSyncs', '--concurrent-gc-syncs <n>', 'garbage collector workers'],
  ['concurrentNamespaceSyncs', '--concurrent-namespace-syncs <n>', 'namespaces synced at once'],
  ['concurrentServiceAccountSyncs', '--concurrent-serviceaccount-token-syncs <n>', 'namespaces whose default ServiceAccount is synced at once'],
  ['maxEndpointsPerSlice', '--max-endpoints-per-slice <n>', 'endpoints an EndpointSlice holds at most'],
];

const durationFlags: [keyof ControllerManagerOptions, string, string][] = [
  ['endpointUpdatesBatchPeriodMs', '--endpoint-updates-batch-period <duration>', 'how long pod changes are gathered before a Service\'s Endpoints are synced'],
  ['endpointSliceUpdatesBatchPeriodMs', '--endpointslice-updates-batch-period <duration>', 'the same for its EndpointSlices'],
  ['nodeMonitorPeriodMs', '--node-monitor-period <duration>', 'how often node health is checked'],
  ['nodeMonitorGracePeriodMs', '--node-monitor-grace-period <duration>', 'how long a node may go unheard of before it is Ready=Unknown'],
  ['nodeStartupGracePeriodMs', '--node-startup-grace-period <duration>', 'how long a starting node may go unheard of before it is Ready=Unknown'],
  ['namespaceSyncPeriodMs', '--namespace-sync-period <duration>', 'how often each namespace is looked at again'],
  ['minResyncPeriodMs', '--min-resync-period <duration>', 'informers re-deliver their objects every [min, 2*min)'],
];

export function addControllerFlags(program: Command): Command {
  for (const [field, flag, help] of workerFlags) program.option(flag, help, positiveInt, d[field] as number);
  for (const [field, flag, help] of durationFlags) program.addOption(durationFlag(flag, help, d[field] as number));
  return program
    .option('--node-eviction-rate <rate>', 'nodes per second whose pods may be evicted while their zone is healthy', nonNegativeNumber, d.nodeEvictionRate)
    .option('--secondary-node-eviction-rate <rate>', 'nodes per second whose pods may be evicted while their zone is partly disrupted', nonNegativeNumber, d.secondaryNodeEvictionRate)
    .option('--unhealthy-zone-threshold <share>', 'the share of not-Ready nodes (at least 3) that makes a zone unhealthy', nonNegativeNumber, d.unhealthyZoneThreshold)
    .option('--large-cluster-size-threshold <n>', 'zones with more nodes than this keep evicting, slowly, when unhealthy', positiveInt, d.largeClusterSizeThreshold)
    .addOption(new Option('--allocate-node-cidrs [bool]', 'give each node a podCIDR from --cluster-cidr').argParser(boolOption).default(false))
    .option('--cluster-cidr <cidr>', 'the range pods\' addresses come from (node podCIDRs are carved from it)')
    .option('--node-cidr-mask-size <bits>', 'the prefix length of each node\'s podCIDR', positiveInt, d.nodeCidrMaskSize);
}

/** The options from parsed flags (commander's camelCase names). */
export function optionsFromFlags(f: Record<string, unknown>): ControllerManagerOptions {
  const o = defaultOptions();
  const take = (field: keyof ControllerManagerOptions, flag: string) => {
    const name = flag.slice(2).split(' ')[0]!.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (f[name] !== undefined) (o as unknown as Record<string, unknown>)[field] = f[name];
  };
  for (const [field, flag] of [...workerFlags, ...durationFlags]) take(field, flag);
  for (const k of ['nodeEvictionRate', 'secondaryNodeEvictionRate', 'unhealthyZoneThreshold', 'largeClusterSizeThreshold'] as const) {
    if (typeof f[k] === 'number') o[k] = f[k];
  }
  if (typeof f.allocateNodeCidrs === 'boolean') o.allocateNodeCidrs = f.allocateNodeCidrs;
  if (typeof f.clusterCidr === 'string') o.clusterCidr = f.clusterCidr;
  if (typeof f.nodeCidrMaskSize === 'number') o.nodeCidrMaskSize = f.nodeCidrMaskSize;
  return o;
}
