// ConfigMaps: nothing special on writes; DATA counts the keys of data and binaryData.

import { defineStrategy } from '../../default-strategy.js';
import { ageCol, col, nameCol } from '../../printing/columns.js';

export const configMapStrategy = defineStrategy({
  columns: [nameCol, col('Data', 'Number of keys.', (o) => Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length, 'integer'), ageCol],
});
