// /v3/kv/*: range (linearizable unless serializable), put, deleterange, txn, compaction. Requests
// are checked as etcd's API layer checks them before anything is proposed; read-only txns are
// served here without Raft, as etcd serves them.
import { checkDeleteRequest, checkPutRequest, checkRangeRequest, checkTxnRequest, readOnly } from '../apply/txn-checks.js';
import { deleteRangeSize, putSize, rangeSize, txnSize } from '../json/proto-size.js';
import type { PutResponse, DeleteRangeResponse, TxnResponse } from '../mvcc/types.js';
import { EtcdError, errors } from '../mvcc/types.js';
import { int, type Json } from '../json/read-fields.js';
import { deleteRangeRequest, putRequest, rangeRequest, txnRequest } from '../json/requests.js';
import { deleteRangeResponse, putResponse, rangeResponse, txnResponse, type Out } from '../json/responses.js';
import type { EtcdServer } from './etcd-server.js';

export type Handler = (body: Json) => Promise<Out>;

/** etcd's gRPC server takes messages up to --max-request-bytes plus this much. */
const GRPC_OVERHEAD_BYTES = 512 * 1024;
/** What wrapping a request in etcd's InternalRaftRequest adds (header and field tags). */
const RAFT_REQUEST_OVERHEAD_BYTES = 20;

function checkSize(s: EtcdServer, size: number, write: boolean): void {
  const grpcMax = s.options.maxRequestBytes + GRPC_OVERHEAD_BYTES;
  if (size > grpcMax) throw new EtcdError(8, `grpc: received message larger than max (${size} vs. ${grpcMax})`);
  if (write && size + RAFT_REQUEST_OVERHEAD_BYTES > s.options.maxRequestBytes) throw errors.tooLarge();
}

export function kvHandlers(s: EtcdServer): Record<string, Handler> {
  return {
    '/v3/kv/range': async (body) => {
      const req = rangeRequest(body);
      checkSize(s, rangeSize(req), false);
      checkRangeRequest(req);
      if (!req.serializable) await s.linearizable();
      const r = s.sm.applier.range(req);
      return rangeResponse(r, s.header());
    },
    '/v3/kv/put': async (body) => {
      const req = putRequest(body);
      checkSize(s, putSize(req), true);
      checkPutRequest(req);
      const out = await s.proposeRequest({ put: req });
      return putResponse(out.response as PutResponse, s.header(out.revision));
    },
    '/v3/kv/deleterange': async (body) => {
      const req = deleteRangeRequest(body);
      checkSize(s, deleteRangeSize(req), true);
      checkDeleteRequest(req);
      const out = await s.proposeRequest({ deleteRange: req });
      return deleteRangeResponse(out.response as DeleteRangeResponse, s.header(out.revision));
    },
    '/v3/kv/txn': async (body) => {
      const req = txnRequest(body);
      const kind = readOnly(req);
      checkSize(s, txnSize(req), !kind.readOnly);
      checkTxnRequest(req, s.options.maxTxnOps);
      if (kind.readOnly) {
        if (!kind.serializable) await s.linearizable();
        // Nothing in it writes, so applying it here changes nothing and needs no log entry.
        const out = s.sm.applier.apply({ txn: req });
        if (!out.ok) throw out.error;
        return txnResponse(out.response as TxnResponse, s.header(out.revision));
      }
      const out = await s.proposeRequest({ txn: req });
      return txnResponse(out.response as TxnResponse, s.header(out.revision));
    },
    '/v3/kv/compaction': async (body) => {
      const out = await s.proposeRequest({ compaction: { revision: int(body, 'revision') ?? 0 } });
      return { header: s.header(out.revision) };
    },
  };
}
