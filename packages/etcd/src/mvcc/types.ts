// The etcd v3 messages in their internal form: the shapes of etcd's rpc.proto and kv.proto with
// lowerCamelCase names, keys and values as Buffers, revisions as numbers (they stay far below
// 2^53) and lease ids as bigints (etcd's are 63-bit). The JSON gateway codec (src/json) converts
// between these and etcd's wire JSON; the MVCC store and the applier work only with these.

export type LeaseId = bigint;
export const NO_LEASE: LeaseId = 0n;

export interface KeyValue {
  key: Buffer;
  createRevision: number;
  modRevision: number;
  /** Writes to the key since its creation (1 after the first put); a deletion resets it. */
  version: number;
  value: Buffer;
  lease: LeaseId;
}

export type SortOrder = 'NONE' | 'ASCEND' | 'DESCEND';
export type SortTarget = 'KEY' | 'VERSION' | 'CREATE' | 'MOD' | 'VALUE';

export interface RangeRequest {
  key: Buffer;
  /** Absent or empty: the single key. A single 0 byte: every key >= key. */
  rangeEnd?: Buffer;
  limit?: number;
  /** 0 or absent: the current revision. */
  revision?: number;
  sortOrder?: SortOrder;
  sortTarget?: SortTarget;
  serializable?: boolean;
  keysOnly?: boolean;
  countOnly?: boolean;
  minModRevision?: number;
  maxModRevision?: number;
  minCreateRevision?: number;
  maxCreateRevision?: number;
}

export interface RangeResponse {
  kvs: KeyValue[];
  more: boolean;
  count: number;
  /** Inside a txn: the revision this read saw (etcd reports it in the nested header). */
  revision?: number;
}

export interface PutRequest {
  key: Buffer;
  value: Buffer;
  lease?: LeaseId;
  prevKv?: boolean;
  ignoreValue?: boolean;
  ignoreLease?: boolean;
}

export interface PutResponse {
  prevKv?: KeyValue;
  /** The revision of the write. */
  revision?: number;
}

export interface DeleteRangeRequest {
  key: Buffer;
  rangeEnd?: Buffer;
  prevKv?: boolean;
}

export interface DeleteRangeResponse {
  deleted: number;
  prevKvs: KeyValue[];
  /** The revision after the deletion (unchanged if it deleted nothing and nothing was written before). */
  revision?: number;
}

export type CompareResult = 'EQUAL' | 'GREATER' | 'LESS' | 'NOT_EQUAL';
export type CompareTarget = 'VERSION' | 'CREATE' | 'MOD' | 'VALUE' | 'LEASE';

export interface Compare {
  result: CompareResult;
  target: CompareTarget;
  key: Buffer;
  rangeEnd?: Buffer;
  version?: number;
  createRevision?: number;
  modRevision?: number;
  value?: Buffer;
  lease?: LeaseId;
}

export type RequestOp =
  | { requestRange: RangeRequest }
  | { requestPut: PutRequest }
  | { requestDeleteRange: DeleteRangeRequest }
  | { requestTxn: TxnRequest };

export type ResponseOp =
  | { responseRange: RangeResponse }
  | { responsePut: PutResponse }
  | { responseDeleteRange: DeleteRangeResponse }
  | { responseTxn: TxnResponse };

export interface TxnRequest {
  compare: Compare[];
  success: RequestOp[];
  failure: RequestOp[];
}

export interface TxnResponse {
  succeeded: boolean;
  responses: ResponseOp[];
}

export interface Event {
  type: 'PUT' | 'DELETE';
  /** For a DELETE: the key, with modRevision set to the deletion's revision (other fields zero/empty). */
  kv: KeyValue;
  prevKv?: KeyValue;
}

/** etcd's errors as the server reports them; the JSON layer maps `code` to the HTTP status. */
export class EtcdError extends Error {
  constructor(
    /** gRPC status code: 3 InvalidArgument, 5 NotFound, 9 FailedPrecondition, 11 OutOfRange, 14 Unavailable ... */
    readonly code: number,
    /** etcd's exact text, e.g. "etcdserver: mvcc: required revision has been compacted". */
    message: string,
  ) {
    super(message);
    this.name = 'EtcdError';
  }
}

export const errors = {
  compacted: () => new EtcdError(11, 'etcdserver: mvcc: required revision has been compacted'),
  futureRevision: () => new EtcdError(11, 'etcdserver: mvcc: required revision is a future revision'),
  emptyKey: () => new EtcdError(3, 'etcdserver: key is not provided'),
  duplicateKey: () => new EtcdError(3, 'etcdserver: duplicate key given in txn request'),
  leaseNotFound: () => new EtcdError(5, 'etcdserver: requested lease not found'),
  leaseExists: () => new EtcdError(9, 'etcdserver: lease already exists'),
  tooLarge: () => new EtcdError(3, 'etcdserver: request is too large'),
  tooManyOps: () => new EtcdError(3, 'etcdserver: too many operations in txn request'),
  noLeader: () => new EtcdError(14, 'etcdserver: no leader'),
  timeout: () => new EtcdError(14, 'etcdserver: request timed out'),
};
