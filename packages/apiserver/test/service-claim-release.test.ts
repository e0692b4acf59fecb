// Releasing a Service's cluster IPs and node ports, without a server: an update whose etcd
// answer was lost (the write committed, the client sent it again) still frees what the
// replaced version held; a failed release does not stop the others and is logged, never
// thrown at a client whose write stood; two ports of one Service never draw one node port.

import t from 'tap';
import { conflict, isApiError, resolveResource } from '@kubets/api';
import type { Claim, Claims } from '../src/admission/claims.js';
import { createAdmission } from '../src/admission/index.js';
import { parsePortRange, parseServiceCIDR } from '../src/admission/ranges.js';
import { ClaimReleaseError, ownerOf, ServiceAllocator } from '../src/admission/service-allocation.js';
import type { RestContext } from '../src/rest/context.js';
import { patchObject } from '../src/rest/update.js';
import type { KubeObject, ResourceStore } from '../src/storage/interface.js';

class MemoryClaims implements Claims {
  table = new Map<string, string>();
  /** Keys whose release fails, as when etcd does not answer. */
  failing = new Set<string>();
  async claim(key: string, owner: string) {
    const held = this.table.get(key);
    if (held !== undefined) return held === owner;
    this.table.set(key, owner);
    return true;
  }
  async release(key: string, owner: string) {
    if (this.failing.has(key)) throw new Error(`etcd did not answer for ${key}`);
    if (this.table.get(key) === owner) this.table.delete(key);
  }
  async list(prefix: string): Promise<Claim[]> {
    return [...this.table].filter(([k]) => k.startsWith(prefix)).map(([key, owner]) => ({ key, owner, revision: 1 }));
  }
}

const services = resolveResource('services')!;
const portKey = (p: number) => `/registry/kubets/servicenodeports/${p}`;
const ipKey = (ip: string) => `/registry/kubets/serviceips/${ip}`;

const nodePortService = (): KubeObject => ({
  apiVersion: 'v1', kind: 'Service',
  metadata: { namespace: 'default', name: 'web', uid: 'u1', resourceVersion: '5', creationTimestamp: '2024-01-01T00:00:00Z' },
  spec: {
    type: 'NodePort', selector: { app: 'web' }, clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack',
    sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', externalTrafficPolicy: 'Cluster',
    ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 80, nodePort: 30080 }],
  },
});

/**
 * A store whose first write commits but whose answer is lost, as when etcd timed out or changed
 * leader after committing it; then, as Etcd3Store's loop does, the update either runs again from
 * that write ('retries': it changes nothing, so nothing more is written) or, with a resourceVersion
 * precondition, answers 409 ('conflicts').
 */
function storeLosingTheFirstAnswer(initial: KubeObject, then: 'retries' | 'conflicts') {
  let stored = initial;
  const store = {
    get: async () => structuredClone(stored),
    async update(_ns: string | undefined, name: string, fn: (current: KubeObject) => Promise<KubeObject>) {
      const written = await fn(structuredClone(stored));
      stored = { ...written, metadata: { ...written.metadata, resourceVersion: '6' } };
      if (then === 'conflicts') throw conflict({ group: '', resource: 'services' }, name, 'the object has been modified');
      await fn(structuredClone(stored));
      return structuredClone(stored);
    },
  };
  return store as unknown as ResourceStore;
}

function setup(store: ResourceStore) {
  const claims = new MemoryClaims();
  const warnings: object[] = [];
  const allocator = new ServiceAllocator(claims, parseServiceCIDR('10.96.0.0/12'), parsePortRange('30000-32767'));
  const admission = createAdmission(store, allocator, { notReady: 300, unreachable: 300 }, { warn: (obj) => warnings.push(obj) });
  const ctx: RestContext = { store: () => store, admission };
  return { claims, allocator, ctx, warnings };
}

const opts = { dryRun: false, fieldValidation: 'Ignore' as const, warnings: { add: () => {} } };

t.test('NodePort -> ClusterIP whose write was sent twice still frees the node port', async (t) => {
  const web = nodePortService();
  const { claims, ctx } = setup(storeLosingTheFirstAnswer(web, 'retries'));
  await claims.claim(ipKey('10.96.0.10'), ownerOf(web));
  await claims.claim(portKey(30080), ownerOf(web));
  const updated = await patchObject(ctx, services, 'default', 'web', 'main', 'strategic', { spec: { type: 'ClusterIP' } }, opts);
  t.equal((updated.spec as { type: string }).type, 'ClusterIP');
  t.same([...claims.table.keys()], [ipKey('10.96.0.10')], 'the node port is free; the address stays');
});

t.test('NodePort -> ClusterIP answered 409 after its write committed still frees the node port', async (t) => {
  const web = nodePortService();
  const { claims, ctx } = setup(storeLosingTheFirstAnswer(web, 'conflicts'));
  await claims.claim(ipKey('10.96.0.10'), ownerOf(web));
  await claims.claim(portKey(30080), ownerOf(web));
  const err = await patchObject(ctx, services, 'default', 'web', 'main', 'strategic', { spec: { type: 'ClusterIP' } }, opts).catch((e: unknown) => e);
  t.ok(isApiError(err) && err.code === 409, 'the client is told 409');
  t.same([...claims.table.keys()], [ipKey('10.96.0.10')], 'the stored version (ClusterIP) holds no node port, so it is free');
});

t.test('a release that fails leaves the others released, and is logged rather than thrown', async (t) => {
  const web = nodePortService();
  (web.spec as { ports: object[] }).ports.push({ name: 'dns', port: 53, protocol: 'UDP', targetPort: 53, nodePort: 30053 });
  const { claims, allocator, ctx, warnings } = setup({} as ResourceStore);
  for (const key of [ipKey('10.96.0.10'), portKey(30080), portKey(30053)]) await claims.claim(key, ownerOf(web));
  claims.failing.add(portKey(30080));

  const err = await allocator.releaseUnused(web).catch((e: unknown) => e);
  t.ok(err instanceof ClaimReleaseError, 'the allocator reports the failure');
  t.same((err as ClaimReleaseError).keys, [portKey(30080)]);
  t.same([...claims.table.keys()], [portKey(30080)], 'every other claim is released');

  await claims.claim(portKey(30053), ownerOf(web));
  await ctx.admission.afterDelete(services, web);
  t.same([...claims.table.keys()], [portKey(30080)]);
  t.equal(warnings.length, 1, 'the failed release is logged');
  t.same((warnings[0] as { keys: string[] }).keys, [portKey(30080)]);
});

t.test('two ports of one Service never get the same random node port', async (t) => {
  // Two free node ports: drawing the one the first port took would be claimed again by the same owner.
  for (let i = 0; i < 20; i++) {
    const claims = new MemoryClaims();
    const allocator = new ServiceAllocator(claims, parseServiceCIDR('10.96.0.0/12'), parsePortRange('30000-30001'));
    const svc: KubeObject = { metadata: { namespace: 'default', name: 'two', uid: `u${i}` }, spec: { type: 'NodePort', ports: [{ port: 80 }, { port: 53, protocol: 'UDP' }] } };
    await allocator.allocate(services, svc);
    const [a, b] = (svc.spec as { ports: { nodePort: number }[] }).ports;
    if (a!.nodePort === b!.nodePort) return t.fail(`both ports got node port ${a!.nodePort}`);
  }
  t.pass('distinct node ports in 20 allocations');
});
