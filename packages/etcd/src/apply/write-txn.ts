// One write transaction on the store: every change gets the same main revision (the current
// one plus one) and its own sub revision; reads inside the transaction see its earlier writes;
// the revision is bumped only if something changed, as in etcd.
import type { Lessor } from '../lease/lessor.js';
import { rangeOf } from '../mvcc/range.js';
import type { MvccStore } from '../mvcc/store.js';
import type { DeleteRangeRequest, DeleteRangeResponse, Event, KeyValue, PutRequest, PutResponse, RangeRequest, RangeResponse } from '../mvcc/types.js';

export class WriteTxn {
  readonly events: Event[] = [];
  private readonly main: number;

  constructor(
    private readonly store: MvccStore,
    private readonly lessor: Lessor,
  ) {
    this.main = store.currentRevision + 1;
  }

  /** The revision reads in this transaction see. */
  get visible(): number {
    return this.events.length > 0 ? this.main : this.main - 1;
  }

  range(req: RangeRequest): RangeResponse {
    return { ...rangeOf(this.store, req, this.visible), revision: this.visible };
  }

  /** A put that was validated against the state before the transaction (see validate.ts). */
  put(req: PutRequest): PutResponse {
    const e = this.store.put(req.key, req.ignoreValue ? undefined : req.value, req.ignoreLease ? undefined : (req.lease ?? 0n), this.main, this.events.length);
    const prev = e.prevKv;
    if (prev && prev.lease !== e.kv.lease) this.lessor.detach(prev.lease, prev.key);
    this.lessor.attach(e.kv.lease, req.key);
    this.events.push(e);
    return req.prevKv && prev ? { prevKv: prev, revision: this.main } : { revision: this.main };
  }

  deleteRange(req: DeleteRangeRequest): DeleteRangeResponse {
    const victims: KeyValue[] = [];
    this.store.valuesAt(req.key, req.rangeEnd, this.visible, (kv) => {
      victims.push(kv);
    });
    for (const kv of victims) {
      this.lessor.detach(kv.lease, kv.key);
      this.events.push(this.store.delete(kv, this.main, this.events.length));
    }
    return { deleted: victims.length, prevKvs: req.prevKv ? victims : [], revision: this.visible };
  }

  /** Ends the transaction; returns the store's revision after it. */
  end(): number {
    if (this.events.length > 0) this.store.currentRevision = this.main;
    return this.store.currentRevision;
  }
}
