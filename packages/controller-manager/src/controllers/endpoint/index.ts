// The Endpoints controller, as kube-controller-manager's endpoints-controller (alias `endpoint`).
import type { ControllerDescriptor } from '../../controller/controller.js';
import { EndpointsController } from './endpoints-controller.js';

export { EndpointsController, type EndpointsControllerOptions } from './endpoints-controller.js';
export { desiredSubsets } from './desired-subsets.js';
export { desiredEndpoints, headlessLabel } from './desired-endpoints.js';
export { repackSubsets } from './repack.js';

export const endpointsControllerDescriptor: ControllerDescriptor = {
  name: 'endpoints-controller',
  aliases: ['endpoint'],
  enabledByDefault: true,
  create: (ctx) => new EndpointsController(ctx, { endpointUpdatesBatchPeriodMs: ctx.options.endpointUpdatesBatchPeriodMs }),
};
