// Helpers over runs of log entries: sizes for flow control, and the byte limit on a batch.
import type { Entry } from '../types.js';

/** Bytes an entry costs on the wire and in flow control: its payload plus a fixed header. */
export function entrySize(e: Entry): number {
  return e.data.byteLength + ENTRY_OVERHEAD;
}

/** Term, index and type, roughly as a compact encoding would carry them. */
export const ENTRY_OVERHEAD = 16;

/** Payload bytes only: what maxUncommittedSize counts (the leader's empty entries are free). */
export function payloadSize(ents: readonly Entry[]): number {
  let n = 0;
  for (const e of ents) n += e.data.byteLength;
  return n;
}

export function entriesSize(ents: readonly Entry[]): number {
  let n = 0;
  for (const e of ents) n += entrySize(e);
  return n;
}

/**
 * How many of `ents[from..to)` fit in maxSize bytes, counted from `from`; always at least one,
 * so a single entry larger than the limit still makes progress.
 */
export function countWithinSize(ents: readonly Entry[], from: number, to: number, maxSize: number): number {
  if (to <= from) return 0;
  let size = 0;
  let i = from;
  for (; i < to; i++) {
    size += entrySize(ents[i]!);
    if (size > maxSize && i > from) break;
  }
  return i - from;
}
