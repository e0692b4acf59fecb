// The pod writes of the Job controller, each with upstream's Event on the Job (RealPodControl):
// SuccessfulCreate "Created pod: <name>", FailedCreate "Error creating: <err>", SuccessfulDelete
// "Deleted pod: <name>", FailedDelete "Error deleting: <err>"; and removing the tracking
// finalizer with a strategic-merge $deleteFromPrimitiveList, as upstream patches it.

import type { Pod } from '@kubets/api';
import { type EventRecorder, isNotFound, type KubeClient } from '@kubets/client';
import { hasTrackingFinalizer } from './pods.js';
import { jobTrackingFinalizer, type Job } from './types.js';
import { errorText, isNamespaceTerminating } from '../../controller/util/api-errors.js';



export class PodControl {
  constructor(private readonly client: KubeClient, private readonly recorder: EventRecorder) {}

  async create(job: Job, pod: Pod): Promise<Pod> {
    try {
      const created = await this.client.create<Pod>('pods', pod.metadata?.namespace, pod);
      this.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name ?? ''}`);
      return created;
    } catch (err) {
      if (!isNamespaceTerminating(err)) this.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${errorText(err)}`);
      throw err;
    }
  }

  /** Deletes the pod (gracefully; its finalizer stays). A pod already gone throws NotFound, without an Event. */
  async delete(job: Job, pod: Pod): Promise<void> {
    const name = pod.metadata?.name ?? '';
    try {
      await this.client.delete('pods', pod.metadata?.namespace, name);
    } catch (err) {
      if (!isNotFound(err)) this.recorder.event(job, 'Warning', 'FailedDelete', `Error deleting: ${errorText(err)}`);
      throw err;
    }
    this.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
  }

  /** Removes batch.kubernetes.io/job-tracking; nothing to do when the pod does not have it. */
  async removeTrackingFinalizer(pod: Pod): Promise<void> {
    if (!hasTrackingFinalizer(pod)) return;
    const patch = { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [jobTrackingFinalizer] } };
    await this.client.patch('pods', pod.metadata?.namespace, pod.metadata?.name ?? '', patch, { type: 'strategic' });
  }
}
