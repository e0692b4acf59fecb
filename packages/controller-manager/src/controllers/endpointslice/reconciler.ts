// Carries out a slice plan against the API (upstream reconciler.go's finalize): creates (not for a
// Service being deleted, as the garbage collector would race them), updates, deletes, each
// recorded in the tracker so the controller knows its own writes when the informer brings them.

import type { EndpointSlice, Node, Pod, Service } from '@kubets/api';
import { isNotFound, type KubeClient } from '@kubets/client';
import { planSlices } from './plan.js';
import { errorText, isNamespaceTerminating } from '../../controller/util/api-errors.js';
import type { EndpointSliceTracker } from './util/endpointslice-tracker.js';
import { lastChangeTriggerTimeAnnotation } from './util/trigger-time-tracker.js';

export const endpointSlicesResource = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', namespaced: true, kind: 'EndpointSlice' };

export interface ReconcileInput {
  service: Service;
  pods: readonly Pod[];
  existing: readonly EndpointSlice[];
  triggerTime: string | undefined;
}

export class SliceReconciler {
  constructor(
    private readonly client: KubeClient,
    private readonly tracker: EndpointSliceTracker,
    private readonly node: (name: string) => Node | undefined,
    private readonly maxEndpointsPerSlice: number,
  ) {}

  async reconcile({ service, pods, existing, triggerTime }: ReconcileInput): Promise<void> {
    const plan = planSlices({ service, pods, existing, node: this.node, maxEndpointsPerSlice: this.maxEndpointsPerSlice });
    const namespace = service.metadata!.namespace!;
    const svcName = `${namespace}/${service.metadata!.name}`;
    if (service.metadata?.deletionTimestamp === undefined) {
      for (const slice of plan.toCreate) {
        try {
          this.tracker.update(await this.client.create<EndpointSlice>(endpointSlicesResource, namespace, withTriggerTime(slice, triggerTime)));
        } catch (e) {
          if (isNamespaceTerminating(e)) return;
          throw new Error(`failed to create EndpointSlice for Service ${svcName}: ${errorText(e)}`);
        }
      }
    }
    for (const slice of plan.toUpdate) {
      try {
        this.tracker.update(await this.client.update<EndpointSlice>(endpointSlicesResource, namespace, withTriggerTime(slice, triggerTime)));
      } catch (e) {
        throw new Error(`failed to update ${slice.metadata?.name} EndpointSlice for Service ${svcName}: ${errorText(e)}`);
      }
    }
    for (const slice of plan.toDelete) await this.deleteSlice(slice);
    if (plan.problems.length > 0) throw new Error(plan.problems.join('; '));
  }

  /** Deletes a slice; one already gone is fine. */
  async deleteSlice(slice: EndpointSlice): Promise<void> {
    try {
      await this.client.delete(endpointSlicesResource, slice.metadata!.namespace!, slice.metadata!.name!);
    } catch (e) {
      if (isNotFound(e)) return;
      throw new Error(`failed to delete ${slice.metadata?.name} EndpointSlice for Service ${slice.metadata?.namespace}/${slice.metadata?.labels?.['kubernetes.io/service-name']}: ${errorText(e)}`);
    }
    this.tracker.expectDeletion(slice);
  }
}

function withTriggerTime(slice: EndpointSlice, triggerTime: string | undefined): EndpointSlice {
  const annotations = { ...slice.metadata?.annotations };
  if (triggerTime !== undefined) annotations[lastChangeTriggerTimeAnnotation] = triggerTime;
  else delete annotations[lastChangeTriggerTimeAnnotation];
  return { ...slice, metadata: { ...slice.metadata, annotations } };
}
