// The kinds of process a local cluster runs, in start order: each waits for the one before it
// (etcd, then the API servers, then what talks to them). Stopping runs the list backwards.

export const roles = ['etcd', 'apiserver', 'scheduler', 'controller-manager', 'kubelet', 'kube-proxy'] as const;

export type Role = (typeof roles)[number];

/** Where the role starts: 0 for etcd, the API servers next, and so on. */
export const startRank = (role: string): number => roles.indexOf(role as Role);
