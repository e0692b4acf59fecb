// Upstream's EndpointSet: endpoints keyed by what identifies them (their addresses, hostname and
// target pod), so that an endpoint whose conditions, node or zone changed is updated in place in
// the slice it is in rather than moved. Iterates in insertion order, which keeps packing
// deterministic where upstream's map order is random.

import type { Endpoint } from '@kubets/api';

export function endpointKey(e: Endpoint): string {
  return JSON.stringify([[...(e.addresses ?? [])].sort(), e.hostname ?? '', e.targetRef?.namespace ?? '', e.targetRef?.name ?? '']);
}

export class EndpointSet {
  private readonly items = new Map<string, Endpoint>();

  insert(e: Endpoint): void {
    this.items.set(endpointKey(e), e);
  }

  get(e: Endpoint): Endpoint | undefined {
    return this.items.get(endpointKey(e));
  }

  delete(e: Endpoint): void {
    this.items.delete(endpointKey(e));
  }

  get size(): number {
    return this.items.size;
  }

  /** Removes and returns the first endpoint. */
  pop(): Endpoint | undefined {
    const first = this.items.entries().next();
    if (first.done) return undefined;
    this.items.delete(first.value[0]);
    return first.value[1];
  }
}
