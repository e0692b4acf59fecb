// The strategy of a kind with nothing special, and the way every kind's strategy is made: what a
// kind does not say is the default's.

import type { KindStrategy } from './strategy-types.js';
import { col, nameCol } from './printing/columns.js';

/** Columns for kinds without a printer of their own, as upstream's default table convertor. */
const defaultColumns = [nameCol, col('Created At', 'When the object was created.', (o) => o.metadata?.creationTimestamp ?? '', 'date')];

export const defaultStrategy: KindStrategy = {
  generationTracked: false,
  returnsDeletedObject: false,
  columns: defaultColumns,
};

/** A kind's strategy: the default's behaviour where `own` says nothing. */
export function defineStrategy(own: Partial<KindStrategy>): KindStrategy {
  return { ...defaultStrategy, ...own };
}
