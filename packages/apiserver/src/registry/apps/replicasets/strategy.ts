// ReplicaSets: upstream's zero status on create, generation tracked for the controller.

import { defineStrategy } from '../../default-strategy.js';
import { ageCol, col, nameCol, wideWorkload } from '../../printing/columns.js';

export const replicaSetStrategy = defineStrategy({
  generationTracked: true,
  statusOnCreate: () => ({}),
  columns: [
    nameCol,
    col('Desired', 'Number of desired pods.', (o) => o.spec?.replicas ?? 0, 'integer'),
    col('Current', 'Number of actual replicas.', (o) => o.status?.replicas ?? 0, 'integer'),
    col('Ready', 'Number of ready replicas.', (o) => o.status?.readyReplicas ?? 0, 'integer'),
    ageCol,
    ...wideWorkload,
  ],
});
