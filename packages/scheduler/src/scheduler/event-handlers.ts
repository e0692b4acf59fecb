// The informers' events into the cache and the queue, as upstream's eventhandlers.go: unbound
// pods of this scheduler's profiles go to the queue; bound pods to the cache (confirming assumed
// ones); nodes to the cache; and every change that could make a parked pod fit is a cluster
// event for the queue.

import type { Informer, KubeObject } from '@kubets/client';
import type { Node, Pod } from '../framework/types.js';
import {
  assignedPodAdd,
  assignedPodDelete,
  assignedPodUpdateEvent,
  nodeAdd,
  nodeDelete,
  nodeUpdateEvent,
} from '../queue/cluster-events.js';
import type { Scheduler } from './scheduler.js';

const isBound = (pod: Pod) => (pod.spec.nodeName ?? '') !== '';
/** A pod that finished holds nothing on its node; upstream's informer leaves them out. */
const isTerminal = (pod: Pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

export function addPodHandlers(sched: Scheduler, pods: Informer<KubeObject>): void {
  const toScheduler = (obj: KubeObject) => obj as unknown as Pod;
  pods.addEventHandler({
    onAdd: (obj) => {
      const pod = toScheduler(obj);
      if (isBound(pod)) boundPodAdded(sched, pod);
      else if (wantsScheduling(sched, pod)) sched.queue.add(pod);
    },
    onUpdate: (oldObj, obj) => {
      const old = toScheduler(oldObj);
      const pod = toScheduler(obj);
      if (isBound(pod)) {
        if (!isBound(old)) {
          sched.queue.delete(old);
          boundPodAdded(sched, pod);
        } else boundPodUpdated(sched, old, pod);
        return;
      }
      if (!wantsScheduling(sched, pod)) sched.queue.delete(pod);
      else if (sched.cache.isAssumed(podKeyOf(pod))) return; // being bound: the bind's outcome decides
      else if (sched.queue.has(podKeyOf(pod))) sched.queue.update(pod, specChanged(old, pod));
      else if (old.metadata.resourceVersion !== pod.metadata.resourceVersion && specChanged(old, pod)) sched.queue.add(pod);
    },
    onDelete: (obj) => {
      const pod = toScheduler(obj);
      if (isBound(pod) || sched.cache.isAssumed(podKeyOf(pod))) {
        sched.cache.removePod(pod);
        sched.queue.moveAllToActiveOrBackoff(assignedPodDelete);
      }
      sched.queue.delete(pod);
    },
  });
}

export function addNodeHandlers(sched: Scheduler, nodes: Informer<KubeObject>): void {
  nodes.addEventHandler({
    onAdd: (obj) => {
      sched.cache.addNode(obj as unknown as Node);
      sched.queue.moveAllToActiveOrBackoff(nodeAdd);
    },
    onUpdate: (oldObj, obj) => {
      const node = obj as unknown as Node;
      sched.cache.updateNode(node);
      const event = nodeUpdateEvent(oldObj as unknown as Node, node);
      if (event !== undefined) sched.queue.moveAllToActiveOrBackoff(event);
    },
    onDelete: (obj) => {
      sched.cache.removeNode((obj as unknown as Node).metadata.name);
      sched.queue.moveAllToActiveOrBackoff(nodeDelete);
    },
  });
}

function wantsScheduling(sched: Scheduler, pod: Pod): boolean {
  return sched.responsibleFor(pod) && pod.metadata.deletionTimestamp === undefined && !isTerminal(pod);
}

function boundPodAdded(sched: Scheduler, pod: Pod): void {
  if (isTerminal(pod)) return;
  sched.cache.addPod(pod);
  sched.queue.moveAllToActiveOrBackoff(assignedPodAdd);
}

function boundPodUpdated(sched: Scheduler, old: Pod, pod: Pod): void {
  if (isTerminal(pod)) {
    sched.cache.removePod(pod);
  } else sched.cache.updatePod(pod);
  const event = assignedPodUpdateEvent(old, pod);
  if (event !== undefined) sched.queue.moveAllToActiveOrBackoff(event);
}

const podKeyOf = (pod: Pod) => `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name}`;

/** Whether an unscheduled pod changed in a way worth another try: its spec or labels, not just its status. */
function specChanged(old: Pod, pod: Pod): boolean {
  return JSON.stringify(old.spec) !== JSON.stringify(pod.spec) || JSON.stringify(old.metadata.labels) !== JSON.stringify(pod.metadata.labels);
}
