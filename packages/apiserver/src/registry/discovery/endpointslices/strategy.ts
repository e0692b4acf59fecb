// EndpointSlices: nothing special on writes; the columns of `kubectl get endpointslices`, which
// list up to three ports and addresses ("<unset>" when there are none), as upstream's printer.

import { defineStrategy } from '../../default-strategy.js';
import { ageCol, col, listWithMore, nameCol } from '../../printing/columns.js';

/** A port's number, its name when it has no number, `*` when it has neither. */
function portCell(p: { port?: number; name?: string }): string {
  if (p.port !== undefined) return String(p.port);
  return p.name ?? '*';
}

export const endpointSliceStrategy = defineStrategy({
  columns: [
    nameCol,
    col('AddressType', 'addressType specifies the type of address carried by this EndpointSlice.', (o) => o.addressType ?? ''),
    col('Ports', 'ports specifies the list of network ports exposed by each endpoint in this slice.', (o) => listWithMore((o.ports ?? []).map(portCell), '<unset>')),
    col('Endpoints', 'endpoints is a list of unique endpoints in this slice.', (o) => listWithMore((o.endpoints ?? []).flatMap((e: any) => e.addresses ?? []), '<unset>')),
    ageCol,
  ],
});
