// Leases: nothing special on writes; HOLDER shows who holds the lease.

import { defineStrategy } from '../../default-strategy.js';
import { ageCol, col, nameCol } from '../../printing/columns.js';

export const leaseStrategy = defineStrategy({
  columns: [nameCol, col('Holder', 'The holder of the lease.', (o) => o.spec?.holderIdentity ?? ''), ageCol],
});
