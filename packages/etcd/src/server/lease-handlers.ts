// /v3/lease/*: grant, revoke, timetolive, leases (keepalive is a stream: see streams.ts).
// Lease ids are chosen here, before proposing, so every member applies the same grant.
import { randomBytes } from 'node:crypto';
import { bool, int, int64, type Json } from '../json/read-fields.js';
import { EtcdError, errors } from '../mvcc/types.js';
import type { Out } from '../json/responses.js';
import { EntryKind } from './entry.js';
import type { EtcdServer } from './etcd-server.js';
import type { Handler } from './kv-handlers.js';
import type { RenewOutcome } from './state-machine.js';

const MAX_LEASE_TTL = 9_000_000_000;

function newLeaseId(): bigint {
  // Positive int64, never 0: 62 random bits.
  const id = randomBytes(8).readBigUInt64BE() >> 2n;
  return id === 0n ? 1n : id;
}

/** etcd's minimum TTL: one and a half election timeouts, in whole seconds. */
function minTtl(s: EtcdServer): number {
  return Math.ceil((1.5 * s.options.electionMs) / 1000);
}

export async function renewLease(s: EtcdServer, id: bigint): Promise<number> {
  const out = (await s.propose(EntryKind.LeaseRenew, Buffer.from(String(id)))) as RenewOutcome;
  return out.ok ? out.ttl : 0;
}

export function leaseHandlers(s: EtcdServer): Record<string, Handler> {
  const timeToLive: Handler = async (body) => {
    const id = int64(body, 'ID') ?? 0n;
    await s.linearizable();
    const lease = s.sm.applier.lessor.get(id);
    const out: Out = { header: s.header(), ID: String(id) };
    if (!lease) {
      out.TTL = '-1';
      return out;
    }
    out.TTL = String(s.leaseClock.remaining(id));
    out.grantedTTL = String(lease.ttl);
    if (bool(body, 'keys') && lease.keys.length > 0) out.keys = lease.keys.map((k) => k.toString('base64'));
    return out;
  };
  const revoke: Handler = async (body) => {
    const out = await s.proposeRequest({ leaseRevoke: { id: int64(body, 'ID') ?? 0n } });
    return { header: s.header(out.revision) };
  };
  const leases: Handler = async () => {
    await s.linearizable();
    const list = s.sm.applier.lessor.list();
    const out: Out = { header: s.header() };
    if (list.length > 0) out.leases = list.map((l) => ({ ID: String(l.id) }));
    return out;
  };
  return {
    '/v3/lease/grant': async (body) => {
      let ttl = int(body, 'TTL') ?? 0;
      if (ttl > MAX_LEASE_TTL) throw new EtcdError(11, 'etcdserver: too large lease TTL');
      ttl = Math.max(ttl, minTtl(s));
      const id = int64(body, 'ID') || newLeaseId();
      if (id < 0n) throw errors.leaseNotFound();
      const out = await s.proposeRequest({ leaseGrant: { id, ttl } });
      return { header: s.header(out.revision), ID: String(id), TTL: String(ttl) };
    },
    '/v3/lease/revoke': revoke,
    '/v3/kv/lease/revoke': revoke,
    '/v3/lease/timetolive': timeToLive,
    '/v3/kv/lease/timetolive': timeToLive,
    '/v3/lease/leases': leases,
    '/v3/kv/lease/leases': leases,
  };
}
