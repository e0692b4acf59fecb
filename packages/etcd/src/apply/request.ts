// The requests that go through Raft to the applier, and their encoding in a log entry: JSON in
// which Buffers travel as {"$b": base64} and bigints as {"$n": decimal}, so that every member
// decodes exactly the request the proposer validated.
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

export function encodeRequest(req: InternalRequest): Uint8Array {
  return Buffer.from(JSON.stringify(toWire(req)), 'utf8');
}

export function decodeRequest(data: Uint8Array): InternalRequest {
  return JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'), revive) as InternalRequest;
}
