// The taint eviction controller: pods leave nodes whose NoExecute taints they do not tolerate.
import type { ControllerDescriptor } from '../../controller/controller.js';
import { TaintEvictionController, taintEvictionControllerName } from './taint-eviction-controller.js';

export * from './tolerations.js';
export { TaintEvictionController, taintEvictionControllerName, disruptionTargetCondition, podWithDisruptionTarget } from './taint-eviction-controller.js';

export const taintEvictionControllerDescriptor: ControllerDescriptor = {
  name: taintEvictionControllerName,
  enabledByDefault: true,
  create: (ctx) => new TaintEvictionController(ctx),
};
