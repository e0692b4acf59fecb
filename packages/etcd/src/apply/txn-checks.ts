// What etcd checks of a transaction before it changes anything, so that a request either applies
// whole or fails whole: the path through the compares (all evaluated against the state before
// the transaction, nested ones included), then every put on that path (its lease exists; the key
// exists where ignore_value or ignore_lease needs its old value).
import type { Lessor } from '../lease/lessor.js';
import { keyString, type MvccStore } from '../mvcc/store.js';
import { inRange } from '../watch/key-range.js';
import { EtcdError, errors, type Compare, type DeleteRangeRequest, type KeyValue, type PutRequest, type RangeRequest, type RequestOp, type TxnRequest } from '../mvcc/types.js';

/** For each txn on the chosen path, in execution order: whether its compares succeeded. */
export type TxnPath = boolean[];

function compareKv(c: Compare, kv: KeyValue): boolean {
  let r: number;
  switch (c.target) {
    case 'VALUE': r = Buffer.compare(kv.value, c.value ?? Buffer.alloc(0)); break;
    case 'CREATE': r = Math.sign(kv.createRevision - (c.createRevision ?? 0)); break;
    case 'MOD': r = Math.sign(kv.modRevision - (c.modRevision ?? 0)); break;
    case 'VERSION': r = Math.sign(kv.version - (c.version ?? 0)); break;
    case 'LEASE': {
      const want = c.lease ?? 0n;
      r = kv.lease === want ? 0 : kv.lease < want ? -1 : 1;
      break;
    }
  }
  switch (c.result) {
    case 'EQUAL': return r === 0;
    case 'NOT_EQUAL': return r !== 0;
    case 'GREATER': return r > 0;
    case 'LESS': return r < 0;
  }
}

const ABSENT: KeyValue = { key: Buffer.alloc(0), createRevision: 0, modRevision: 0, version: 0, value: Buffer.alloc(0), lease: 0n };

/** etcd's applyCompare: every key in range must pass; a missing key compares as zero values, except on VALUE. */
function compareHolds(store: MvccStore, c: Compare): boolean {
  const rev = store.currentRevision;
  let any = false;
  let ok = true;
  store.valuesAt(c.key, c.rangeEnd, rev, (kv) => {
    any = true;
    if (!compareKv(c, kv)) ok = false;
    return ok;
  });
  if (!any) return c.target === 'VALUE' ? false : compareKv(c, ABSENT);
  return ok;
}

export function txnPath(store: MvccStore, txn: TxnRequest, path: TxnPath = []): TxnPath {
  const ok = txn.compare.every((c) => compareHolds(store, c));
  path.push(ok);
  for (const op of ok ? txn.success : txn.failure) if ('requestTxn' in op) txnPath(store, op.requestTxn, path);
  return path;
}

/** What a put needs of the state it applies to (its form was checked before proposing). */
export function checkPut(store: MvccStore, lessor: Lessor, p: PutRequest): void {
  if ((p.ignoreValue || p.ignoreLease) && store.get(p.key) === undefined) throw new EtcdError(3, 'etcdserver: key not found');
  const lease = p.lease ?? 0n;
  if (!p.ignoreLease && lease !== 0n && !lessor.has(lease)) throw errors.leaseNotFound();
}

/** Checks the puts along `path` (consumed from `at`); returns the next position in the path. */
export function checkOps(store: MvccStore, lessor: Lessor, txn: TxnRequest, path: TxnPath, at = 0): number {
  const ops: RequestOp[] = path[at] ? txn.success : txn.failure;
  let next = at + 1;
  for (const op of ops) {
    if ('requestPut' in op) checkPut(store, lessor, op.requestPut);
    else if ('requestTxn' in op) next = checkOps(store, lessor, op.requestTxn, path, next);
  }
  return next;
}

interface Interval {
  key: Buffer;
  rangeEnd?: Buffer;
}

function covers(dels: Interval[], key: Buffer): boolean {
  return dels.some((d) => inRange(d, key));
}

