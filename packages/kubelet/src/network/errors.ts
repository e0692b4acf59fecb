// Why the pod network could not give a pod its address: a catalog the kubelet matches on
// (for the pod's waiting reason and Event), never the message text.

export type PodNetworkErrorReason =
  /** The node has no podCIDR yet (the controller manager has not allocated one, and no --pod-cidr was given). */
  | 'NoPodCIDR'
  /** The podCIDR is not an IPv4 CIDR. */
  | 'InvalidPodCIDR'
  /** The podCIDR is outside 127.0.0.0/8, so pods could not listen on it without privilege. */
  | 'PodCIDRNotLoopback'
  /** Every address of the podCIDR is taken. */
  | 'PodCIDRExhausted';

export class PodNetworkError extends Error {
  constructor(
    readonly reason: PodNetworkErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'PodNetworkError';
  }
}

export function isPodNetworkError(e: unknown): e is PodNetworkError {
  return e instanceof PodNetworkError;
}
