// The protobuf size of a request, as etcd measures requests: its gRPC server refuses a message
// over --max-request-bytes plus 512 KiB, and a write whose Raft entry would exceed
// --max-request-bytes is "request is too large". Computing the size from the decoded request
// (not from its base64 JSON) makes both limits hit exactly where they hit in etcd.
import type { Compare, DeleteRangeRequest, PutRequest, RangeRequest, RequestOp, TxnRequest } from '../mvcc/types.js';

function varint(n: number | bigint): number {
  let v = BigInt(n);
  if (v < 0n) return 10;
  let size = 1;
  while (v >= 0x80n) {
    v >>= 7n;
    size++;
  }
  return size;
}

const bytesField = (b: Buffer | undefined, tag = 1) => (b && b.length > 0 ? tag + varint(b.length) + b.length : 0);
const intField = (v: number | bigint | undefined, tag = 1) => (v ? tag + varint(v) : 0);
const boolField = (v: boolean | undefined) => (v ? 2 : 0);
const enumField = (v: string | undefined, names: readonly string[]) => intField(v ? names.indexOf(v) : 0);
const message = (size: number, tag = 1) => tag + varint(size) + size;

export function rangeSize(r: RangeRequest): number {
  return bytesField(r.key) + bytesField(r.rangeEnd) + intField(r.limit) + intField(r.revision)
    + enumField(r.sortOrder, ['NONE', 'ASCEND', 'DESCEND']) + enumField(r.sortTarget, ['KEY', 'VERSION', 'CREATE', 'MOD', 'VALUE'])
    + boolField(r.serializable) + boolField(r.keysOnly) + boolField(r.countOnly)
    + intField(r.minModRevision) + intField(r.maxModRevision) + intField(r.minCreateRevision) + intField(r.maxCreateRevision);
}

export function putSize(p: PutRequest): number {
  return bytesField(p.key) + bytesField(p.value) + intField(p.lease) + boolField(p.prevKv) + boolField(p.ignoreValue) + boolField(p.ignoreLease);
}

export function deleteRangeSize(d: DeleteRangeRequest): number {
  return bytesField(d.key) + bytesField(d.rangeEnd) + boolField(d.prevKv);
}

function compareSize(c: Compare): number {
  // The target's oneof field is encoded even when it holds zero.
  const target = c.target === 'VALUE' ? 1 + varint(c.value?.length ?? 0) + (c.value?.length ?? 0)
    : 1 + varint({ VERSION: c.version, CREATE: c.createRevision, MOD: c.modRevision, LEASE: c.lease }[c.target] ?? 0);
  return enumField(c.result, ['EQUAL', 'GREATER', 'LESS', 'NOT_EQUAL']) + enumField(c.target, ['VERSION', 'CREATE', 'MOD', 'VALUE', 'LEASE'])
    + bytesField(c.key) + target + bytesField(c.rangeEnd, 2);
}

function opSize(op: RequestOp): number {
  if ('requestRange' in op) return message(rangeSize(op.requestRange));
  if ('requestPut' in op) return message(putSize(op.requestPut));
  if ('requestDeleteRange' in op) return message(deleteRangeSize(op.requestDeleteRange));
  return message(txnSize(op.requestTxn));
}

export function txnSize(t: TxnRequest): number {
  let n = 0;
  for (const c of t.compare) n += message(compareSize(c));
  for (const op of [...t.success, ...t.failure]) n += message(opSize(op));
  return n;
}
