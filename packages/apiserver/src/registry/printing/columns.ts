// Building blocks of the server-side Table columns that several kinds share.

import { labelSelectorToString } from '@kubets/api';
import { age } from '../../http/human-duration.js';
import type { Column } from '../strategy-types.js';

export const col = (name: string, description: string, cell: Column['cell'], type: Column['type'] = 'string', priority = 0, format?: string): Column => ({
  name, type, description, priority, cell, ...(format ? { format } : {}),
});

export const nameCol = col('Name', 'Name must be unique within a namespace.', (o) => o.metadata?.name ?? '', 'string', 0, 'name');
export const ageCol = col('Age', 'The time since the object was created.', (o, now) => age(o.metadata?.creationTimestamp, now));

/** kubectl's `<none>` for an empty cell. */
export const none = (s: string | undefined) => (s === undefined || s === '' ? '<none>' : s);

function containersOf(template: any): any[] {
  return template?.spec?.containers ?? [];
}

/** The `-o wide` columns of kinds that run pods from a template (Deployments, ReplicaSets, Jobs). */
export const wideWorkload = [
  col('Containers', 'Names of each container in the template.', (o) => containersOf(o.spec?.template).map((c) => c.name).join(','), 'string', 1),
  col('Images', 'Images referenced by each container in the template.', (o) => containersOf(o.spec?.template).map((c) => c.image).join(','), 'string', 1),
  col('Selector', 'Label selector for pods.', (o) => none(o.spec?.selector ? labelSelectorToString(o.spec.selector) : ''), 'string', 1),
];

/** kubectl's cap on the items a cell lists before "+ N more...". */
const shownItems = 3;

/** The first three items and the count of the rest, or `empty` when there are none, as kubectl prints lists. */
export function listWithMore(items: string[], empty: string): string {
  if (items.length === 0) return empty;
  return items.length > shownItems ? `${items.slice(0, shownItems).join(',')} + ${items.length - shownItems} more...` : items.join(',');
}
