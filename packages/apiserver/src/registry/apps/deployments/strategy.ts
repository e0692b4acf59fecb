// Deployments: upstream's zero status on create, generation tracked for the controller.

import { defineStrategy } from '../../default-strategy.js';
import { ageCol, col, nameCol, wideWorkload } from '../../printing/columns.js';

export const deploymentStrategy = defineStrategy({
  generationTracked: true,
  statusOnCreate: () => ({}),
  columns: [
    nameCol,
    col('Ready', 'Number of the pod with ready state.', (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`),
    col('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.', (o) => o.status?.updatedReplicas ?? 0, 'integer'),
    col('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.', (o) => o.status?.availableReplicas ?? 0, 'integer'),
    ageCol,
    ...wideWorkload,
  ],
});
