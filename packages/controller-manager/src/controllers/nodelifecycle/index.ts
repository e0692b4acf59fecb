// The node lifecycle controller and the helpers the other node controllers share.
import type { ControllerDescriptor } from '../../controller/controller.js';
import { NodeLifecycleController } from './node-lifecycle-controller.js';

export * from './conditions.js';
export * from './taints.js';
export * from './node-health.js';
export * from './zones.js';
export * from './rate-limited-timed-queue.js';
export * from './node-writes.js';
export * from './pod-index.js';
export { NodeLifecycleController, nodeLeaseNamespace, nodeEvictionPeriodMs, type NodeLifecycleOptions } from './node-lifecycle-controller.js';

export const nodeLifecycleControllerDescriptor: ControllerDescriptor = {
  name: 'node-lifecycle-controller',
  enabledByDefault: true,
  aliases: ['nodelifecycle'],
  create: (ctx) => new NodeLifecycleController(ctx, {
    secondaryEvictionQps: ctx.options.secondaryNodeEvictionRate,
    unhealthyZoneThreshold: ctx.options.unhealthyZoneThreshold,
    largeClusterThreshold: ctx.options.largeClusterSizeThreshold,
  }),
};
