// The cluster's kubeconfig, written to its data dir, and on request merged into the user's
// ~/.kube/config as a context named after the cluster (made current), as kind and k3d do.
// Every API server is listed (the kubets.io/servers extension); kubectl uses the first.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { buildKubeconfig, type Kubeconfig, readKubeconfigFile, serializeKubeconfig, writeKubeconfig } from '@kubets/client/kubeconfig';
import { writeFileAtomically } from './files.js';

export function writeClusterKubeconfig(path: string, name: string, servers: string[]): void {
  writeKubeconfig(path, { clusterName: name, servers });
}

export function userKubeconfigPath(): string {
  return join(process.env.HOME ?? homedir(), '.kube', 'config');
}

/** Adds (or replaces) the cluster's cluster, user and context entries and makes its context current. */
export function mergeIntoKubeconfig(path: string, name: string, servers: string[]): void {
  const ours = buildKubeconfig({ clusterName: name, servers });
  const theirs: Kubeconfig = existsSync(path) ? readKubeconfigFile(path) : { clusters: [], users: [], contexts: [] };
  const replace = <T extends { name: string }>(list: T[] | undefined, add: T[]) => [...(list ?? []).filter((e) => !add.some((a) => a.name === e.name)), ...add];
  const merged: Kubeconfig = {
    ...theirs,
    apiVersion: 'v1',
    kind: 'Config',
    clusters: replace(theirs.clusters, ours.clusters),
    users: replace(theirs.users, ours.users),
    contexts: replace(theirs.contexts, ours.contexts),
    'current-context': ours['current-context']!,
  };
  writeFileAtomically(path, serializeKubeconfig(merged), 0o600);
}
