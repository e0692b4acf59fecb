// Binary codec for the Raft records that go to disk (WAL, snapshot files) and over the wire
// (transport frames). Fixed-width little-endian fields: every size is known before encoding, so a
// whole batch is encoded into one exactly-sized Buffer with no reallocation.
//
//   u64          two u32 (low word first); must be a non-negative safe integer (< 2^53)
//   bytes        u32 length, then the bytes
//   Entry        term u64, index u64, type u8, data bytes                     (21 + data)
//   HardState    term u64, vote u64, commit u64                               (24)
//   ConfState    u32 count, voters u64*; u32 count, learners u64*
//   SnapshotMetadata  index u64, term u64, ConfState
//   Message      type u8, flags u8 (1 reject, 2 has snapshot), from, to, term, logTerm, index,
//                commit, rejectHint (u64 each), context bytes, u32 count, Entry*,
//                [SnapshotMetadata, data bytes]
//
// Decoding checks every length against the bytes that remain before reading or allocating, so
// malformed input throws CodecError and never allocates more than the input's size.

import type { ConfState, Entry, EntryType, HardState, Message, MessageType, SnapshotMetadata } from '../types.js';
import { CodecError } from './errors.js';

const TWO_32 = 0x1_0000_0000;
/** The high word of the largest safe integer, 2^53 - 1. */
const MAX_HIGH_WORD = 0x1f_ffff;

const ENTRY_TYPES: readonly EntryType[] = ['normal', 'confChange'];
const MESSAGE_TYPES: readonly MessageType[] = [
  'app', 'appResp', 'vote', 'voteResp', 'preVote', 'preVoteResp', 'heartbeat', 'heartbeatResp',
  'snap', 'timeoutNow', 'readIndex', 'readIndexResp', 'prop',
];
const ENTRY_TYPE_CODE = new Map(ENTRY_TYPES.map((t, i) => [t, i]));
const MESSAGE_TYPE_CODE = new Map(MESSAGE_TYPES.map((t, i) => [t, i]));

const FLAG_REJECT = 1;
const FLAG_SNAPSHOT = 2;

export const ENTRY_HEADER_BYTES = 21;
export const HARD_STATE_BYTES = 24;
const MESSAGE_FIXED_BYTES = 1 + 1 + 7 * 8 + 4 + 4; // type, flags, 7 u64, context length, entry count

/** Writes fields into a preallocated buffer; encoders compute the exact size first. */
export class Writer {
  readonly buf: Buffer;
  private readonly view: DataView;
  pos: number;

