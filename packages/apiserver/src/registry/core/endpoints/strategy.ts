// Endpoints: nothing special on writes; `kubectl get endpoints` lists up to three `ip:port` pairs.

import { defineStrategy } from '../../default-strategy.js';
import { ageCol, col, listWithMore, nameCol } from '../../printing/columns.js';

function endpointsCell(ep: any): string {
  const all: string[] = [];
  for (const s of ep.subsets ?? []) {
    for (const a of s.addresses ?? []) for (const p of s.ports ?? [{ port: undefined }]) all.push(p.port === undefined ? a.ip : `${a.ip}:${p.port}`);
  }
  return listWithMore(all, '<none>');
}

export const endpointsStrategy = defineStrategy({
  columns: [nameCol, col('Endpoints', 'Endpoints of the service.', (o) => endpointsCell(o)), ageCol],
});
