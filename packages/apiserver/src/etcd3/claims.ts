// Claims (allocator state) as etcd keys created in a transaction that fails if they exist.

import type { Claims } from '../admission/claims.js';
import type { EtcdClient } from './client.js';

export function etcdClaims(etcd: EtcdClient): Claims {
  return {
    async claim(key, owner) {
      const r = await etcd.txn([{ target: 'CREATE', key, createRevision: 0 }], [{ put: { key, value: owner } }], [{ range: { key } }]);
      if (r.succeeded) return true;
      const held = r.results[0]?.[0];
      return held !== undefined && held.value.toString('utf8') === owner;
    },
    async release(key, owner) {
      await etcd.txn([{ target: 'VALUE', key, value: owner }], [{ deleteRange: { key } }]);
    },
  };
}
