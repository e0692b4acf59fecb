// ServiceAccounts: nothing special on writes; SECRETS counts the referenced secrets.

import { defineStrategy } from '../../default-strategy.js';
import { ageCol, col, nameCol } from '../../printing/columns.js';

export const serviceAccountStrategy = defineStrategy({
  columns: [
    nameCol,
    col('Secrets', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.', (o) => (o.secrets ?? []).length),
    ageCol,
  ],
});
