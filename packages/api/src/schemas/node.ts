import { type Static, Type } from '@sinclair/typebox';
import { ResourceList } from './pod.js';
import { Time, conditionSchema, objectSchema } from './meta.js';
import { described } from './describe.js';

export const Taint = Type.Object({
  key: Type.String({ description: 'The taint key, such as node.kubernetes.io/unreachable.' }),
  value: Type.Optional(Type.String({ description: 'The taint value.' })),
  effect: Type.String({ description: 'What happens to pods that do not tolerate it: NoSchedule, PreferNoSchedule or NoExecute (running pods are evicted too).' }),
  timeAdded: Type.Optional(described(Time, 'When a NoExecute taint was added.')),
}, { description: 'Keeps pods that do not tolerate it off the node.' });
export type Taint = Static<typeof Taint>;

export const NodeAddress = Type.Object({
  type: Type.String({ description: 'Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.' }),
  address: Type.String({ description: 'The address itself.' }),
}, { description: 'One address of the node.' });

export const NodeSpec = Type.Object({
  podCIDR: Type.Optional(Type.String({ description: 'The address range the node\'s pods take their IPs from, such as 10.244.1.0/24.' })),
  podCIDRs: Type.Optional(Type.Array(Type.String(), { description: 'The pod address ranges, at most one per IP family; the first is podCIDR.' })),
  providerID: Type.Optional(Type.String({ description: 'The ID of the machine at its cloud provider, as <provider>://<id>.' })),
  unschedulable: Type.Optional(Type.Boolean({ description: 'If true (kubectl cordon), no new pods are scheduled onto the node. Default false.' })),
  taints: Type.Optional(Type.Array(Taint, { description: 'Taints that keep pods without a matching toleration away.' })),
}, { description: 'The desired state of a node.' });

export const NodeStatus = Type.Object({
  capacity: Type.Optional(described(ResourceList, 'All the resources of the node: cpu, memory, pods ...')),
  allocatable: Type.Optional(described(ResourceList, 'The part of capacity that pods may use; the scheduler places pods by it.')),
  phase: Type.Optional(Type.String({ description: 'Deprecated and unused: Pending, Running or Terminated.' })),
  conditions: Type.Optional(Type.Array(conditionSchema({ lastHeartbeatTime: Type.Optional(described(Time, 'When the kubelet last reported this condition.')) }), { description: 'Ready, MemoryPressure, DiskPressure, PIDPressure and NetworkUnavailable, as the kubelet reports them.' })),
  addresses: Type.Optional(Type.Array(NodeAddress, { description: 'The addresses the node is reachable at.' })),
  daemonEndpoints: Type.Optional(
    Type.Object({
      kubeletEndpoint: Type.Optional(Type.Object({
        Port: Type.Integer({ description: 'The port number.' }),
      }, { description: 'The port the kubelet serves on (logs, exec).' })),
    }, { description: 'The ports of the daemons running on the node.' }),
  ),
  nodeInfo: Type.Optional(
    Type.Object({
      machineID: Type.String({ description: 'The machine ID, from /etc/machine-id.' }),
      systemUUID: Type.String({ description: 'The system UUID reported by the firmware.' }),
      bootID: Type.String({ description: 'The ID of the current boot; it changes when the node reboots.' }),
      kernelVersion: Type.String({ description: 'The kernel version, as uname -r gives it.' }),
      osImage: Type.String({ description: 'The operating system, as /etc/os-release names it.' }),
      containerRuntimeVersion: Type.String({ description: 'The container runtime and its version, as <runtime>://<version>.' }),
      kubeletVersion: Type.String({ description: 'The version of the kubelet.' }),
      kubeProxyVersion: Type.String({ description: 'Deprecated: the version of kube-proxy, not always reliable.' }),
      operatingSystem: Type.String({ description: 'The operating system family, such as linux.' }),
      architecture: Type.String({ description: 'The CPU architecture, such as amd64 or arm64.' }),
    }, { description: 'What the node runs: versions and identifiers.' }),
  ),
}, { description: 'The observed state of a node, written by its kubelet.' });

export const Node = objectSchema(
  'Node',
  {
    spec: Type.Optional(described(NodeSpec, 'How the node should be used: pod ranges, taints, cordon.')),
    status: Type.Optional(described(NodeStatus, 'What the node is, as last reported; read-only.')),
  },
  'A machine that runs pods, registered by its kubelet.',
);
export type Node = Static<typeof Node>;
