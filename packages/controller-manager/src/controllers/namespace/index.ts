// The namespace controller's descriptor, under upstream's --controllers name
// (names.NamespaceController; upstream also accepts its old alias `namespace`).

import type { ControllerDescriptor } from '../../controller/controller.js';
import { NamespaceController } from './namespace-controller.js';

export const namespaceDescriptor: ControllerDescriptor = {
  name: 'namespace-controller',
  aliases: ['namespace'],
  enabledByDefault: true,
  create: (ctx) => new NamespaceController(ctx),
};

export { NamespaceController, type NamespaceControllerOptions, namespaceDeletionGracePeriodMs } from './namespace-controller.js';
export { NamespacedResourcesDeleter, ResourcesRemainingError, kubernetesFinalizer } from './deleter.js';
export { NamespaceConditionUpdater, namespaceConditionTypes, type NamespaceCondition, type ContentTotals } from './conditions.js';
