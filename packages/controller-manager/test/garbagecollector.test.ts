// The garbage collector against a real API server and etcd: a ConfigMap owns ConfigMaps, Secrets
// and Pods, and deleting it with each propagation policy does what kube-controller-manager's
// collector does; dependents of owners that do not exist are collected.
import { randomUUID } from 'node:crypto';
import { isNotFound, type KubeClient, type KubeObject } from '@kubets/client';
import { eventually, startTestCluster, type TestCluster } from '@kubets/testing';
import t from 'tap';
import { createControllerContext } from '../src/controller/context.js';
import { GarbageCollector, type OwnerReference } from '../src/controllers/garbagecollector/index.js';

let c: TestCluster;
let ctx: ReturnType<typeof createControllerContext>;
let gc: GarbageCollector;
let running: Promise<void>;

t.before(async () => {
  c = await startTestCluster({ members: 1 });
  ctx = createControllerContext({ client: c.client });
  gc = new GarbageCollector(ctx, { workers: 2 });
  ctx.informers.start();
  running = gc.run();
});
t.teardown(async () => {
  await gc?.stop();
  await running;
  await ctx?.shutdown();
  await c?.stop();
});

const hold = 'test.kubets.io/hold';

function ownedBy(owner: KubeObject, o: Partial<OwnerReference> = {}): OwnerReference {
  return { apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata!.name!, uid: owner.metadata!.uid!, ...o };
}

async function configMap(client: KubeClient, name: string, meta: Record<string, unknown> = {}, namespace = 'default'): Promise<KubeObject> {
  return client.create('configmaps', namespace, { metadata: { name, ...meta }, data: { k: 'v' } });
}

async function exists(client: KubeClient, resource: string, name: string, namespace = 'default'): Promise<KubeObject | undefined> {
  try {
    return await client.get(resource, namespace, name);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

const gone = async (resource: string, name: string, namespace = 'default') => (await exists(c.client, resource, name, namespace)) === undefined;

t.test('Background: deleting the owner deletes its ConfigMaps, Secrets and Pods', async (t) => {
  const owner = await configMap(c.client, 'bg-owner');
  const refs = [ownedBy(owner)];
  await configMap(c.client, 'bg-cm', { ownerReferences: refs });
  await c.client.create('secrets', 'default', { metadata: { name: 'bg-secret', ownerReferences: refs }, data: {} });
  await c.client.create('pods', 'default', { metadata: { name: 'bg-pod', ownerReferences: refs }, spec: { containers: [{ name: 'app', image: 'busybox' }] } });
  const bystander = await configMap(c.client, 'bg-bystander');
  await c.client.delete('configmaps', 'default', 'bg-owner');
  await eventually(async () => (await gone('configmaps', 'bg-cm')) && (await gone('secrets', 'bg-secret')) && (await gone('pods', 'bg-pod')), 'dependents collected', 20_000);
  t.equal((await exists(c.client, 'configmaps', 'bg-bystander'))?.metadata?.uid, bystander.metadata?.uid, 'an object without owners stays');
});

t.test('Foreground: the owner stays until its blocking dependents are gone', async (t) => {
  const owner = await configMap(c.client, 'fg-owner');
  await configMap(c.client, 'fg-blocker', { ownerReferences: [ownedBy(owner, { blockOwnerDeletion: true })], finalizers: [hold] });
  await configMap(c.client, 'fg-free', { ownerReferences: [ownedBy(owner)] });
  await c.client.delete('configmaps', 'default', 'fg-owner', { propagationPolicy: 'Foreground' });
  await eventually(async () => (await exists(c.client, 'configmaps', 'fg-blocker'))?.metadata?.deletionTimestamp !== undefined, 'the blocking dependent is being deleted', 20_000);
  await eventually(() => gone('configmaps', 'fg-free'), 'the non-blocking dependent is deleted too', 20_000);
  const waiting = await exists(c.client, 'configmaps', 'fg-owner');
  t.ok(waiting?.metadata?.deletionTimestamp, 'the owner is being deleted');
  t.same(waiting?.metadata?.finalizers, ['foregroundDeletion'], 'and waits on its foregroundDeletion finalizer');

  // Our finalizer holds the blocking dependent; releasing it lets both go.
  await c.client.patch('configmaps', 'default', 'fg-blocker', { metadata: { finalizers: null } });
  await eventually(async () => (await gone('configmaps', 'fg-blocker')) && (await gone('configmaps', 'fg-owner')), 'owner deleted once its blocking dependent is gone', 20_000);
});

t.test('Orphan: the owner goes, its dependents stay without the reference to it', async (t) => {
  const owner = await configMap(c.client, 'or-owner');
  const other = await configMap(c.client, 'or-other');
  await configMap(c.client, 'or-a', { ownerReferences: [ownedBy(owner)] });
  await configMap(c.client, 'or-b', { ownerReferences: [ownedBy(owner), ownedBy(other)] });
  await c.client.delete('configmaps', 'default', 'or-owner', { propagationPolicy: 'Orphan' });
  await eventually(() => gone('configmaps', 'or-owner'), 'owner deleted after orphaning', 20_000);
  const a = await exists(c.client, 'configmaps', 'or-a');
  const b = await exists(c.client, 'configmaps', 'or-b');
  t.ok(a, 'or-a stays');
  t.same(a?.metadata?.ownerReferences ?? [], [], 'or-a has no owner now');
  t.same((b?.metadata?.ownerReferences as OwnerReference[]).map((r) => r.name), ['or-other'], 'or-b keeps its other owner');
});

t.test('a dependent whose owner does not exist, or is another object with the same name, is deleted', async (t) => {
  await configMap(c.client, 'dangling', { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'nobody', uid: randomUUID() }] });
  const real = await configMap(c.client, 'real-owner');
  await configMap(c.client, 'wrong-uid', { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'real-owner', uid: randomUUID() }] });
  await eventually(async () => (await gone('configmaps', 'dangling')) && (await gone('configmaps', 'wrong-uid')), 'dangling dependents collected', 20_000);
  t.equal((await exists(c.client, 'configmaps', 'real-owner'))?.metadata?.uid, real.metadata?.uid, 'the owner by that name is untouched');
});

