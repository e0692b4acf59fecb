// Events: nothing special on writes; the columns of `kubectl get events`.

import { age } from '../../../http/human-duration.js';
import { defineStrategy } from '../../default-strategy.js';
import { col } from '../../printing/columns.js';

export const eventStrategy = defineStrategy({
  columns: [
    col('Last Seen', 'Time since the event was last seen.', (o, now) => age(o.lastTimestamp ?? o.eventTime ?? o.metadata?.creationTimestamp, now)),
    col('Type', 'Normal or Warning.', (o) => o.type ?? ''),
    col('Reason', 'Why the event happened.', (o) => o.reason ?? ''),
    col('Object', 'The object the event is about.', (o) => `${(o.involvedObject?.kind ?? '').toLowerCase()}/${o.involvedObject?.name ?? ''}`),
    col('Message', 'A human-readable description.', (o) => o.message ?? ''),
  ],
});
