// Leases as replicated state: each lease's granted TTL and the keys attached to it. When a lease
// expires is not replicated (see server/lease-clock.ts); revoking it is, and deletes its keys.
import { keyString } from '../mvcc/store.js';
import type { LeaseId } from '../mvcc/types.js';

export interface Lease {
  id: LeaseId;
  /** Granted TTL in seconds. */
  ttl: number;
  /** Attached keys, as latin1 strings (the store's key form). */
  keys: Set<string>;
}

export interface LeaseInfo {
  id: LeaseId;
  ttl: number;
  keys: Buffer[];
}

export class Lessor {
  private readonly leases = new Map<LeaseId, Lease>();

  has(id: LeaseId): boolean {
    return this.leases.has(id);
  }

  get size(): number {
    return this.leases.size;
  }

  /** The granted TTL in seconds, or undefined if there is no such lease. */
  ttlOf(id: LeaseId): number | undefined {
    return this.leases.get(id)?.ttl;
  }

  get(id: LeaseId): LeaseInfo | undefined {
    const l = this.leases.get(id);
    if (!l) return undefined;
    return { id: l.id, ttl: l.ttl, keys: [...l.keys].sort().map((k) => Buffer.from(k, 'latin1')) };
  }

  list(): LeaseInfo[] {
    return [...this.leases.keys()].map((id) => this.get(id)!);
  }

  grant(id: LeaseId, ttl: number): void {
    this.leases.set(id, { id, ttl, keys: new Set() });
  }

  /** Removes the lease and returns the keys that were attached to it. */
  revoke(id: LeaseId): Buffer[] {
    const keys = this.get(id)?.keys ?? [];
    this.leases.delete(id);
    return keys;
  }

  attach(id: LeaseId, key: Buffer): void {
    if (id !== 0n) this.leases.get(id)?.keys.add(keyString(key));
  }

  detach(id: LeaseId, key: Buffer): void {
    if (id !== 0n) this.leases.get(id)?.keys.delete(keyString(key));
  }
}
