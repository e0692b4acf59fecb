// Upstream's default profile (pkg/scheduler/apis/config/v1/default_plugins.go): the plugins of
// every extension point, in their order, with the score weights.

import type { PluginRef } from './types.js';

export const defaultSchedulerName = 'default-scheduler';

export const defaultMultiPoint: readonly PluginRef[] = [
  { name: 'SchedulingGates' },
  { name: 'PrioritySort' },
  { name: 'NodeUnschedulable' },
  { name: 'NodeName' },
  { name: 'TaintToleration', weight: 3 },
  { name: 'NodeAffinity', weight: 2 },
  { name: 'NodePorts' },
  { name: 'NodeResourcesFit', weight: 1 },
  { name: 'VolumeRestrictions' },
  { name: 'NodeVolumeLimits' },
  { name: 'VolumeBinding' },
  { name: 'VolumeZone' },
  { name: 'PodTopologySpread', weight: 2 },
  { name: 'InterPodAffinity', weight: 2 },
  { name: 'DefaultPreemption' },
  { name: 'NodeResourcesBalancedAllocation', weight: 1 },
  { name: 'ImageLocality', weight: 1 },
  { name: 'DefaultBinder' },
];

/**
 * Upstream plugins kubets accepts in a configuration but runs nothing for: the queue sort and the
 * binder are built in (priority order, a POST of the pod's binding); kubets has no volumes to bind
 * or count, does not preempt, and does not score image locality.
 */
export const builtInOrAbsent: ReadonlySet<string> = new Set([
  'SchedulingGates',
  'PrioritySort',
  'DefaultBinder',
  'DefaultPreemption',
  'VolumeRestrictions',
  'NodeVolumeLimits',
  'VolumeBinding',
  'VolumeZone',
  'EBSLimits',
  'GCEPDLimits',
  'AzureDiskLimits',
  'ImageLocality',
]);
