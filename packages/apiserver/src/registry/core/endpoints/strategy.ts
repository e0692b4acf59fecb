// Endpoints: nothing special on writes; `kubectl get endpoints` lists up to three addresses.

import { defineStrategy } from '../../default-strategy.js';
import { ageCol, col, nameCol } from '../../printing/columns.js';

/** kubectl's cap on the addresses a cell lists before "+ N more...". */
const shownAddresses = 3;

/** `ip:port` pairs, at most three and the count of the rest, as kubectl's endpoints printer. */
export function formatEndpointList(all: string[]): string {
  if (all.length === 0) return '<none>';
  return all.length > shownAddresses ? `${all.slice(0, shownAddresses).join(',')} + ${all.length - shownAddresses} more...` : all.join(',');
}

function endpointsCell(ep: any): string {
  const all: string[] = [];
  for (const s of ep.subsets ?? []) {
    for (const a of s.addresses ?? []) for (const p of s.ports ?? [{ port: undefined }]) all.push(p.port === undefined ? a.ip : `${a.ip}:${p.port}`);
  }
  return formatEndpointList(all);
}

export const endpointsStrategy = defineStrategy({
  columns: [nameCol, col('Endpoints', 'Endpoints of the service.', (o) => endpointsCell(o)), ageCol],
});