t.test('a dependent with one owner gone and one alive loses only the dangling reference', async (t) => {
  const alive = await configMap(c.client, 'half-alive');
  const ghost = { apiVersion: 'v1', kind: 'ConfigMap', name: 'half-ghost', uid: randomUUID() };
  await configMap(c.client, 'half-dep', { ownerReferences: [ghost, ownedBy(alive)] });
  await eventually(async () => {
    const refs = ((await exists(c.client, 'configmaps', 'half-dep'))?.metadata?.ownerReferences ?? []) as OwnerReference[];
    return refs.length === 1 && refs[0]!.uid === alive.metadata!.uid;
  }, 'dangling reference removed', 20_000);
  t.ok(await exists(c.client, 'configmaps', 'half-dep'), 'the dependent stays');
});

t.test('an owner in another namespace: OwnerRefInvalidNamespace, and the dependent is collected', async (t) => {
  for (const name of ['gc-a', 'gc-b']) await c.client.create('namespaces', undefined, { metadata: { name } });
  const owner = await configMap(c.client, 'cross-owner', {}, 'gc-a');
  await eventually(() => gc.graph.get(owner.metadata!.uid!)?.virtual === false, 'the owner is in the graph');
  await configMap(c.client, 'cross-dep', { ownerReferences: [ownedBy(owner)] }, 'gc-b');
  await eventually(() => gone('configmaps', 'cross-dep', 'gc-b'), 'the dependent is collected: its owner is not in its namespace', 20_000);
  await eventually(async () => {
    const events = await c.client.list<KubeObject & { reason?: string; message?: string }>('events', 'gc-b');
    return events.items.some((e) => e.reason === 'OwnerRefInvalidNamespace');
  }, 'OwnerRefInvalidNamespace event');
  const ev = (await c.client.list<KubeObject & { reason?: string; message?: string; type?: string; source?: { component?: string } }>('events', 'gc-b')).items.find((e) => e.reason === 'OwnerRefInvalidNamespace')!;
  t.equal(ev.type, 'Warning');
  t.equal(ev.source?.component, 'garbage-collector-controller');
  t.equal(ev.message, `ownerRef [v1/ConfigMap, namespace: gc-b, name: cross-owner, uid: ${owner.metadata!.uid}] does not exist in namespace "gc-b"`);
  t.ok(await exists(c.client, 'configmaps', 'cross-owner', 'gc-a'), 'the owner stays');
});

t.test('Foreground cascades: a blocking dependent with dependents of its own is deleted in the foreground too', async (t) => {
  const top = await configMap(c.client, 'cascade-top');
  const middle = await configMap(c.client, 'cascade-middle', { ownerReferences: [ownedBy(top, { blockOwnerDeletion: true })] });
  await configMap(c.client, 'cascade-bottom', { ownerReferences: [ownedBy(middle, { blockOwnerDeletion: true })], finalizers: [hold] });
  await eventually(() => gc.graph.get(middle.metadata!.uid!)?.dependents.size === 1, 'the graph has the chain');
  await c.client.delete('configmaps', 'default', 'cascade-top', { propagationPolicy: 'Foreground' });
  await eventually(async () => (await exists(c.client, 'configmaps', 'cascade-bottom'))?.metadata?.deletionTimestamp !== undefined, 'the bottom is being deleted', 20_000);
  const mid = await exists(c.client, 'configmaps', 'cascade-middle');
  t.same(mid?.metadata?.finalizers, ['foregroundDeletion'], 'the middle waits in the foreground for the bottom');
  t.ok(await exists(c.client, 'configmaps', 'cascade-top'), 'the top waits for the middle');
  await c.client.patch('configmaps', 'default', 'cascade-bottom', { metadata: { finalizers: null } });
  await eventually(async () => (await gone('configmaps', 'cascade-middle')) && (await gone('configmaps', 'cascade-top')), 'the chain goes bottom up', 20_000);
});

t.test('a cluster-scoped object naming a namespaced owner is left alone, with an OwnerRefInvalidNamespace event', async (t) => {
  const uid = randomUUID();
  await c.client.create('nodes', undefined, { metadata: { name: 'invalid-owner-node', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'cm', uid }] } });
  await eventually(async () => {
    const events = await c.client.list<KubeObject & { reason?: string; involvedObject?: { name?: string } }>('events', undefined);
    return events.items.some((e) => e.reason === 'OwnerRefInvalidNamespace' && e.involvedObject?.name === 'invalid-owner-node');
  }, 'OwnerRefInvalidNamespace event', 20_000);
  t.ok(await exists(c.client, 'nodes', 'invalid-owner-node'), 'not deleted: the reference is invalid, not dangling');
});
