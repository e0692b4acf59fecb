// Every controller kubets-controller-manager knows, under upstream's --controllers names.
// Adding a controller is adding its folder and one line here.

import type { ControllerDescriptor } from '../controller/controller.js';
import { deploymentControllerDescriptor } from './deployment/index.js';
import { endpointsControllerDescriptor } from './endpoint/index.js';
import { endpointSliceControllerDescriptor } from './endpointslice/index.js';
import { garbageCollectorDescriptor } from './garbagecollector/index.js';
import { jobControllerDescriptor, ttlAfterFinishedControllerDescriptor } from './job/index.js';
import { namespaceDescriptor } from './namespace/index.js';
import { nodeIpamControllerDescriptor } from './nodeipam/index.js';
import { nodeLifecycleControllerDescriptor } from './nodelifecycle/index.js';
import { replicaSetControllerDescriptor } from './replicaset/index.js';
import { serviceAccountControllerDescriptor } from './serviceaccount/index.js';
import { taintEvictionControllerDescriptor } from './tainteviction/index.js';

export const allControllers: readonly ControllerDescriptor[] = [
  replicaSetControllerDescriptor,
  deploymentControllerDescriptor,
  jobControllerDescriptor,
  ttlAfterFinishedControllerDescriptor,
  endpointsControllerDescriptor,
  endpointSliceControllerDescriptor,
  serviceAccountControllerDescriptor,
  garbageCollectorDescriptor,
  namespaceDescriptor,
  nodeIpamControllerDescriptor,
  nodeLifecycleControllerDescriptor,
  taintEvictionControllerDescriptor,
];
