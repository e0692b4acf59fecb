// WAL record framing. Every record is a 16-byte header and a payload:
//
//   0  u32  payload length
//   4  u8   record type (SEGMENT or STATE)
//   5  u8*3 zero
//   8  u32  payload CRC-32C, chained: seeded with the previous record's payload CRC, so a record
//           that goes missing or comes from another log breaks the chain
//   12 u32  header CRC-32C over bytes 0..12
//
// The header has its own CRC so that recovery can trust a length before using it (a flipped bit
// in a length must not be mistaken for a record cut short by a crash) and can scan forward for
// intact records after a damaged one (torn tail or corruption in the middle?).
//
// A STATE record is one whole save(): optional snapshot marker, optional hard state, entries.
// One record per save makes each save atomic on recovery: a torn write can never leave a hard
// state without the entries that were saved with it, or the reverse.

import type { Entry, HardState, SnapshotMetadata } from '../types.js';
import { crc32c } from './crc32c.js';
import {
  entriesSize,
  HARD_STATE_BYTES,
  readEntries,
  readHardState,
  readSnapshotMetadata,
  Reader,
  snapshotMetadataSize,
  writeEntries,
  writeHardState,
  writeSnapshotMetadata,
  Writer,
} from './codec.js';
import { CodecError } from './errors.js';

export const RECORD_HEADER_BYTES = 16;

export const RecordType = {
  /** First record of every segment: its sequence number, first index and the chain value before it. */
  SEGMENT: 1,
  /** One save(): [snapshot marker] [hard state] entries. */
  STATE: 2,
} as const;
export type RecordType = (typeof RecordType)[keyof typeof RecordType];

const STATE_HAS_SNAPSHOT = 1;
const STATE_HAS_HARD_STATE = 2;
const STATE_RESTORE = 4;
const SEGMENT_PAYLOAD_BYTES = 8 + 8 + 4;

export interface SegmentInfo {
  seq: number;
  /** The index the next entry is expected to have when the segment starts (entries before it live in older segments). */
  firstIndex: number;
  /** The chain value (payload CRC of the last record) of the previous segment; 0 for the first segment. */
  prevCrc: number;
}

export interface StateUpdate {
  /** A snapshot marker: the snapshot file with this metadata is durable. */
  snapshot?: SnapshotMetadata;
  /**
   * With `snapshot`: the node installed it (Ready.snapshot), which replaces the whole log, so
   * recovery drops every entry before this record. Without it, the marker is a local compaction
   * snapshot and the entries stay.
   */
  restore?: boolean;
  hardState?: HardState;
  entries: Entry[];
}

export interface EncodedRecord {
  buf: Buffer;
  /** The chain value after this record. */
  crc: number;
}

function frame(type: RecordType, payloadSize: number, writePayload: (w: Writer) => void, seed: number): EncodedRecord {
  const buf = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payloadSize);
  const w = new Writer(buf, RECORD_HEADER_BYTES);
  writePayload(w);
  if (w.pos !== buf.length) throw new Error(`record size mismatch: computed ${buf.length}, wrote ${w.pos}`);
  const crc = crc32c(buf, seed, RECORD_HEADER_BYTES, buf.length);
  buf.writeUInt32LE(payloadSize, 0);
  buf.writeUInt32LE(type, 4); // type byte plus three zero bytes
  buf.writeUInt32LE(crc, 8);
  buf.writeUInt32LE(crc32c(buf, 0, 0, 12), 12);
  return { buf, crc };
}

/** A segment header record. Its CRC is not seeded: each segment can be checked on its own. */
export function encodeSegmentRecord(s: SegmentInfo): EncodedRecord {
  return frame(
    RecordType.SEGMENT,
    SEGMENT_PAYLOAD_BYTES,
    (w) => {
      w.u64(s.seq, 'segment.seq');
      w.u64(s.firstIndex, 'segment.firstIndex');
      w.u32(s.prevCrc);
    },
    0,
  );
}

