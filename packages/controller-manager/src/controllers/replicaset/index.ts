// The ReplicaSet controller, as kube-controller-manager registers it (`--controllers=replicaset`).
import type { ControllerDescriptor } from '../../controller/controller.js';
import { ReplicaSetController } from './replicaset-controller.js';

export const replicaSetControllerDescriptor: ControllerDescriptor = {
  name: 'replicaset',
  enabledByDefault: true,
  create: (ctx) => new ReplicaSetController(ctx),
};

export { ReplicaSetController, replicaSetControllerComponent } from './replicaset-controller.js';
export { burstReplicas, replicasDiff } from './manage-replicas.js';
export { calculateStatus as calculateReplicaSetStatus } from './replicaset-status.js';
