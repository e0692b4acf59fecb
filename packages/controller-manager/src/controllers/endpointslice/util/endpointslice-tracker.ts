// Upstream's EndpointSliceTracker: the version of every EndpointSlice the controller last wrote,
// per Service, and the slices it deleted. A sync whose cache shows an older version, a slice it
// deleted or lacks one it wrote is acting on a stale cache and fails, to be retried once the
// informer has caught up; events for slices at the version the controller wrote need no sync.
// Deviation: upstream tracks metadata.generation, which kubets' API server does not set on
// EndpointSlices; the tracker uses it when present and else the resourceVersion, which in kubets
// is an etcd revision and so grows with every write.

import type { EndpointSlice, Service } from '@kubets/api';

export const serviceNameLabel = 'kubernetes.io/service-name';
const deletionExpected = -1;

/** The number a newer write of the slice makes larger. */
export function sliceVersion(slice: EndpointSlice): number {
  const g = slice.metadata?.generation;
  if (typeof g === 'number') return g;
  const rv = Number(slice.metadata?.resourceVersion);
  return Number.isFinite(rv) ? rv : 0;
}

function serviceKeyOf(slice: EndpointSlice): string {
  return `${slice.metadata?.namespace ?? ''}/${slice.metadata?.labels?.[serviceNameLabel] ?? ''}`;
}

function uidOf(slice: EndpointSlice): string {
  return slice.metadata?.uid ?? '';
}

export class EndpointSliceTracker {
  /** service key -> slice uid -> version written, or deletionExpected. */
  private readonly byService = new Map<string, Map<string, number>>();
  private readonly serviceUids = new Map<string, string>();

  has(slice: EndpointSlice): boolean {
    return this.byService.get(serviceKeyOf(slice))?.has(uidOf(slice)) ?? false;
  }

  /** True unless the slice is at (or before) the version the controller wrote. */
  shouldSync(slice: EndpointSlice): boolean {
    const v = this.byService.get(serviceKeyOf(slice))?.get(uidOf(slice));
    return v === undefined || sliceVersion(slice) > v;
  }

  /**
   * Whether the cached slices lag behind the controller's own writes: one older than written,
   * one expected deleted, or one written and missing. A Service re-created under the same name
   * starts afresh.
   */
  staleSlices(service: Service, slices: readonly EndpointSlice[]): boolean {
    const key = `${service.metadata?.namespace ?? ''}/${service.metadata?.name ?? ''}`;
    const uid = service.metadata?.uid ?? '';
    const trackedUid = this.serviceUids.get(key);
    if (trackedUid !== undefined && trackedUid !== '' && uid !== '' && trackedUid !== uid) this.byService.delete(key);
    this.serviceUids.set(key, uid);
    const written = this.byService.get(key);
    if (written === undefined) return false;
    const seen = new Set<string>();
    for (const s of slices) {
      seen.add(uidOf(s));
      const v = written.get(uidOf(s));
      if (v !== undefined && (v === deletionExpected || v > sliceVersion(s))) return true;
    }
    for (const [sliceUid, v] of written) if (v !== deletionExpected && !seen.has(sliceUid)) return true;
    return false;
  }

  update(slice: EndpointSlice): void {
    this.slicesOf(slice).set(uidOf(slice), sliceVersion(slice));
  }

  expectDeletion(slice: EndpointSlice): void {
    this.slicesOf(slice).set(uidOf(slice), deletionExpected);
  }

  /** Forgets the slice; false when its deletion was not the controller's doing. */
  handleDeletion(slice: EndpointSlice): boolean {
    const written = this.byService.get(serviceKeyOf(slice));
    const v = written?.get(uidOf(slice));
    written?.delete(uidOf(slice));
    return v === undefined || v === deletionExpected;
  }

  deleteService(namespace: string, name: string): void {
    this.byService.delete(`${namespace}/${name}`);
    this.serviceUids.delete(`${namespace}/${name}`);
  }

  private slicesOf(slice: EndpointSlice): Map<string, number> {
    const key = serviceKeyOf(slice);
    let m = this.byService.get(key);
    if (m === undefined) this.byService.set(key, (m = new Map()));
    return m;
  }
}