/**
 * etcd's checkIntervals: within one branch, no key may be put twice or put and deleted (then and
 * else of a nested txn may put the same key, since only one of them runs).
 */
function checkIntervals(ops: RequestOp[]): { puts: Set<string>; dels: Interval[] } {
  const dels: Interval[] = [];
  for (const op of ops) if ('requestDeleteRange' in op) dels.push(op.requestDeleteRange);
  const puts = new Set<string>();
  for (const op of ops) {
    if (!('requestTxn' in op)) continue;
    const then = checkIntervals(op.requestTxn.success);
    const otherwise = checkIntervals(op.requestTxn.failure);
    for (const k of then.puts) {
      if (puts.has(k) || covers(dels, Buffer.from(k, 'latin1'))) throw errors.duplicateKey();
      puts.add(k);
    }
    for (const k of otherwise.puts) {
      if (puts.has(k) && !then.puts.has(k)) throw errors.duplicateKey();
      if (covers(dels, Buffer.from(k, 'latin1'))) throw errors.duplicateKey();
      puts.add(k);
    }
    dels.push(...then.dels, ...otherwise.dels);
  }
  for (const op of ops) {
    if (!('requestPut' in op)) continue;
    const k = keyString(op.requestPut.key);
    if (puts.has(k) || covers(dels, op.requestPut.key)) throw errors.duplicateKey();
    puts.add(k);
  }
  return { puts, dels };
}

// etcd's request checks at its API layer, done before anything is proposed, on every branch of a
// txn (the one that will not run too).

export function checkRangeRequest(r: RangeRequest): void {
  if (r.key.length === 0) throw errors.emptyKey();
}

export function checkPutRequest(p: PutRequest): void {
  if (p.key.length === 0) throw errors.emptyKey();
  if (p.ignoreValue && p.value.length > 0) throw new EtcdError(3, 'etcdserver: value is provided');
  if (p.ignoreLease && (p.lease ?? 0n) !== 0n) throw new EtcdError(3, 'etcdserver: lease is provided');
}

export function checkDeleteRequest(d: DeleteRangeRequest): void {
  if (d.key.length === 0) throw errors.emptyKey();
}

/**
 * etcd's checkTxnRequest: the longest of compare, success and failure counts against
 * --max-txn-ops, and a nested txn gets what its parent left; every key is given; then
 * checkIntervals on each branch.
 */
export function checkTxnRequest(txn: TxnRequest, maxTxnOps: number): void {
  checkTxnOps(txn, maxTxnOps);
  checkIntervals(txn.success);
  checkIntervals(txn.failure);
}

function checkTxnOps(txn: TxnRequest, maxTxnOps: number): void {
  const opc = Math.max(txn.compare.length, txn.success.length, txn.failure.length);
  if (opc > maxTxnOps) throw errors.tooManyOps();
  for (const c of txn.compare) if (c.key.length === 0) throw errors.emptyKey();
  for (const op of [...txn.success, ...txn.failure]) {
    if ('requestRange' in op) checkRangeRequest(op.requestRange);
    else if ('requestPut' in op) checkPutRequest(op.requestPut);
    else if ('requestDeleteRange' in op) checkDeleteRequest(op.requestDeleteRange);
    else checkTxnOps(op.requestTxn, maxTxnOps - opc);
  }
}

/** Whether a txn only reads (etcd serves those without Raft), and whether every read is serializable. */
export function readOnly(txn: TxnRequest): { readOnly: boolean; serializable: boolean } {
  let ro = true;
  let ser = true;
  const walk = (ops: RequestOp[]) => {
    for (const op of ops) {
      if ('requestRange' in op) ser &&= op.requestRange.serializable === true;
      else if ('requestTxn' in op) {
        walk(op.requestTxn.success);
        walk(op.requestTxn.failure);
      } else ro = false;
    }
  };
  walk(txn.success);
  walk(txn.failure);
  return { readOnly: ro, serializable: ser };
}
