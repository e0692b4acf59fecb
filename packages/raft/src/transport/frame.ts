// Wire frames: one WebSocket binary message carries a batch of Raft messages (or, on a snapshot
// connection, the receiver's acknowledgement).
//
//   u8  version (1)
//   u8  kind: 1 messages, 2 snapshot received
//   u32 count, then that many messages in the storage codec's encoding

import type { Message } from '../types.js';
import { messageSize, readMessage, Reader, Writer, writeMessage } from '../storage/codec.js';
import { CodecError } from '../storage/errors.js';

const VERSION = 1;
export const FrameKind = { MESSAGES: 1, SNAPSHOT_ACK: 2 } as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];
const HEADER_BYTES = 6;
/** The smallest encoded message (no context, entries or snapshot): bounds the count a frame can claim. */
const MIN_MESSAGE_BYTES = messageSize({
  type: 'app', from: 0, to: 0, term: 0, logTerm: 0, index: 0, commit: 0, reject: false, rejectHint: 0,
  context: new Uint8Array(0), entries: [],
});

/** Encodes messages whose sizes (messageSize) are already known, into one exactly-sized buffer. */
export function encodeFrame(messages: readonly Message[], sizes: readonly number[]): Buffer {
  let total = HEADER_BYTES;
  for (const s of sizes) total += s;
  const w = new Writer(Buffer.allocUnsafe(total));
  w.u8(VERSION);
  w.u8(FrameKind.MESSAGES);
  w.u32(messages.length);
  for (const m of messages) writeMessage(w, m);
  if (w.pos !== total) throw new Error(`frame size mismatch: computed ${total}, wrote ${w.pos}`);
  return w.buf;
}

export function encodeSnapshotAck(): Buffer {
  return Buffer.from([VERSION, FrameKind.SNAPSHOT_ACK, 0, 0, 0, 0]);
}

export interface DecodedFrame {
  kind: FrameKind;
  messages: Message[];
}

/** Decodes a frame; malformed input throws CodecError. */
export function decodeFrame(buf: Uint8Array): DecodedFrame {
  const r = new Reader(buf);
  const version = r.u8('frame version');
  if (version !== VERSION) throw new CodecError(`unsupported frame version ${version}`, 0);
  const kind = r.u8('frame kind');
  if (kind !== FrameKind.MESSAGES && kind !== FrameKind.SNAPSHOT_ACK) throw new CodecError(`unknown frame kind ${kind}`, 1);
  const n = r.count('message count', MIN_MESSAGE_BYTES);
  const messages = new Array<Message>(n);
  for (let i = 0; i < n; i++) messages[i] = readMessage(r);
  r.done('frame');
  return { kind, messages };
}
