// Secrets: stringData is write-only, merged into data (base64) on every write and never stored.

import type { KubeObject } from '../../../storage/interface.js';
import { defineStrategy } from '../../default-strategy.js';
import { ageCol, col, nameCol } from '../../printing/columns.js';

function mergeStringData(obj: KubeObject): void {
  const secret = obj as KubeObject & { data?: Record<string, string>; stringData?: Record<string, string> };
  if (secret.stringData === undefined) return;
  const data = { ...(secret.data ?? {}) };
  for (const [key, value] of Object.entries(secret.stringData)) data[key] = Buffer.from(value, 'utf8').toString('base64');
  secret.data = data;
  delete secret.stringData;
}

export const secretStrategy = defineStrategy({
  prepareForCreate: mergeStringData,
  prepareForUpdate: (next) => mergeStringData(next),
  columns: [
    nameCol,
    col('Type', 'The type of the secret.', (o) => o.type ?? 'Opaque'),
    col('Data', 'Number of keys.', (o) => Object.keys(o.data ?? {}).length, 'integer'),
    ageCol,
  ],
});
