// Merging several kubeconfig files the way kubectl merges the KUBECONFIG list: for every
// cluster, user and context name, and for current-context, the first file that sets it wins.

import type { Kubeconfig } from './types.js';

function mergeNamed<T extends { name: string }>(lists: T[][]): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const list of lists) {
    for (const entry of list) {
      if (seen.has(entry.name)) continue;
      seen.add(entry.name);
      out.push(entry);
    }
  }
  return out;
}

export function mergeKubeconfigs(configs: Kubeconfig[]): Kubeconfig {
  const merged: Kubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: mergeNamed(configs.map((c) => c.clusters)),
    users: mergeNamed(configs.map((c) => c.users)),
    contexts: mergeNamed(configs.map((c) => c.contexts)),
  };
  const current = configs.find((c) => c['current-context'] !== undefined && c['current-context'] !== '')?.['current-context'];
  if (current !== undefined) merged['current-context'] = current;
  const prefs = configs.find((c) => c.preferences !== undefined)?.preferences;
  if (prefs !== undefined) merged.preferences = prefs;
  return merged;
}
