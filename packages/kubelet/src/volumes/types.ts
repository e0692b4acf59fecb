// The kubelet's volume manager, as the pod workers see it: make a pod's volumes real on the host,
// keep the ConfigMap/Secret/downward API ones current, and remove them when the pod is gone.
import type { Container, Pod } from '@kubets/api';
import type { Mount } from '../runtime/types.js';

/** Why a pod's volumes could not be set up; the pod gets an Event with this reason (FailedMount). */
export class VolumeError extends Error {
  constructor(
    readonly reason: 'FailedMount' | 'VolumesUnsupported',
    message: string,
  ) {
    super(message);
    this.name = 'VolumeError';
  }
}

export interface VolumeManager {
  /** Makes every volume of the pod (idempotent); throws VolumeError when one cannot be made. */
  setUpPod(pod: Pod): Promise<void>;
  /** Rewrites the configMap/secret/downwardAPI/projected volumes whose sources changed (atomic ..data swap). */
  refreshPod(pod: Pod): Promise<void>;
  /** The mounts of one container: each volumeMount with its subPath (subPathExpr expanded against env) and readOnly. */
  containerMounts(pod: Pod, container: Container, env?: ReadonlyArray<{ name: string; value: string }>): Mount[];
  /** Removes the pod's volume directories (never the hostPath sources). */
  tearDownPod(podUid: string): Promise<void>;
}
