// Applies committed requests to the MVCC store and the lessor, deterministically, the same on
// every member. A request is checked in full before it changes anything, so it applies whole or
// fails whole with etcd's error; the events of a write go back with its outcome for watchers.
import { Lessor } from '../lease/lessor.js';
import type { Revision } from '../mvcc/key-history.js';
import { rangeOf } from '../mvcc/range.js';
import { MvccStore } from '../mvcc/store.js';
import { EtcdError, errors, type Event, type RangeRequest, type RangeResponse, type ResponseOp, type TxnRequest, type TxnResponse } from '../mvcc/types.js';
import type { InternalRequest } from './request.js';
import { checkOps, checkPut, txnPath, type TxnPath } from './txn-checks.js';
import { WriteTxn } from './write-txn.js';

export type ApplyOutcome =
  | { ok: true; response: unknown; events: Event[]; revision: number }
  | { ok: false; error: EtcdError; revision: number };

interface SnapshotV1 {
  v: 1;
  revision: number;
  compactRevision: number;
  leases: [id: string, ttl: number][];
  /** [key (base64), revisions: [main, sub] for a deletion, [main, sub, create, version, value, lease] for a put] */
  keys: [string, (number | string)[][]][];
}

export class Applier {
  store = new MvccStore();
  lessor = new Lessor();

  get currentRevision(): number {
    return this.store.currentRevision;
  }

  get compactRevision(): number {
    return this.store.compactRevision;
  }

  /** Approximate size of the state, as a snapshot holds it (never 0, like etcd's dbSize). */
  sizeBytes(): number {
    return 64 + this.store.sizeBytes + 32 * this.lessor.size;
  }

  range(req: RangeRequest): RangeResponse {
    return rangeOf(this.store, req, this.store.currentRevision);
  }

  eventsSince(start: number, key: Buffer, rangeEnd: Buffer | undefined): Event[] {
    return this.store.eventsSince(start, key, rangeEnd);
  }

  apply(req: InternalRequest): ApplyOutcome {
    try {
      return this.applyOrThrow(req);
    } catch (err) {
      if (err instanceof EtcdError) return { ok: false, error: err, revision: this.store.currentRevision };
      throw err;
    }
  }

  private applyOrThrow(req: InternalRequest): ApplyOutcome {
    if ('put' in req) {
      checkPut(this.store, this.lessor, req.put);
      return this.write((w) => w.put(req.put));
    }
    if ('deleteRange' in req) return this.write((w) => w.deleteRange(req.deleteRange));
    if ('txn' in req) {
      const path = txnPath(this.store, req.txn);
      checkOps(this.store, this.lessor, req.txn, path);
      return this.write((w) => this.txn(w, req.txn, path, { at: 0 }));
    }
    if ('compaction' in req) {
      const rev = req.compaction.revision;
      if (rev <= this.store.compactRevision) throw errors.compacted();
      if (rev > this.store.currentRevision) throw errors.futureRevision();
      this.store.compact(rev);
      return { ok: true, response: {}, events: [], revision: this.store.currentRevision };
    }
    if ('leaseGrant' in req) {
      if (this.lessor.has(req.leaseGrant.id)) throw errors.leaseExists();
      this.lessor.grant(req.leaseGrant.id, req.leaseGrant.ttl);
      return { ok: true, response: {}, events: [], revision: this.store.currentRevision };
    }
    if ('leaseRevoke' in req) {
      if (!this.lessor.has(req.leaseRevoke.id)) throw errors.leaseNotFound();
      const keys = this.lessor.revoke(req.leaseRevoke.id);
      return this.write((w) => {
        for (const key of keys) w.deleteRange({ key });
        return {};
      });
    }
    throw new EtcdError(3, 'etcdserver: unknown request');
  }

  private write(fn: (w: WriteTxn) => unknown): ApplyOutcome {
    const w = new WriteTxn(this.store, this.lessor);
    const response = fn(w);
    return { ok: true, response, events: w.events, revision: w.end() };
  }

  private txn(w: WriteTxn, txn: TxnRequest, path: TxnPath, pos: { at: number }): TxnResponse {
    const succeeded = path[pos.at++]!;
    const responses: ResponseOp[] = [];
    for (const op of succeeded ? txn.success : txn.failure) {
      if ('requestRange' in op) responses.push({ responseRange: w.range(op.requestRange) });
      else if ('requestPut' in op) responses.push({ responsePut: w.put(op.requestPut) });
      else if ('requestDeleteRange' in op) responses.push({ responseDeleteRange: w.deleteRange(op.requestDeleteRange) });
      else responses.push({ responseTxn: this.txn(w, op.requestTxn, path, pos) });
    }
    return { succeeded, responses };
  }

  snapshot(): Uint8Array {
    const keys: SnapshotV1['keys'] = [];
    for (const [k, h] of this.store.histories()) {
      const revs = h.revisions.map((r) =>
        r.kv ? [r.main, r.sub, r.kv.createRevision, r.kv.version, r.kv.value.toString('base64'), r.kv.lease.toString()] : [r.main, r.sub]);
      keys.push([Buffer.from(k, 'latin1').toString('base64'), revs]);
    }
    const snap: SnapshotV1 = {
      v: 1,
      revision: this.store.currentRevision,
      compactRevision: this.store.compactRevision,
      leases: this.lessor.list().map((l) => [l.id.toString(), l.ttl]),
      keys,
    };
    return Buffer.from(JSON.stringify(snap), 'utf8');
  }

  restore(data: Uint8Array): void {
    const snap = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8')) as SnapshotV1;
    if (snap.v !== 1) throw new Error(`unknown kubets-etcd snapshot version ${String(snap.v)}`);
    this.store = new MvccStore();
    this.lessor = new Lessor();
    this.store.currentRevision = snap.revision;
    this.store.compactRevision = snap.compactRevision;
    for (const [id, ttl] of snap.leases) this.lessor.grant(BigInt(id), ttl);
    for (const [k64, revs] of snap.keys) {
      const key = Buffer.from(k64, 'base64');
      const revisions: Revision[] = revs.map((r) => ({
        main: r[0] as number,
        sub: r[1] as number,
        kv: r.length === 2 ? undefined : {
          key, createRevision: r[2] as number, modRevision: r[0] as number, version: r[3] as number,
          value: Buffer.from(r[4] as string, 'base64'), lease: BigInt(r[5] as string),
        },
      }));
      this.store.load(key.toString('latin1'), revisions);
      const latest = revisions[revisions.length - 1]?.kv;
      if (latest) this.lessor.attach(latest.lease, key);
    }
  }
}
