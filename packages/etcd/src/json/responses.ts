// etcd's response messages as the 3.4 gateway writes them: snake_case names, int64s as strings,
// bytes as base64, and every field that holds its default value left out.
import type { DeleteRangeResponse, Event, KeyValue, PutResponse, RangeResponse, ResponseOp, TxnResponse } from '../mvcc/types.js';

export type Out = Record<string, unknown>;

/** Sets o[name] unless v is the proto default (0, false, empty). */
function put(o: Out, name: string, v: number | bigint | boolean | string | Buffer | undefined): void {
  if (v === undefined || v === 0 || v === 0n || v === false || v === '') return;
  if (Buffer.isBuffer(v)) {
    if (v.length > 0) o[name] = v.toString('base64');
  } else if (typeof v === 'number' || typeof v === 'bigint') {
    o[name] = String(v);
  } else {
    o[name] = v;
  }
}

export interface Header {
  clusterId: bigint;
  memberId: bigint;
  revision: number;
  raftTerm: number;
}

export function header(h: Header): Out {
  const o: Out = {};
  put(o, 'cluster_id', h.clusterId);
  put(o, 'member_id', h.memberId);
  put(o, 'revision', h.revision);
  put(o, 'raft_term', h.raftTerm);
  return o;
}

/** Responses nested in a txn carry a header with only the revision. */
function nestedHeader(revision: number): Out {
  const o: Out = {};
  put(o, 'revision', revision);
  return o;
}

export function keyValue(kv: KeyValue): Out {
  const o: Out = {};
  put(o, 'key', kv.key);
  put(o, 'create_revision', kv.createRevision);
  put(o, 'mod_revision', kv.modRevision);
  put(o, 'version', kv.version);
  put(o, 'value', kv.value);
  put(o, 'lease', kv.lease);
  return o;
}

export function rangeResponse(r: RangeResponse, head: Out): Out {
  const o: Out = { header: head };
  if (r.kvs.length > 0) o.kvs = r.kvs.map(keyValue);
  put(o, 'more', r.more);
  put(o, 'count', r.count);
  return o;
}

export function putResponse(r: PutResponse, head: Out): Out {
  const o: Out = { header: head };
  if (r.prevKv) o.prev_kv = keyValue(r.prevKv);
  return o;
}

export function deleteRangeResponse(r: DeleteRangeResponse, head: Out): Out {
  const o: Out = { header: head };
  put(o, 'deleted', r.deleted);
  if (r.prevKvs.length > 0) o.prev_kvs = r.prevKvs.map(keyValue);
  return o;
}

/** A response inside a txn: its header has only the revision the operation saw or wrote; a nested txn's is empty. */
function responseOp(op: ResponseOp): Out {
  if ('responseRange' in op) return { response_range: rangeResponse(op.responseRange, nestedHeader(op.responseRange.revision ?? 0)) };
  if ('responsePut' in op) return { response_put: putResponse(op.responsePut, nestedHeader(op.responsePut.revision ?? 0)) };
  if ('responseDeleteRange' in op) return { response_delete_range: deleteRangeResponse(op.responseDeleteRange, nestedHeader(op.responseDeleteRange.revision ?? 0)) };
  return { response_txn: txnResponse(op.responseTxn, {}) };
}

export function txnResponse(r: TxnResponse, head: Out): Out {
  const o: Out = { header: head };
  put(o, 'succeeded', r.succeeded);
  if (r.responses.length > 0) o.responses = r.responses.map(responseOp);
  return o;
}

export function event(e: Event): Out {
  const o: Out = {};
  if (e.type === 'DELETE') o.type = 'DELETE';
  o.kv = keyValue(e.kv);
  if (e.prevKv) o.prev_kv = keyValue(e.prevKv);
  return o;
}

/** etcd's error body: {"error","message","code"}; the HTTP status follows the gRPC code. */
export function errorBody(code: number, message: string): Out {
  return { error: message, message, code };
}

/** grpc-gateway v1's mapping of gRPC codes to HTTP statuses. */
export function httpStatusOf(code: number): number {
  switch (code) {
    case 0: return 200;
    case 1: return 499;
    case 3: case 11: return 400;
    case 9: return 412;
    case 4: return 504;
    case 5: return 404;
    case 6: case 10: return 409;
    case 7: return 403;
    case 8: return 429;
    case 12: return 501;
    case 14: return 503;
    case 16: return 401;
    default: return 500;
  }
}
