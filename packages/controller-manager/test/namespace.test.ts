// The namespace controller against a real API server and etcd: a deleted namespace is emptied of
// its pods, configmaps and services, its conditions say what remains and why, and then the
// `kubernetes` finalizer is removed through the finalize subresource.
import { isNotFound, type KubeClient, type KubeObject } from '@kubets/client';
import type { Namespace } from '@kubets/api';
import { eventually, startTestCluster, type TestCluster } from '@kubets/testing';
import t from 'tap';
import { createControllerContext } from '../src/controller/context.js';
import { NamespaceController, type NamespaceCondition } from '../src/controllers/namespace/index.js';

let c: TestCluster;
let ctx: ReturnType<typeof createControllerContext>;
let controller: NamespaceController;
let running: Promise<void>;

t.before(async () => {
  c = await startTestCluster({ members: 1 });
  ctx = createControllerContext({ client: c.client });
  controller = new NamespaceController(ctx, { workers: 2, deletionGracePeriodMs: 100 });
  ctx.informers.start();
  running = controller.run();
});
t.teardown(async () => {
  await controller?.stop();
  await running;
  await ctx?.shutdown();
  await c?.stop();
});

const hold = 'test.kubets.io/hold';
const ns = 'doomed';

async function condition(client: KubeClient, type: string): Promise<NamespaceCondition | undefined> {
  const obj = await client.get<Namespace>('namespaces', undefined, ns);
  return (obj.status?.conditions as NamespaceCondition[] | undefined)?.find((x) => x.type === type);
}

async function names(client: KubeClient, resource: string): Promise<string[]> {
  return (await client.list<KubeObject>(resource, ns)).items.map((o) => o.metadata!.name!).sort();
}

t.test('a deleted namespace is emptied; its conditions show what remains while a finalizer holds it', async (t) => {
  await c.client.create('namespaces', undefined, { metadata: { name: ns } });
  for (const name of ['p1', 'p2']) await c.client.create('pods', ns, { metadata: { name }, spec: { containers: [{ name: 'app', image: 'busybox' }] } });
  for (const name of ['cm1', 'cm2']) await c.client.create('configmaps', ns, { metadata: { name }, data: {} });
  await c.client.create('configmaps', ns, { metadata: { name: 'held', finalizers: [hold] }, data: {} });
  await c.client.create('services', ns, { metadata: { name: 'svc' }, spec: { ports: [{ port: 80 }] } });

  await c.client.delete('namespaces', undefined, ns);
  await eventually(async () => (await condition(c.client, 'NamespaceFinalizersRemaining'))?.status === 'True', 'NamespaceFinalizersRemaining=True', 20_000);
  t.same(await names(c.client, 'pods'), [], 'pods deleted');
  t.same(await names(c.client, 'services'), [], 'services deleted');
  t.same(await names(c.client, 'configmaps'), ['held'], 'only the held configmap remains');
  const finalizers = (await condition(c.client, 'NamespaceFinalizersRemaining'))!;
  t.same([finalizers.reason, finalizers.message], ['SomeFinalizersRemain', `Some content in the namespace has finalizers remaining: ${hold} in 1 resource instances`]);
  const content = (await condition(c.client, 'NamespaceContentRemaining'))!;
  t.same([content.status, content.reason, content.message], ['True', 'SomeResourcesRemain', 'Some resources are remaining: configmaps. has 1 resource instances']);
  const discovery = (await condition(c.client, 'NamespaceDeletionDiscoveryFailure'))!;
  t.same([discovery.status, discovery.reason], ['False', 'ResourcesDiscovered']);
  const namespace = await c.client.get<Namespace>('namespaces', undefined, ns);
  t.equal(namespace.status?.phase, 'Terminating');
  t.same(namespace.spec?.finalizers, ['kubernetes'], 'not finalized while content remains');

  await c.client.patch('configmaps', ns, 'held', { metadata: { finalizers: null } });
  await eventually(async () => (await condition(c.client, 'NamespaceContentRemaining'))?.reason === 'ContentRemoved', 'NamespaceContentRemaining=False', 30_000);
  const finished = (await condition(c.client, 'NamespaceFinalizersRemaining'))!;
  t.same([finished.status, finished.reason, finished.message], ['False', 'ContentHasNoFinalizers', 'All content-preserving finalizers finished']);
  t.same(await names(c.client, 'configmaps'), []);
});

t.test('an emptied namespace is finalized and goes', async (t) => {
  await eventually(async () => {
    try {
      await c.client.get('namespaces', undefined, ns);
      return false;
    } catch (e) {
      if (isNotFound(e)) return true;
      throw e;
    }
  }, 'the namespace is gone', 5_000);
  t.pass('gone');
});
