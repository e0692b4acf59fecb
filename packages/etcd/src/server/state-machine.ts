// kubets-etcd's replicated state machine, as RaftReplica drives it: each committed entry goes to
// the applier (MVCC store and leases) or to the server's own bookkeeping; the events a write
// produced go to the watch hub in the same step, so watchers see revisions exactly in apply order.
import type { ConfChange, StateMachine } from '@kubets/raft';
import { Applier, type ApplyOutcome } from '../apply/applier.js';
import { decodeRequest } from '../apply/request.js';
import { MemberTable, type Member, type MemberTableJSON } from '../cluster/members.js';
import { errors, type EtcdError } from '../mvcc/types.js';
import type { WatchHub } from '../watch/hub.js';
import { EntryKind } from './entry.js';
import type { LeaseClock } from './lease-clock.js';

export type RenewOutcome = { ok: true; ttl: number } | { ok: false; error: EtcdError };

export class EtcdStateMachine implements StateMachine {
  applier = new Applier();
  members: MemberTable;
  appliedIndex = 0;

  constructor(
    private readonly hub: WatchHub,
    private readonly leases: LeaseClock,
    initialMembers: Member[],
  ) {
    this.members = new MemberTable(initialMembers);
  }

  apply(index: number, payload: Uint8Array): ApplyOutcome | RenewOutcome | undefined {
    this.appliedIndex = index;
    const body = payload.subarray(1);
    switch (payload[0]) {
      case EntryKind.Request: {
        const req = decodeRequest(body);
        const out = this.applier.apply(req);
        if (out.ok) {
          this.hub.notify(out.revision, out.events);
          if ('leaseGrant' in req) this.leases.start(req.leaseGrant.id, req.leaseGrant.ttl);
          else if ('leaseRevoke' in req) this.leases.forget(req.leaseRevoke.id);
        }
        return out;
      }
      case EntryKind.LeaseRenew: {
        const id = BigInt(Buffer.from(body).toString());
        const ttl = this.applier.lessor.ttlOf(id);
        if (ttl === undefined) return { ok: false, error: errors.leaseNotFound() };
        this.leases.start(id, ttl);
        return { ok: true, ttl };
      }
      case EntryKind.PublishMember: {
        const m = JSON.parse(Buffer.from(body).toString()) as { id: number; name: string; clientUrls: string[] };
        this.members.publish(m.id, m.name, m.clientUrls);
        return undefined;
      }
      default:
        throw new Error(`unknown entry kind ${payload[0]} at index ${index}`);
    }
  }

  applyConfChange(index: number, cc: ConfChange): void {
    this.appliedIndex = index;
    if (cc.type === 'removeNode') {
      this.members.remove(cc.nodeId);
      return;
    }
    const info = cc.context.length > 0 ? (JSON.parse(Buffer.from(cc.context).toString()) as Partial<Member>) : {};
    const existing = this.members.get(cc.nodeId);
    this.members.add({
      id: cc.nodeId,
      name: existing?.name ?? info.name ?? '',
      peerUrls: info.peerUrls ?? existing?.peerUrls ?? [],
      clientUrls: existing?.clientUrls ?? [],
      isLearner: cc.type === 'addLearner',
    });
  }

  snapshot(): Uint8Array {
    const kv = this.applier.snapshot();
    const members = Buffer.from(JSON.stringify(this.members.toJSON()));
    const out = Buffer.alloc(8 + kv.length + members.length);
    out.writeUInt32BE(kv.length, 0);
    Buffer.from(kv).copy(out, 4);
    out.writeUInt32BE(members.length, 4 + kv.length);
    members.copy(out, 8 + kv.length);
    return out;
  }

  restore(data: Uint8Array): void {
    const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const kvLen = buf.readUInt32BE(0);
    this.applier = new Applier();
    this.applier.restore(buf.subarray(4, 4 + kvLen));
    const mLen = buf.readUInt32BE(4 + kvLen);
    this.members = MemberTable.fromJSON(JSON.parse(buf.subarray(8 + kvLen, 8 + kvLen + mLen).toString()) as MemberTableJSON);
    this.leases.clear();
    for (const l of this.applier.lessor.list()) this.leases.start(l.id, l.ttl);
  }
}
