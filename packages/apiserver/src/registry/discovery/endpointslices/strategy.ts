// EndpointSlices: generation starts at 1 and moves whenever anything but metadata changes (an
// EndpointSlice has no status: its endpoints, ports and addressType are what controllers and
// proxies track), as upstream's endpointslice strategy; and the columns of `kubectl get
// endpointslices`, which list up to three ports and addresses ("<unset>" when there are none),
// as upstream's printer.

import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../../storage/interface.js';
import { defineStrategy } from '../../default-strategy.js';
import { ageCol, col, listWithMore, nameCol } from '../../printing/columns.js';

/** A port's number, its name when it has no number, `*` when it has neither. */
function portCell(p: { port?: number; name?: string }): string {
  if (p.port !== undefined) return String(p.port);
  return p.name ?? '*';
}

/** The object without its metadata and type fields: what a generation counts changes of. */
function withoutMeta(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = obj as Record<string, unknown>;
  return rest;
}

export const endpointSliceStrategy = defineStrategy({
  prepareForCreate(slice) {
    (slice.metadata ??= {}).generation = 1;
  },
  prepareForUpdate(next, old) {
    if (isDeepStrictEqual(withoutMeta(next), withoutMeta(old))) return;
    const before = old.metadata?.generation;
    (next.metadata ??= {}).generation = (typeof before === 'number' ? before : 0) + 1;
  },
  columns: [
    nameCol,
    col('AddressType', 'addressType specifies the type of address carried by this EndpointSlice.', (o) => o.addressType ?? ''),
    col('Ports', 'ports specifies the list of network ports exposed by each endpoint in this slice.', (o) => listWithMore((o.ports ?? []).map(portCell), '<unset>')),
    col('Endpoints', 'endpoints is a list of unique endpoints in this slice.', (o) => listWithMore((o.endpoints ?? []).flatMap((e: any) => e.addresses ?? []), '<unset>')),
    ageCol,
  ],
});
