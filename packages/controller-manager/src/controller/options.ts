// The controller manager's settings, under kube-controller-manager's flag names, with its
// defaults. Durations are in milliseconds here; the flags take Go durations ("40s", "5m").

export interface ControllerManagerOptions {
  /** --concurrent-replicaset-syncs and the like: workers per controller. */
  concurrentReplicaSetSyncs: number;
  concurrentDeploymentSyncs: number;
  concurrentEndpointSyncs: number;
  concurrentServiceEndpointSyncs: number;
  concurrentJobSyncs: number;
  concurrentTtlAfterFinishedSyncs: number;
  concurrentGcSyncs: number;
  concurrentNamespaceSyncs: number;
  concurrentServiceAccountSyncs: number;
  /** --max-endpoints-per-slice */
  maxEndpointsPerSlice: number;
  /** --endpoint-updates-batch-period, --endpointslice-updates-batch-period: pod changes gathered before a sync. */
  endpointUpdatesBatchPeriodMs: number;
  endpointSliceUpdatesBatchPeriodMs: number;
  /** --node-monitor-period: how often node health is checked. */
  nodeMonitorPeriodMs: number;
  /** --node-monitor-grace-period: a node whose lease is older than this is Ready=Unknown. */
  nodeMonitorGracePeriodMs: number;
  /** --node-startup-grace-period: the same, for a node that never reported Ready. */
  nodeStartupGracePeriodMs: number;
  /** --node-eviction-rate: nodes per second whose pods may be evicted (zone healthy). */
  nodeEvictionRate: number;
  /** --secondary-node-eviction-rate: the same in a partly disrupted large zone. */
  secondaryNodeEvictionRate: number;
  /** --unhealthy-zone-threshold: the share of not-Ready nodes that makes a zone partly disrupted. */
  unhealthyZoneThreshold: number;
  /** --large-cluster-size-threshold: zones with fewer nodes stop evicting when partly disrupted. */
  largeClusterSizeThreshold: number;
  /** --allocate-node-cidrs, --cluster-cidr, --node-cidr-mask-size: IPAM of spec.podCIDR. */
  allocateNodeCidrs: boolean;
  clusterCidr: string | undefined;
  nodeCidrMaskSize: number;
  /** --namespace-sync-period: how often every namespace is looked at again. */
  namespaceSyncPeriodMs: number;
  /** --min-resync-period: informers' resync period (upstream picks one in [min, 2*min)). */
  minResyncPeriodMs: number;
}

export function defaultOptions(): ControllerManagerOptions {
  return {
    concurrentReplicaSetSyncs: 5,
    concurrentDeploymentSyncs: 5,
    concurrentEndpointSyncs: 5,
    concurrentServiceEndpointSyncs: 5,
    concurrentJobSyncs: 5,
    concurrentTtlAfterFinishedSyncs: 5,
    concurrentGcSyncs: 20,
    concurrentNamespaceSyncs: 10,
    concurrentServiceAccountSyncs: 5,
    maxEndpointsPerSlice: 100,
    endpointUpdatesBatchPeriodMs: 0,
    endpointSliceUpdatesBatchPeriodMs: 0,
    nodeMonitorPeriodMs: 5_000,
    nodeMonitorGracePeriodMs: 50_000,
    nodeStartupGracePeriodMs: 60_000,
    nodeEvictionRate: 0.1,
    secondaryNodeEvictionRate: 0.01,
    unhealthyZoneThreshold: 0.55,
    largeClusterSizeThreshold: 50,
    allocateNodeCidrs: false,
    clusterCidr: undefined,
    nodeCidrMaskSize: 24,
    namespaceSyncPeriodMs: 5 * 60_000,
    minResyncPeriodMs: 12 * 60 * 60_000,
  };
}
