// Claims (allocator state) as etcd keys created in a transaction that fails if they exist.

import type { Claims } from '../admission/claims.js';
import type { Compare, EtcdClient } from './client.js';
import { prefixEnd } from './codec.js';

export function etcdClaims(etcd: EtcdClient): Claims {
  return {
    async claim(key, owner) {
      const r = await etcd.txn([{ target: 'CREATE', key, createRevision: 0 }], [{ put: { key, value: owner } }], [{ range: { key } }]);
      if (r.succeeded) return true;
      const held = r.results[0]?.[0];
      return held !== undefined && held.value.toString('utf8') === owner;
    },
    async release(key, owner, revision) {
      const compare: Compare[] = [{ target: 'VALUE', key, value: owner }];
      if (revision !== undefined) compare.push({ target: 'MOD', key, modRevision: revision });
      await etcd.txn(compare, [{ deleteRange: { key } }]);
    },
    async list(prefix) {
      const r = await etcd.range({ key: prefix, rangeEnd: prefixEnd(prefix) });
      return r.kvs.map((kv) => ({ key: kv.key, owner: kv.value.toString('utf8'), revision: kv.modRevision }));
    },
  };
}
