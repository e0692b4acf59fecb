// One sync of one Deployment: the Deployment as read from the cache (a copy this sync may
// change), its ReplicaSets and pods, and the writes a step makes, each with upstream's Event.

import type { Deployment, Pod, ReplicaSet } from '@kubets/api';
import type { EventRecorder, KubeClient } from '@kubets/client';
import { isDeepStrictEqual } from 'node:util';
import type { ControllerLogger } from '../../controller/context.js';
import { deploymentKind, eventSubject } from '../../controller/util/controller-ref.js';
import { replicasAnnotationsNeedUpdate, setReplicasAnnotations } from './util/annotations.js';
import { type DeploymentCondition, type DeploymentStatus, hasProgressDeadline, setCondition } from './util/conditions.js';
import { maxSurge, replicasOf } from './util/fenceposts.js';
import { revisionAnnotation, specReplicas } from './util/replicasets.js';

export interface StepEnv {
  client: KubeClient;
  recorder: EventRecorder;
  logger: ControllerLogger;
  now(): number;
  /** Look at this Deployment again later (ms; 0: now, rate-limited). */
  requeueAfter(ms: number): void;
}

export class DeploymentStep {
  constructor(
    readonly env: StepEnv,
    readonly d: Deployment,
    readonly rsList: ReplicaSet[],
    /** The Deployment's pods by the uid of the ReplicaSet that controls them. */
    readonly podMap: Map<string, Pod[]>,
  ) {}

  get ns(): string {
    return this.d.metadata?.namespace ?? 'default';
  }

  event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.env.recorder.event(eventSubject(this.d, deploymentKind), type, reason, message);
  }

  /**
   * Sets spec.replicas and the replicas annotations (upstream scaleReplicaSet); an Event when
   * the size changed. Returns the ReplicaSet as written, and whether its size changed.
   */
  async scaleReplicaSet(rs: ReplicaSet, replicas: number, operation?: 'up' | 'down'): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    const desired = replicasOf(this.d);
    const max = desired + maxSurge(this.d);
    const sizeChanges = specReplicas(rs) !== replicas;
    if (!sizeChanges && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
    const copy = structuredClone(rs);
    copy.spec = { ...copy.spec, replicas };
    setReplicasAnnotations(copy, desired, max);
    const written = await this.env.client.update<ReplicaSet>('replicasets', this.ns, copy);
    if (sizeChanges) {
      const op = operation ?? (specReplicas(rs) < replicas ? 'up' : 'down');
      this.event('Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${rs.metadata?.name} from ${specReplicas(rs)} to ${replicas}`);
    }
    return { scaled: sizeChanges, rs: written };
  }

  /** Upstream scaleReplicaSetAndRecordEvent: nothing to do when the size is already right. */
  async scaleAndRecord(rs: ReplicaSet, replicas: number): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    if (specReplicas(rs) === replicas) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, replicas);
  }

  /** Writes the status if it differs from the stored one. */
  async writeStatus(status: DeploymentStatus): Promise<void> {
    if (isDeepStrictEqual(this.d.status ?? {}, status)) return;
    this.d.status = status;
    const written = await this.env.client.updateStatus<Deployment>('deployments', this.ns, this.d);
    this.d.metadata = { ...this.d.metadata, resourceVersion: written.metadata?.resourceVersion };
  }

  /** Sets one condition (if the Deployment has a progress deadline) and writes the status. */
  async writeProgressing(c: DeploymentCondition): Promise<void> {
    if (!hasProgressDeadline(this.d)) return;
    const status = structuredClone(this.d.status ?? {});
    setCondition(status, c);
    await this.writeStatus(status);
  }

  /**
   * The Deployment's revision annotation follows its new ReplicaSet's. Our API server's status
   * subresource keeps metadata as stored (upstream's lets annotations through), so this is a
   * patch of the Deployment itself.
   */
  async setRevision(revision: string): Promise<void> {
    if (this.d.metadata?.annotations?.[revisionAnnotation] === revision) return;
    const patch = { metadata: { annotations: { [revisionAnnotation]: revision } } };
    const written = await this.env.client.patch<Deployment>('deployments', this.ns, this.d.metadata?.name ?? '', patch);
    this.d.metadata = { ...this.d.metadata, annotations: written.metadata?.annotations ?? {}, resourceVersion: written.metadata?.resourceVersion };
  }
}
