// Events (client-go's tools/record): the recorder components use, and the correlator's parts.
export * from './types.js';
export * from './recorder.js';
export * from './correlator.js';
export { EventAggregator, aggregateMessagePrefix, type AggregatorOptions } from './aggregator.js';
export { EventDeduplicator, type EventCountPatch } from './deduplicator.js';
export { SpamFilter, type SpamFilterOptions } from './spam-filter.js';
export { eventKey, spamKey, aggregateKeys } from './event-keys.js';
export { eventName } from './event-name.js';
export { EventNanoClock, formatEventTime } from './event-time.js';
export { makeEvent, objectReference, truncateMessage, maxMessageBytes, type EventSource } from './make-event.js';
