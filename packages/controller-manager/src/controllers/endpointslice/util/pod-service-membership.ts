// Which Services a pod change concerns, as upstream's GetPodServiceMemberships and
// GetServicesToUpdateOnPodChange: those whose selector matches the pod's labels, old and new.
// A pod change that no endpoint can show (an annotation, a container status) concerns none.

import { labelSelectorFromSet, type Pod, type Service } from '@kubets/api';
import { keyFor } from '@kubets/client';
import { isPodReady } from '../../../controller/util/pod-status.js';

/** The keys of the Services (of the pod's namespace, given) whose selector matches these labels. */
export function servicesSelecting(services: readonly Service[], labels: Record<string, string> | undefined): Set<string> {
  const keys = new Set<string>();
  for (const svc of services) {
    const selector = svc.spec?.selector;
    // A Service without a selector selects nothing, not everything.
    if (selector === undefined || Object.keys(selector).length === 0) continue;
    if (labelSelectorFromSet(selector).matches(labels ?? {})) keys.add(keyFor(svc.metadata?.namespace, svc.metadata!.name!));
  }
  return keys;
}

/**
 * The Services to sync after a pod update. A resync (same resourceVersion) or a change no endpoint
 * shows concerns none; with new labels, the Services that gained or lost the pod (all of them, old
 * and new, when the endpoint changed too).
 */
export function servicesToUpdateOnPodChange(services: readonly Service[], oldPod: Pod, newPod: Pod): Set<string> {
  if (oldPod.metadata?.resourceVersion === newPod.metadata?.resourceVersion) return new Set();
  const { podChanged, labelsChanged } = podEndpointsChanged(oldPod, newPod);
  if (!podChanged && !labelsChanged) return new Set();
  const current = servicesSelecting(services, newPod.metadata?.labels);
  if (!labelsChanged) return current;
  const previous = servicesSelecting(services, oldPod.metadata?.labels);
  if (podChanged) return new Set([...current, ...previous]);
  return symmetricDifference(current, previous);
}

function podEndpointsChanged(oldPod: Pod, newPod: Pod): { podChanged: boolean; labelsChanged: boolean } {
  const labelsChanged = !sameLabels(oldPod.metadata?.labels, newPod.metadata?.labels) ||
    oldPod.spec?.hostname !== newPod.spec?.hostname || oldPod.spec?.subdomain !== newPod.spec?.subdomain;
  const podChanged = oldPod.metadata?.deletionTimestamp !== newPod.metadata?.deletionTimestamp ||
    isPodReady(oldPod) !== isPodReady(newPod) ||
    podIPs(oldPod).join(',') !== podIPs(newPod).join(',');
  return { podChanged, labelsChanged };
}

function podIPs(pod: Pod): string[] {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip);
  return ips.length > 0 ? ips : pod.status?.podIP ? [pod.status.podIP] : [];
}

function sameLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ak = Object.keys(a ?? {});
  if (ak.length !== Object.keys(b ?? {}).length) return false;
  return ak.every((k) => b?.[k] === a?.[k]);
}

function symmetricDifference(a: Set<string>, b: Set<string>): Set<string> {
  const out = new Set<string>();
  for (const k of a) if (!b.has(k)) out.add(k);
  for (const k of b) if (!a.has(k)) out.add(k);
  return out;
}
