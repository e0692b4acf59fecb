// etcd's request messages from gateway JSON to the internal form of src/mvcc/types.ts.
import type { Compare, DeleteRangeRequest, PutRequest, RangeRequest, RequestOp, TxnRequest } from '../mvcc/types.js';
import { array, bool, bytes, enumOf, int, int64, object, type Json } from './read-fields.js';

const empty = Buffer.alloc(0);
const sortOrders = ['NONE', 'ASCEND', 'DESCEND'] as const;
const sortTargets = ['KEY', 'VERSION', 'CREATE', 'MOD', 'VALUE'] as const;
const compareResults = ['EQUAL', 'GREATER', 'LESS', 'NOT_EQUAL'] as const;
const compareTargets = ['VERSION', 'CREATE', 'MOD', 'VALUE', 'LEASE'] as const;

export function rangeRequest(j: Json): RangeRequest {
  return {
    key: bytes(j, 'key') ?? empty,
    rangeEnd: bytes(j, 'range_end'),
    limit: int(j, 'limit'),
    revision: int(j, 'revision'),
    sortOrder: enumOf(j, 'sort_order', sortOrders),
    sortTarget: enumOf(j, 'sort_target', sortTargets),
    serializable: bool(j, 'serializable'),
    keysOnly: bool(j, 'keys_only'),
    countOnly: bool(j, 'count_only'),
    minModRevision: int(j, 'min_mod_revision'),
    maxModRevision: int(j, 'max_mod_revision'),
    minCreateRevision: int(j, 'min_create_revision'),
    maxCreateRevision: int(j, 'max_create_revision'),
  };
}

export function putRequest(j: Json): PutRequest {
  return {
    key: bytes(j, 'key') ?? empty,
    value: bytes(j, 'value') ?? empty,
    lease: int64(j, 'lease'),
    prevKv: bool(j, 'prev_kv'),
    ignoreValue: bool(j, 'ignore_value'),
    ignoreLease: bool(j, 'ignore_lease'),
  };
}

export function deleteRangeRequest(j: Json): DeleteRangeRequest {
  return { key: bytes(j, 'key') ?? empty, rangeEnd: bytes(j, 'range_end'), prevKv: bool(j, 'prev_kv') };
}

function compare(j: Json): Compare {
  return {
    result: enumOf(j, 'result', compareResults) ?? 'EQUAL',
    target: enumOf(j, 'target', compareTargets) ?? 'VERSION',
    key: bytes(j, 'key') ?? empty,
    rangeEnd: bytes(j, 'range_end'),
    version: int(j, 'version'),
    createRevision: int(j, 'create_revision'),
    modRevision: int(j, 'mod_revision'),
    value: bytes(j, 'value'),
    lease: int64(j, 'lease'),
  };
}

function requestOp(j: Json): RequestOp | undefined {
  const range = object(j, 'request_range');
  if (range) return { requestRange: rangeRequest(range) };
  const put = object(j, 'request_put');
  if (put) return { requestPut: putRequest(put) };
  const del = object(j, 'request_delete_range');
  if (del) return { requestDeleteRange: deleteRangeRequest(del) };
  const txn = object(j, 'request_txn');
  if (txn) return { requestTxn: txnRequest(txn) };
  return undefined; // an empty RequestOp: etcd skips it
}

function ops(list: Json[]): RequestOp[] {
  const out: RequestOp[] = [];
  for (const j of list) {
    const op = requestOp(j);
    if (op) out.push(op);
  }
  return out;
}

export function txnRequest(j: Json): TxnRequest {
  return { compare: array(j, 'compare').map(compare), success: ops(array(j, 'success')), failure: ops(array(j, 'failure')) };
}
