// How a pod gets its address: the role of CNI in the kubelet. Today's implementation gives each pod
// a loopback address of its own from the node's podCIDR (loopback-network.ts); the pod network
// issue adds a second one with a network namespace per pod, behind this same interface.

export interface PodNetworkAttachment {
  /** The pod's primary address, its status.podIP. */
  ip: string;
  /** Every address of the pod, the primary first (status.podIPs). */
  ips: string[];
}

export interface PodNetwork {
  /** Gives the pod its address, or the one it already has (idempotent per pod uid; kept across kubelet restarts). */
  setUpPod(pod: { uid: string; namespace: string; name: string }): Promise<PodNetworkAttachment>;
  /** Frees the pod's address; unknown pods are not an error. */
  tearDownPod(podUid: string): Promise<void>;
  /** The address a pod has, if it has one. */
  podAddress(podUid: string): PodNetworkAttachment | undefined;
}