  constructor(buf: Buffer, pos = 0) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = pos;
  }

  u8(v: number): void {
    this.view.setUint8(this.pos, v);
    this.pos += 1;
  }

  u32(v: number): void {
    this.view.setUint32(this.pos, v, true);
    this.pos += 4;
  }

  u64(v: number, field: string): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${field} must be a non-negative safe integer, got ${v}`);
    this.view.setUint32(this.pos, v % TWO_32, true);
    this.view.setUint32(this.pos + 4, Math.floor(v / TWO_32), true);
    this.pos += 8;
  }

  bytes(b: Uint8Array): void {
    this.u32(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
}

/** Reads fields with a bounds check before each one; never reads past `end`. */
export class Reader {
  private readonly u8a: Uint8Array;
  private readonly view: DataView;
  pos: number;
  readonly end: number;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    if (start < 0 || end > buf.length || start > end) throw new CodecError(`bad range [${start}, ${end}) of ${buf.length} bytes`, start);
    // A plain Uint8Array view, so slice() copies (Buffer#slice would alias the input).
    this.u8a = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number, what: string): void {
    if (n > this.end - this.pos) throw new CodecError(`truncated ${what}: need ${n} bytes, ${this.end - this.pos} left`, this.pos);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.view.getUint8(this.pos++);
  }

  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  u64(what: string): number {
    this.need(8, what);
    const lo = this.view.getUint32(this.pos, true);
    const hi = this.view.getUint32(this.pos + 4, true);
    if (hi > MAX_HIGH_WORD) throw new CodecError(`${what} exceeds 2^53`, this.pos);
    this.pos += 8;
    return hi * TWO_32 + lo;
  }

  /** A length-prefixed byte string, copied out so the input buffer can be released. */
  bytes(what: string): Uint8Array {
    const n = this.u32(`${what} length`);
    if (n === 0) return new Uint8Array(0);
    this.need(n, what);
    const out = this.u8a.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A count of items each at least `minBytes` long: refuse counts the remaining bytes cannot hold. */
  count(what: string, minBytes: number): number {
    const n = this.u32(what);
    if (n * minBytes > this.end - this.pos) throw new CodecError(`${what} ${n} cannot fit in ${this.end - this.pos} bytes`, this.pos - 4);
    return n;
  }

  done(what: string): void {
    if (this.pos !== this.end) throw new CodecError(`${this.end - this.pos} trailing bytes after ${what}`, this.pos);
  }
}

// ---- Entry ----

export function entrySize(e: Entry): number {
  return ENTRY_HEADER_BYTES + e.data.length;
}

export function writeEntry(w: Writer, e: Entry): void {
  const code = ENTRY_TYPE_CODE.get(e.type);
  if (code === undefined) throw new RangeError(`unknown entry type ${String(e.type)}`);
  w.u64(e.term, 'entry.term');
  w.u64(e.index, 'entry.index');
  w.u8(code);
  w.bytes(e.data);
}

export function readEntry(r: Reader): Entry {
  const term = r.u64('entry.term');
  const index = r.u64('entry.index');
  const code = r.u8('entry.type');
  const type = ENTRY_TYPES[code];
  if (type === undefined) throw new CodecError(`unknown entry type ${code}`, r.pos - 1);
  const data = r.bytes('entry.data');
  return { term, index, type, data };
}

export function entriesSize(entries: readonly Entry[]): number {
  let n = 4;
  for (const e of entries) n += ENTRY_HEADER_BYTES + e.data.length;
  return n;
}

export function writeEntries(w: Writer, entries: readonly Entry[]): void {
  w.u32(entries.length);
  for (const e of entries) writeEntry(w, e);
}

export function readEntries(r: Reader): Entry[] {
  const n = r.count('entry count', ENTRY_HEADER_BYTES);
  const out = new Array<Entry>(n);
  for (let i = 0; i < n; i++) out[i] = readEntry(r);
  return out;
}

// ---- HardState ----

export function writeHardState(w: Writer, hs: HardState): void {
  w.u64(hs.term, 'hardState.term');
  w.u64(hs.vote, 'hardState.vote');
  w.u64(hs.commit, 'hardState.commit');
}

export function readHardState(r: Reader): HardState {
  return { term: r.u64('hardState.term'), vote: r.u64('hardState.vote'), commit: r.u64('hardState.commit') };
}

// ---- ConfState and SnapshotMetadata ----

export function snapshotMetadataSize(m: SnapshotMetadata): number {
  return 16 + 8 + 8 * (m.confState.voters.length + m.confState.learners.length);
}

function writeIds(w: Writer, ids: readonly number[], field: string): void {
  w.u32(ids.length);
  for (const id of ids) w.u64(id, field);
}

function readIds(r: Reader, what: string): number[] {
  const n = r.count(`${what} count`, 8);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = r.u64(what);
  return out;
}

export function writeSnapshotMetadata(w: Writer, m: SnapshotMetadata): void {
  w.u64(m.index, 'snapshot.index');
  w.u64(m.term, 'snapshot.term');
  writeIds(w, m.confState.voters, 'confState.voters');
  writeIds(w, m.confState.learners, 'confState.learners');
}

export function readSnapshotMetadata(r: Reader): SnapshotMetadata {
  const index = r.u64('snapshot.index');
  const term = r.u64('snapshot.term');
  const confState: ConfState = { voters: readIds(r, 'confState.voters'), learners: readIds(r, 'confState.learners') };
  return { index, term, confState };
}

// ---- Message ----

/** Exact encoded size of a message: transports use it for byte accounting before encoding. */
export function messageSize(m: Message): number {
  let n = MESSAGE_FIXED_BYTES + m.context.length;
  for (const e of m.entries) n += ENTRY_HEADER_BYTES + e.data.length;
  if (m.snapshot) n += snapshotMetadataSize(m.snapshot.metadata) + 4 + m.snapshot.data.length;
  return n;
}

export function writeMessage(w: Writer, m: Message): void {
  const code = MESSAGE_TYPE_CODE.get(m.type);
  if (code === undefined) throw new RangeError(`unknown message type ${String(m.type)}`);
  w.u8(code);
  w.u8((m.reject ? FLAG_REJECT : 0) | (m.snapshot ? FLAG_SNAPSHOT : 0));
  w.u64(m.from, 'message.from');
  w.u64(m.to, 'message.to');
  w.u64(m.term, 'message.term');
  w.u64(m.logTerm, 'message.logTerm');
  w.u64(m.index, 'message.index');
  w.u64(m.commit, 'message.commit');
  w.u64(m.rejectHint, 'message.rejectHint');
  w.bytes(m.context);
  writeEntries(w, m.entries);
  if (m.snapshot) {
    writeSnapshotMetadata(w, m.snapshot.metadata);
    w.bytes(m.snapshot.data);
  }
}

export function readMessage(r: Reader): Message {
  const code = r.u8('message.type');
  const type = MESSAGE_TYPES[code];
  if (type === undefined) throw new CodecError(`unknown message type ${code}`, r.pos - 1);
  const flags = r.u8('message.flags');
  if ((flags & ~(FLAG_REJECT | FLAG_SNAPSHOT)) !== 0) throw new CodecError(`unknown message flags ${flags}`, r.pos - 1);
  const m: Message = {
    type,
    from: r.u64('message.from'),
    to: r.u64('message.to'),
    term: r.u64('message.term'),
    logTerm: r.u64('message.logTerm'),
    index: r.u64('message.index'),
    commit: r.u64('message.commit'),
    reject: (flags & FLAG_REJECT) !== 0,
    rejectHint: r.u64('message.rejectHint'),
    context: r.bytes('message.context'),
    entries: readEntries(r),
  };
  if (flags & FLAG_SNAPSHOT) {
    const metadata = readSnapshotMetadata(r);
    m.snapshot = { metadata, data: r.bytes('snapshot.data') };
  }
  return m;
}

// ---- Whole-buffer helpers: encode one value into its own Buffer, decode exactly one value. ----

function encodeWith(size: number, write: (w: Writer) => void): Buffer {
  const w = new Writer(Buffer.allocUnsafe(size));
  write(w);
  if (w.pos !== size) throw new Error(`codec size mismatch: computed ${size}, wrote ${w.pos}`);
  return w.buf;
}

function decodeWith<T>(buf: Uint8Array, what: string, read: (r: Reader) => T): T {
  const r = new Reader(buf);
  const v = read(r);
  r.done(what);
  return v;
}

export const encodeEntry = (e: Entry): Buffer => encodeWith(entrySize(e), (w) => writeEntry(w, e));
export const decodeEntry = (b: Uint8Array): Entry => decodeWith(b, 'entry', readEntry);
export const encodeHardState = (hs: HardState): Buffer => encodeWith(HARD_STATE_BYTES, (w) => writeHardState(w, hs));
export const decodeHardState = (b: Uint8Array): HardState => decodeWith(b, 'hard state', readHardState);
export const encodeSnapshotMetadata = (m: SnapshotMetadata): Buffer =>
  encodeWith(snapshotMetadataSize(m), (w) => writeSnapshotMetadata(w, m));
export const decodeSnapshotMetadata = (b: Uint8Array): SnapshotMetadata => decodeWith(b, 'snapshot metadata', readSnapshotMetadata);
export const encodeMessage = (m: Message): Buffer => encodeWith(messageSize(m), (w) => writeMessage(w, m));
export const decodeMessage = (b: Uint8Array): Message => decodeWith(b, 'message', readMessage);
