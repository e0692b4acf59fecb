// The pod event handlers both endpoint controllers register: a pod change queues the Services
// it concerns (by their selectors over the pod's old and new labels), as upstream's addPod,
// updatePod and deletePod. The handlers only queue keys; the sync reads the caches.

import { labelSelectorFromSet, type Pod, type Service } from '@kubets/api';
import type { EventHandler, Informer } from '@kubets/client';
import { servicesSelecting, servicesToUpdateOnPodChange } from './pod-service-membership.js';

export function podEventHandler(services: Informer<Service>, enqueue: (serviceKey: string) => void): EventHandler<Pod> {
  const memberships = (pod: Pod) => servicesSelecting(services.list(pod.metadata?.namespace ?? ''), pod.metadata?.labels);
  return {
    onAdd: (pod) => memberships(pod).forEach(enqueue),
    onUpdate: (oldPod, newPod) => servicesToUpdateOnPodChange(services.list(newPod.metadata?.namespace ?? ''), oldPod, newPod).forEach(enqueue),
    onDelete: (pod) => memberships(pod).forEach(enqueue),
  };
}

/** The pods of the Service's namespace its selector matches, from the cache. */
export function podsSelectedBy(pods: Informer<Pod>, service: Service): Pod[] {
  const selector = labelSelectorFromSet(service.spec?.selector ?? {});
  return pods.list(service.metadata?.namespace ?? '').filter((p) => selector.matches(p.metadata?.labels ?? {}));
}
