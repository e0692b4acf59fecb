// @kubets/kubelet: the node agent. The program is src/main.ts (kubets-kubelet); what other code may
// build on are the runtime interface (the CRI's role) and the pod network interface (CNI's role).
export * from './runtime/types.js';
export * from './network/pod-network.js';
