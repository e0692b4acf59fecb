// /v3/kv/*: range (linearizable unless serializable), put, deleterange, txn, compaction.
import { checkTxnRequest } from '../apply/txn-checks.js';
import type { PutResponse, DeleteRangeResponse, TxnResponse } from '../mvcc/types.js';
import { errors } from '../mvcc/types.js';
import { int, type Json } from '../json/read-fields.js';
import { deleteRangeRequest, putRequest, rangeRequest, txnRequest } from '../json/requests.js';
import { deleteRangeResponse, putResponse, rangeResponse, txnResponse, type Out } from '../json/responses.js';
import type { EtcdServer } from './etcd-server.js';

export type Handler = (body: Json) => Promise<Out>;

export function kvHandlers(s: EtcdServer): Record<string, Handler> {
  return {
    '/v3/kv/range': async (body) => {
      const req = rangeRequest(body);
      if (!req.serializable) await s.linearizable();
      const r = s.sm.applier.range(req);
      return rangeResponse(r, s.header());
    },
    '/v3/kv/put': async (body) => {
      const req = putRequest(body);
      if (req.key.length === 0) throw errors.emptyKey();
      const out = await s.proposeRequest({ put: req });
      return putResponse(out.response as PutResponse, s.header(out.revision));
    },
    '/v3/kv/deleterange': async (body) => {
      const req = deleteRangeRequest(body);
      if (req.key.length === 0) throw errors.emptyKey();
      const out = await s.proposeRequest({ deleteRange: req });
      return deleteRangeResponse(out.response as DeleteRangeResponse, s.header(out.revision));
    },
    '/v3/kv/txn': async (body) => {
      const req = txnRequest(body);
      checkTxnRequest(req, s.options.maxTxnOps);
      const out = await s.proposeRequest({ txn: req });
      return txnResponse(out.response as TxnResponse, s.header(out.revision), out.revision);
    },
    '/v3/kv/compaction': async (body) => {
      const out = await s.proposeRequest({ compaction: { revision: int(body, 'revision') ?? 0 } });
      return { header: s.header(out.revision) };
    },
  };
}
