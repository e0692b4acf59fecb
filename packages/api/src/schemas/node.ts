import { type Static, Type } from '@sinclair/typebox';
import { ResourceList } from './pod.js';
import { Time, conditionSchema, objectSchema } from './meta.js';

export const Taint = Type.Object({
  key: Type.String(),
  value: Type.Optional(Type.String()),
  effect: Type.String(),
  timeAdded: Type.Optional(Time),
});
export type Taint = Static<typeof Taint>;

export const NodeAddress = Type.Object({ type: Type.String(), address: Type.String() });

export const NodeSpec = Type.Object({
  podCIDR: Type.Optional(Type.String()),
  podCIDRs: Type.Optional(Type.Array(Type.String())),
  providerID: Type.Optional(Type.String()),
  unschedulable: Type.Optional(Type.Boolean()),
  taints: Type.Optional(Type.Array(Taint)),
});

export const NodeStatus = Type.Object({
  capacity: Type.Optional(ResourceList),
  allocatable: Type.Optional(ResourceList),
  phase: Type.Optional(Type.String()),
  conditions: Type.Optional(Type.Array(conditionSchema({ lastHeartbeatTime: Type.Optional(Time) }))),
  addresses: Type.Optional(Type.Array(NodeAddress)),
  daemonEndpoints: Type.Optional(
    Type.Object({ kubeletEndpoint: Type.Optional(Type.Object({ Port: Type.Integer() })) }),
  ),
  nodeInfo: Type.Optional(
    Type.Object({
      machineID: Type.String(),
      systemUUID: Type.String(),
      bootID: Type.String(),
      kernelVersion: Type.String(),
      osImage: Type.String(),
      containerRuntimeVersion: Type.String(),
      kubeletVersion: Type.String(),
      kubeProxyVersion: Type.String(),
      operatingSystem: Type.String(),
      architecture: Type.String(),
    }),
  ),
});

export const Node = objectSchema(
  'Node',
  { spec: Type.Optional(NodeSpec), status: Type.Optional(NodeStatus) },
  'A machine that runs pods, registered by its kubelet.',
);
export type Node = Static<typeof Node>;
