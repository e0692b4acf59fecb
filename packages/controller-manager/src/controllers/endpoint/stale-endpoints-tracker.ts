// Upstream's staleEndpointsTracker: after the controller updates an Endpoints, the version it
// replaced is stale; a sync that finds that version in the cache fails (and is retried) rather
// than act on a state the controller has already changed (issues.k8s.io/127370, 126578).

import type { Endpoints } from '@kubets/api';

export class StaleEndpointsTracker {
  private readonly staleVersions = new Map<string, string>();

  stale(ep: Endpoints): void {
    this.staleVersions.set(keyOf(ep.metadata?.namespace, ep.metadata?.name), ep.metadata?.resourceVersion ?? '');
  }

  isStale(ep: Endpoints): boolean {
    const v = this.staleVersions.get(keyOf(ep.metadata?.namespace, ep.metadata?.name));
    return v !== undefined && v === ep.metadata?.resourceVersion;
  }

  delete(namespace: string, name: string): void {
    this.staleVersions.delete(keyOf(namespace, name));
  }
}

function keyOf(namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? ''}/${name ?? ''}`;
}
