// The Endpoints object to write for a Service, or none when the stored one already says it all,
// as upstream's syncService decides: the subsets (truncated past 1000 addresses), the Service's
// labels plus `service.kubernetes.io/headless` for a headless Service, and the annotations of
// the last change's trigger time and of truncation. The trigger time alone never causes a write.

import type { EndpointSubset, Endpoints, Service } from '@kubets/api';
import { isServiceIPSet } from '../endpointslice/util/pod-endpoints.js';
import { semanticEqual } from '../endpointslice/util/semantic-equal.js';
import { lastChangeTriggerTimeAnnotation } from '../endpointslice/util/trigger-time-tracker.js';
import { overCapacityAnnotation, truncateSubsets, truncated } from './truncate.js';

export const headlessLabel = 'service.kubernetes.io/headless';

/**
 * `current` is the cached Endpoints (undefined: none yet); `triggerTime` the tracker's answer.
 * Deviation: upstream compares the stored subsets with the untruncated ones, so an Endpoints over
 * capacity is rewritten on every sync; we compare with what would be written.
 */
export function desiredEndpoints(current: Endpoints | undefined, service: Service, subsets: EndpointSubset[], triggerTime: string | undefined): Endpoints | undefined {
  const cut = truncateSubsets(subsets);
  const finalSubsets = cut ?? subsets;
  if (current !== undefined && unchanged(current, service, finalSubsets, cut !== undefined)) return undefined;
  const annotations = { ...current?.metadata?.annotations };
  if (triggerTime !== undefined) annotations[lastChangeTriggerTimeAnnotation] = triggerTime;
  else delete annotations[lastChangeTriggerTimeAnnotation];
  if (cut !== undefined) annotations[overCapacityAnnotation] = truncated;
  else delete annotations[overCapacityAnnotation];
  const labels: Record<string, string> = { ...service.metadata?.labels };
  if (!isServiceIPSet(service)) labels[headlessLabel] = '';
  else delete labels[headlessLabel];
  const base = current ?? { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: service.metadata!.name!, namespace: service.metadata!.namespace! } };
  const out: Endpoints = { ...base, metadata: { ...base.metadata, labels, annotations } };
  if (finalSubsets.length > 0) out.subsets = finalSubsets;
  else delete out.subsets;
  return out;
}

function unchanged(current: Endpoints, service: Service, subsets: EndpointSubset[], overCapacity: boolean): boolean {
  const { [headlessLabel]: _headless, ...currentLabels } = current.metadata?.labels ?? {};
  return semanticEqual(current.subsets, subsets) &&
    semanticEqual(currentLabels, service.metadata?.labels) &&
    (current.metadata?.annotations?.[overCapacityAnnotation] === truncated) === overCapacity;
}
