// The pods-by-node index on the shared pod informer, added once whichever node controller asks
// first (upstream's "spec.nodeName" indexer).

import type { Pod } from '@kubets/api';
import type { Informer } from '@kubets/client';

export const podNodeNameIndex = 'spec.nodeName';

const indexed = new WeakSet<Informer<Pod>>();

export function ensurePodNodeIndex(pods: Informer<Pod>): void {
  if (indexed.has(pods)) return;
  pods.addIndexer(podNodeNameIndex, (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []));
  indexed.add(pods);
}

export function podsOnNode(pods: Informer<Pod>, nodeName: string): Pod[] {
  return pods.byIndex(podNodeNameIndex, nodeName);
}