export function encodeStateRecord(u: StateUpdate, prevCrc: number): EncodedRecord {
  let size = 1 + entriesSize(u.entries);
  if (u.snapshot) size += snapshotMetadataSize(u.snapshot);
  if (u.hardState) size += HARD_STATE_BYTES;
  return frame(
    RecordType.STATE,
    size,
    (w) => {
      w.u8((u.snapshot ? STATE_HAS_SNAPSHOT : 0) | (u.snapshot && u.restore ? STATE_RESTORE : 0) | (u.hardState ? STATE_HAS_HARD_STATE : 0));
      if (u.snapshot) writeSnapshotMetadata(w, u.snapshot);
      if (u.hardState) writeHardState(w, u.hardState);
      writeEntries(w, u.entries);
    },
    prevCrc,
  );
}

export function decodeSegmentPayload(buf: Uint8Array, start: number, end: number): SegmentInfo {
  const r = new Reader(buf, start, end);
  const s = { seq: r.u64('segment.seq'), firstIndex: r.u64('segment.firstIndex'), prevCrc: r.u32('segment.prevCrc') };
  r.done('segment record');
  return s;
}

export function decodeStatePayload(buf: Uint8Array, start: number, end: number): StateUpdate {
  const r = new Reader(buf, start, end);
  const flags = r.u8('state flags');
  const known = STATE_HAS_SNAPSHOT | STATE_HAS_HARD_STATE | STATE_RESTORE;
  if ((flags & ~known) !== 0 || (flags & (STATE_HAS_SNAPSHOT | STATE_RESTORE)) === STATE_RESTORE) {
    throw new CodecError(`bad state flags ${flags}`, start);
  }
  const u: StateUpdate = { entries: [] };
  if (flags & STATE_HAS_SNAPSHOT) {
    u.snapshot = readSnapshotMetadata(r);
    if (flags & STATE_RESTORE) u.restore = true;
  }
  if (flags & STATE_HAS_HARD_STATE) u.hardState = readHardState(r);
  u.entries = readEntries(r);
  r.done('state record');
  return u;
}

export type ParsedRecord =
  | { ok: true; type: RecordType; payloadStart: number; payloadEnd: number; crc: number }
  | { ok: false; reason: string; /** Where the damaged record ends, when its header is intact. */ extentEnd?: number };

function headerValid(buf: Uint8Array, off: number, view: DataView): boolean {
  // Cheap byte checks first: findIntactRecord calls this at every offset of a damaged tail.
  const type = buf[off + 4];
  if ((type !== RecordType.SEGMENT && type !== RecordType.STATE) || buf[off + 5] !== 0 || buf[off + 6] !== 0 || buf[off + 7] !== 0) return false;
  return view.getUint32(off + 12, true) === crc32c(buf, 0, off, off + 12);
}

/** Parses the record at `off`, checking its header, its extent and its chained payload CRC. */
export function parseRecord(buf: Uint8Array, off: number, chain: number): ParsedRecord {
  const left = buf.length - off;
  if (left < RECORD_HEADER_BYTES) return { ok: false, reason: `incomplete record header (${left} of ${RECORD_HEADER_BYTES} bytes)` };
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (!headerValid(buf, off, view)) return { ok: false, reason: 'record header checksum mismatch' };
  const len = view.getUint32(off, true);
  const type = buf[off + 4] as RecordType;
  const payloadStart = off + RECORD_HEADER_BYTES;
  const payloadEnd = payloadStart + len;
  if (payloadEnd > buf.length) {
    return { ok: false, reason: `incomplete record (payload of ${len} bytes, ${left - RECORD_HEADER_BYTES} present)`, extentEnd: buf.length };
  }
  const stored = view.getUint32(off + 8, true);
  const crc = crc32c(buf, type === RecordType.SEGMENT ? 0 : chain, payloadStart, payloadEnd);
  if (crc !== stored) return { ok: false, reason: 'record checksum mismatch', extentEnd: payloadEnd };
  return { ok: true, type, payloadStart, payloadEnd, crc };
}

/**
 * The offset of the first intact-looking record at or after `from` (a valid header whose payload
 * fits in the buffer), or -1. Used after a damaged record: if anything intact follows, the damage
 * is not a torn tail.
 */
export function findIntactRecord(buf: Uint8Array, from: number): number {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let off = from; off + RECORD_HEADER_BYTES <= buf.length; off++) {
    if (!headerValid(buf, off, view)) continue;
    if (off + RECORD_HEADER_BYTES + view.getUint32(off, true) <= buf.length) return off;
  }
  return -1;
}
