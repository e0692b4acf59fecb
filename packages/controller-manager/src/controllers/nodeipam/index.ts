// Node IPAM: pod CIDRs for nodes from the cluster CIDR (upstream's range allocator).
import type { ControllerDescriptor } from '../../controller/controller.js';
import { DisabledController, NodeIpamController, nodeIpamControllerName } from './node-ipam-controller.js';

export * from './cidr-set.js';
export { NodeIpamController, DisabledController, nodeIpamControllerName, noCidrCondition, cidrAssignedCondition } from './node-ipam-controller.js';

export const nodeIpamControllerDescriptor: ControllerDescriptor = {
  name: nodeIpamControllerName,
  aliases: ['nodeipam'],
  enabledByDefault: true,
  create: (ctx) => {
    const { allocateNodeCidrs, clusterCidr } = ctx.options;
    if (!allocateNodeCidrs || clusterCidr === undefined || clusterCidr === '') {
      ctx.logger.info({ controller: nodeIpamControllerName }, 'Controller is disabled: --allocate-node-cidrs and --cluster-cidr are both needed');
      return new DisabledController();
    }
    return new NodeIpamController(ctx, clusterCidr);
  },
};
