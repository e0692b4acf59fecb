// Master leases as etcd keys under /registry/masterleases/, each attached to an etcd lease of the
// TTL, so etcd itself removes the key of a server that stops refreshing it. As upstream, a
// refresh writes the key again with a new lease (old leases run out on their own, holding nothing);
// the value is an Endpoints object naming the server, as upstream stores it. Keys name the
// address and the port: API servers on one host (a local cluster) differ only by their port.

import type { ApiServerEndpoint, MasterLeases } from '../controlplane/master-leases.js';
import type { EtcdClient } from './client.js';
import { prefixEnd } from './codec.js';

const prefix = '/registry/masterleases/';

const keyOf = (e: ApiServerEndpoint) => `${prefix}${e.ip}:${e.port}`;

function leaseValue(e: ApiServerEndpoint): string {
  return JSON.stringify({
    kind: 'Endpoints',
    apiVersion: 'v1',
    metadata: { name: `${e.ip}:${e.port}` },
    subsets: [{ addresses: [{ ip: e.ip }], ports: [{ port: e.port }] }],
  });
}

/** The server a lease names; undefined for a value that is not one (never written by us). */
function endpointOf(value: Buffer): ApiServerEndpoint | undefined {
  try {
    const subset = (JSON.parse(value.toString('utf8')) as { subsets?: { addresses?: { ip?: unknown }[]; ports?: { port?: unknown }[] }[] }).subsets?.[0];
    const ip = subset?.addresses?.[0]?.ip;
    const port = subset?.ports?.[0]?.port;
    return typeof ip === 'string' && typeof port === 'number' ? { ip, port } : undefined;
  } catch {
    return undefined;
  }
}

export function etcdMasterLeases(etcd: EtcdClient, ttlSeconds: number): MasterLeases {
  return {
    async update(self) {
      const lease = await etcd.grantLease(ttlSeconds);
      await etcd.txn([], [{ put: { key: keyOf(self), value: leaseValue(self), lease } }]);
    },
    async list() {
      const r = await etcd.range({ key: prefix, rangeEnd: prefixEnd(prefix) });
      return r.kvs.map((kv) => endpointOf(kv.value)).filter((e): e is ApiServerEndpoint => e !== undefined);
    },
    async remove(self) {
      await etcd.txn([], [{ deleteRange: { key: keyOf(self) } }]);
    },
  };
}
