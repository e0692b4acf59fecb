// The Deployment controller, as kube-controller-manager registers it (`--controllers=deployment`).
import type { ControllerDescriptor } from '../../controller/controller.js';
import { DeploymentController } from './deployment-controller.js';

export const deploymentControllerDescriptor: ControllerDescriptor = {
  name: 'deployment-controller',
  aliases: ['deployment'],
  enabledByDefault: true,
  create: (ctx) => new DeploymentController(ctx),
};

export { DeploymentController, deploymentControllerComponent } from './deployment-controller.js';
export { computeHash } from './util/hash.js';
export { resolveFenceposts } from './util/fenceposts.js';
