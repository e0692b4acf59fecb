// The EndpointSlice controller, as kube-controller-manager's endpointslice-controller (alias `endpointslice`).
import type { ControllerDescriptor } from '../../controller/controller.js';
import { EndpointSliceController } from './endpointslice-controller.js';

export { EndpointSliceController, type EndpointSliceControllerOptions } from './endpointslice-controller.js';
export { planSlices, type PlanInput, type SlicePlan } from './plan.js';
export { controllerName, managedByLabel } from './slice-objects.js';
export { endpointSlicesResource } from './reconciler.js';

export const endpointSliceControllerDescriptor: ControllerDescriptor = {
  name: 'endpointslice-controller',
  aliases: ['endpointslice'],
  enabledByDefault: true,
  create: (ctx) => new EndpointSliceController(ctx, {
    maxEndpointsPerSlice: ctx.options.maxEndpointsPerSlice,
    endpointUpdatesBatchPeriodMs: ctx.options.endpointSliceUpdatesBatchPeriodMs,
  }),
};
