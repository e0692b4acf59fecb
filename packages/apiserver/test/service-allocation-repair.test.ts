// The Service allocation repair loop against an in-memory claim table: leaked claims go after
// two passes (never after one), claims in use stay, missing claims come back, duplicates show.

import t from 'tap';
import type { Claim, Claims } from '../src/admission/claims.js';
import { parsePortRange, parseServiceCIDR } from '../src/admission/ranges.js';
import { ServiceAllocator } from '../src/admission/service-allocation.js';
import { ServiceAllocationRepair } from '../src/admission/service-allocation-repair.js';
import type { KubeObject, ResourceStore } from '../src/storage/interface.js';

class MemoryClaims implements Claims {
  table = new Map<string, { owner: string; revision: number }>();
  private revision = 1;
  async claim(key: string, owner: string) {
    const held = this.table.get(key);
    if (held !== undefined) return held.owner === owner;
    this.table.set(key, { owner, revision: ++this.revision });
    return true;
  }
  async release(key: string, owner: string, revision?: number) {
    const held = this.table.get(key);
    if (held?.owner === owner && (revision === undefined || held.revision === revision)) this.table.delete(key);
  }
  async list(prefix: string): Promise<Claim[]> {
    return [...this.table].filter(([k]) => k.startsWith(prefix)).map(([key, v]) => ({ key, ...v }));
  }
}

const service = (name: string, uid: string, clusterIP: string, nodePort?: number): KubeObject => ({
  metadata: { namespace: 'default', name, uid },
  spec: { type: nodePort ? 'NodePort' : 'ClusterIP', clusterIP, ports: [{ port: 80, ...(nodePort ? { nodePort } : {}) }] },
});

function setup(services: KubeObject[]) {
  const claims = new MemoryClaims();
  const store = { list: async () => ({ items: services, resourceVersion: '1' }) } as unknown as ResourceStore;
  const allocator = new ServiceAllocator(claims, parseServiceCIDR('10.96.0.0/12'), parsePortRange('30000-32767'));
  return { claims, repair: new ServiceAllocationRepair(claims, store, allocator) };
}

const ipKey = (ip: string) => `/registry/kubets/serviceips/${ip}`;
const portKey = (p: number) => `/registry/kubets/servicenodeports/${p}`;

t.test('a leaked claim is released on the second pass that finds it unused and unchanged', async (t) => {
  const web = service('web', 'u1', '10.96.0.10', 30001);
  const { claims, repair } = setup([web]);
  await claims.claim(ipKey('10.96.0.10'), 'default/web/u1');
  await claims.claim(portKey(30001), 'default/web/u1');
  await claims.claim(portKey(30002), 'default/web/u1'); // the port of an update that never landed
  await claims.claim(ipKey('10.96.0.99'), 'default/gone/u0'); // a Service that is gone

  const first = await repair.runOnce();
  t.same(first.released, [], 'nothing goes on the first sighting: an update may still be writing');
  t.equal(claims.table.size, 4);
  const second = await repair.runOnce();
  t.same(second.released.sort(), [ipKey('10.96.0.99'), portKey(30002)].sort());
  t.same([...claims.table.keys()].sort(), [ipKey('10.96.0.10'), portKey(30001)].sort());
});

t.test('a claim rewritten between passes is a new sighting, not a leak', async (t) => {
  const { claims, repair } = setup([]);
  await claims.claim(portKey(30005), 'default/a/u1');
  await repair.runOnce();
  await claims.release(portKey(30005), 'default/a/u1');
  await claims.claim(portKey(30005), 'default/b/u2');
  t.same((await repair.runOnce()).released, []);
  t.same((await repair.runOnce()).released, [portKey(30005)]);
});

t.test('missing claims are claimed again; a value two Services use is a duplicate', async (t) => {
  const a = service('a', 'u1', '10.96.0.20', 30010);
  const b = service('b', 'u2', '10.96.0.20');
  const { claims, repair } = setup([a, b]);
  const r = await repair.runOnce();
  t.same(r.reclaimed, [portKey(30010)]);
  t.same(r.duplicates, [ipKey('10.96.0.20')]);
  t.equal(claims.table.get(portKey(30010))?.owner, 'default/a/u1');
  t.notOk(claims.table.has(ipKey('10.96.0.20')), 'a contested value is not handed to either');
});
