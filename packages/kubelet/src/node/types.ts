// The shapes the node agent's parts share: the Node status types taken from @kubets/api, and
// what the machine is (read once at start, or made up for a hollow node).
import type { Node } from '@kubets/api';

export type NodeStatus = NonNullable<Node['status']>;
export type NodeCondition = NonNullable<NodeStatus['conditions']>[number];
export type NodeAddress = NonNullable<NodeStatus['addresses']>[number];
export type NodeSystemInfo = NonNullable<NodeStatus['nodeInfo']>;
/** Resource name to quantity, as the API carries it. */
export type ResourceList = Record<string, string | number>;

/** What the kubelet reads of its machine: upstream gets it from cAdvisor. */
export interface MachineInfo {
  cpuCores: number;
  memoryBytes: number;
  /** The filesystem of the root dir: what pods' ephemeral storage comes from. */
  ephemeralStorageBytes: number;
  machineID: string;
  systemUUID: string;
  bootID: string;
  kernelVersion: string;
  osImage: string;
  /** As Go's GOOS and GOARCH name them: linux, amd64 ... */
  operatingSystem: string;
  architecture: string;
}

/** What the eviction manager would say; the kubelet's own parts supply it. */
export interface NodePressure {
  memory: boolean;
  disk: boolean;
  pid: boolean;
}

/** Runs an API write, perhaps later: hollow mode passes one that bounds how many run at once. */
export type WriteGate = <T>(write: () => Promise<T>) => Promise<T>;

export const directWrites: WriteGate = (write) => write();
