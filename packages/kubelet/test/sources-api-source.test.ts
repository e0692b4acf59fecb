// The API-backed ObjectSource against a real API server: Services of every namespace from one
// informer, ConfigMaps and Secrets by GET with a TTL cache (found and not found alike), one
// request per object at a time, and a clear error while Services have never been listed.
import type { ConfigMap, Secret, Service } from '@kubets/api';
import { KubeClient } from '@kubets/client';
import { closedPortUrl, eventually, startTestCluster, type TestCluster } from '@kubets/testing';
import t from 'tap';
import { createApiObjectSource, ServicesNotSyncedError, type ApiObjectSource } from '../src/sources/api-source.js';
import { configMap, secret, service } from './env-fixtures.js';

const silent = { info() {}, warn() {}, error() {} };
let cluster: TestCluster;
t.before(async () => {
  cluster = await startTestCluster({ members: 1 });
  await cluster.client.create('namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
});
t.teardown(() => cluster?.stop());

/** A source on a clock the test moves; closed when the test ends. */
function sourceWithClock(t: { teardown(fn: () => unknown): void }, client: KubeClient = cluster.client) {
  let now = 1_000_000;
  const source: ApiObjectSource = createApiObjectSource(client, { ttlMs: 5_000, now: () => now, logger: silent });
  t.teardown(() => source.close());
  return { source, advance: (ms: number) => void (now += ms) };
}

/** A client that counts its GETs. */
function countingClient(): { client: KubeClient; gets: () => number } {
  let gets = 0;
  const client = Object.create(cluster.client) as KubeClient;
  client.get = ((...args: Parameters<KubeClient['get']>) => {
    gets++;
    return cluster.client.get(...args);
  }) as KubeClient['get'];
  return { client, gets: () => gets };
}

t.test('Services: those of the asked namespace, and the kubernetes Service of default', async (t) => {
  const { source } = sourceWithClock(t);
  await cluster.client.create('services', 'team-a', { ...service('team-a', 'api', '', [{ port: 80 }]), spec: { ports: [{ port: 80 }], selector: { app: 'api' } } } as Service);
  const names = async (ns: string) => (await source.services(ns)).map((s) => s.metadata?.name).sort();
  await eventually(async () => (await names('team-a')).includes('api'), 'the new Service reaches the informer');
  t.same(await names('team-a'), ['api']);
  t.ok((await names('default')).includes('kubernetes'));
  const api = (await source.services('team-a'))[0]!;
  t.match(api.spec?.clusterIP, /^\d+\.\d+\.\d+\.\d+$/, 'with its allocated cluster IP');
});

t.test('ConfigMaps: read once per TTL, not-found cached too, a change seen after the TTL', async (t) => {
  const { client, gets } = countingClient();
  const { source, advance } = sourceWithClock(t, client);
  t.equal(await source.configMap('team-a', 'settings'), undefined, 'missing: undefined, not an error');
  await cluster.client.create('configmaps', 'team-a', configMap('team-a', 'settings', { level: 'info' }));
  t.equal(await source.configMap('team-a', 'settings'), undefined, 'the not-found answer is kept for the TTL');
  advance(5_001);
  t.same((await source.configMap('team-a', 'settings'))?.data, { level: 'info' });
  const current = await cluster.client.get<ConfigMap>('configmaps', 'team-a', 'settings');
  await cluster.client.update('configmaps', 'team-a', { ...current, data: { level: 'debug' } });
  t.same((await source.configMap('team-a', 'settings'))?.data, { level: 'info' }, 'within the TTL: the cached copy');
  advance(5_001);
  t.same((await source.configMap('team-a', 'settings'))?.data, { level: 'debug' });
  t.equal(gets(), 3);
});

t.test('Secrets: the same cache; concurrent reads of one object share one GET; copies are independent', async (t) => {
  const { client, gets } = countingClient();
  const { source } = sourceWithClock(t, client);
  await cluster.client.create('secrets', 'team-a', secret('team-a', 'creds', { token: 'abc' }));
  const reads = await Promise.all([1, 2, 3, 4].map(() => source.secret('team-a', 'creds')));
  t.equal(gets(), 1);
  for (const read of reads) t.equal(Buffer.from(read!.data!.token!, 'base64').toString(), 'abc');
  (reads[0] as Secret).data!.token = 'changed by a caller';
  t.equal((await source.secret('team-a', 'creds'))?.data?.token, Buffer.from('abc').toString('base64'), 'a caller cannot change the cache');
});

t.test('an API server that cannot be reached: reads throw, Services say they were never listed', async (t) => {
  const unreachable = new KubeClient({ servers: [await closedPortUrl()] });
  t.teardown(() => unreachable.close());
  const source = createApiObjectSource(unreachable, { servicesSyncTimeoutMs: 300, logger: silent });
  t.teardown(() => source.close());
  await t.rejects(source.configMap('team-a', 'settings'));
  const err = await source.services('team-a').then(() => undefined, (e: unknown) => e);
  t.ok(err instanceof ServicesNotSyncedError);
  t.match(err, { message: 'services have not yet been read at least once, cannot construct envvars' });
});
