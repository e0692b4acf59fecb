// The requests that go through Raft to the applier, and their encoding in a log entry, so that
// every member decodes exactly the request the proposer validated. A put, the common case, is
// binary (a 0x01 byte, flags, lease, key length, key, value); everything else is JSON in which
// Buffers travel as {"$b": base64} and bigints as {"$n": decimal}.
import type { DeleteRangeRequest, LeaseId, PutRequest, TxnRequest } from '../mvcc/types.js';

export type InternalRequest =
  | { put: PutRequest }
  | { deleteRange: DeleteRangeRequest }
  | { txn: TxnRequest }
  | { compaction: { revision: number } }
  | { leaseGrant: { id: LeaseId; ttl: number } }
  | { leaseRevoke: { id: LeaseId } };

function toWire(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return { $b: v.toString('base64') };
  if (typeof v === 'bigint') return { $n: v.toString() };
  if (Array.isArray(v)) return v.map(toWire);
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = toWire(x);
    return o;
  }
  return v;
}

function revive(_: string, v: unknown): unknown {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as { $b?: string; $n?: string };
    if (typeof o.$b === 'string') return Buffer.from(o.$b, 'base64');
    if (typeof o.$n === 'string') return BigInt(o.$n);
  }
  return v;
}

const BINARY_PUT = 0x01;
const PREV_KV = 1;
const IGNORE_VALUE = 2;
const IGNORE_LEASE = 4;
const HAS_LEASE = 8;

function encodePut(p: PutRequest): Buffer {
  const lease = p.lease ?? 0n;
  const head = 2 + (lease !== 0n ? 8 : 0) + 4;
  const out = Buffer.allocUnsafe(head + p.key.length + p.value.length);
  out[0] = BINARY_PUT;
  out[1] = (p.prevKv ? PREV_KV : 0) | (p.ignoreValue ? IGNORE_VALUE : 0) | (p.ignoreLease ? IGNORE_LEASE : 0) | (lease !== 0n ? HAS_LEASE : 0);
  let at = 2;
  if (lease !== 0n) at = out.writeBigInt64BE(lease, at);
  at = out.writeUInt32BE(p.key.length, at);
  p.key.copy(out, at);
  p.value.copy(out, at + p.key.length);
  return out;
}

function decodePut(b: Buffer): PutRequest {
  const flags = b[1]!;
  let at = 2;
  let lease: bigint | undefined;
  if (flags & HAS_LEASE) {
    lease = b.readBigInt64BE(at);
    at += 8;
  }
  const keyLength = b.readUInt32BE(at);
  at += 4;
  // Copies: the entry's buffer may be a whole batch of entries, which the store must not pin.
  const key = Buffer.from(b.subarray(at, at + keyLength));
  const value = Buffer.from(b.subarray(at + keyLength));
  const p: PutRequest = { key, value };
  if (lease !== undefined) p.lease = lease;
  if (flags & PREV_KV) p.prevKv = true;
  if (flags & IGNORE_VALUE) p.ignoreValue = true;
  if (flags & IGNORE_LEASE) p.ignoreLease = true;
  return p;
}

export function encodeRequest(req: InternalRequest): Uint8Array {
  if ('put' in req) return encodePut(req.put);
  return Buffer.from(JSON.stringify(toWire(req)), 'utf8');
}

export function decodeRequest(data: Uint8Array): InternalRequest {
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (b[0] === BINARY_PUT) return { put: decodePut(b) };
  return JSON.parse(b.toString('utf8'), revive) as InternalRequest;
}
