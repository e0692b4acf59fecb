import t from 'tap';
import type { Pod } from '@kubets/api';
import { FakeClock, Informer, KubeClient, namespaceIndex, SharedInformerFactory, Store } from '../src/index.js';
import { eventually, FakeApiServer, sendStatus } from '@kubets/testing';
import { internalError, serviceUnavailable } from '@kubets/api';

type T = { teardown(fn: () => Promise<void> | void): void };

async function setup(t: T) {
  const f = await FakeApiServer.start();
  const c = new KubeClient({ servers: [f.url] });
  t.teardown(async () => {
    await c.close();
    await f.close();
  });
  return { f, c };
}

const podIn = (ns: string, name: string, labels: Record<string, string> = {}, nodeName?: string) => ({
  metadata: { name, namespace: ns, labels },
  spec: { containers: [{ name: 'c', image: 'i' }], ...(nodeName !== undefined ? { nodeName } : {}) },
});

/** Records handler calls as short strings. */
function recorder() {
  const log: string[] = [];
  return {
    log,
    handler: {
      onAdd: (o: Pod, initial: boolean) => log.push(`add ${o.metadata?.name}${initial ? ' (initial)' : ''}`),
      onUpdate: (old: Pod, cur: Pod) => log.push(old === cur ? `resync ${cur.metadata?.name}` : `update ${cur.metadata?.name} ${old.metadata?.resourceVersion}->${cur.metadata?.resourceVersion}`),
      onDelete: (o: Pod, unknown: boolean) => log.push(`delete ${o.metadata?.name}${unknown ? ' (final state unknown)' : ''}`),
    },
  };
}

const byNode = (p: Pod) => (p.spec?.nodeName ? [p.spec.nodeName] : []);

t.test('store: keys, indexes, replace as a diff', async (t) => {
  const s = new Store<Pod>({ node: byNode });
  s.upsert(podIn('a', 'p1', {}, 'n1') as Pod);
  s.upsert(podIn('a', 'p2', {}, 'n1') as Pod);
  s.upsert({ ...(podIn('b', 'p1', {}, 'n2') as Pod) });
  t.same(s.keys().sort(), ['a/p1', 'a/p2', 'b/p1']);
  t.same(s.byIndex('node', 'n1').map((p) => p.metadata?.name).sort(), ['p1', 'p2']);
  t.same(s.byIndex(namespaceIndex, 'b').map((p) => p.metadata?.name), ['p1']);
  s.upsert(podIn('a', 'p2', {}, 'n2') as Pod);
  t.same(s.indexKeys('node', 'n2').sort(), ['a/p2', 'b/p1'], 'a changed object moves between index values');
  t.same(s.indexKeys('node', 'n1'), ['a/p1']);
  s.delete('a/p1');
  t.same(s.indexValues('node'), ['n2'], 'empty index values disappear');
  t.throws(() => s.byIndex('nope', 'x'), /no index named "nope"/);
  t.throws(() => s.addIndexer('node', byNode), /exists already/);
  const r = s.replace([
    { ...(podIn('a', 'p2', {}, 'n2') as Pod), metadata: { name: 'p2', namespace: 'a', resourceVersion: '9' } },
    podIn('c', 'new') as Pod,
  ]);
  t.same(r.added.map((p) => p.metadata?.name), ['new']);
  t.same(r.updated.map(([, p]) => p.metadata?.name), ['p2']);
  t.same(r.deleted.map((p) => `${p.metadata?.namespace}/${p.metadata?.name}`), ['b/p1']);
  s.addIndexer('label', (p) => Object.values(p.metadata?.labels ?? {}));
  t.equal(s.indexValues('label').length, 0);
});

t.test('list in pages, then watch from its resourceVersion; handlers, cache and indexes follow', async (t) => {
  const { f, c } = await setup(t);
  for (let i = 0; i < 5; i++) f.put('pods', podIn(i < 3 ? 'a' : 'b', `p${i}`, { app: i % 2 === 0 ? 'web' : 'db' }, `n${i % 2}`));
  f.put('pods', podIn('c', 'unmatched', { app: 'other' }));
  const inf = new Informer<Pod>(c, 'pods', { pageSize: 2, labelSelector: 'app in (web,db)', indexers: { node: byNode } });
  const rec = recorder();
  inf.addEventHandler(rec.handler);
  inf.start();
  t.equal(await inf.waitForSync(), true);
  t.ok(inf.hasSynced());
  const lists = f.requests.filter((r) => r.method === 'GET' && r.query.get('watch') !== 'true');
  t.same(lists.map((r) => r.query.get('limit')), ['2', '2', '2'], 'three pages of two');
  t.ok(lists.every((r) => r.query.get('labelSelector') === 'app in (web,db)'));
  t.same(rec.log.sort(), ['add p0 (initial)', 'add p1 (initial)', 'add p2 (initial)', 'add p3 (initial)', 'add p4 (initial)']);
  t.equal(inf.list().length, 5);
  t.same(inf.list('a').map((p) => p.metadata?.name).sort(), ['p0', 'p1', 'p2']);
  t.equal(inf.get('b', 'p3')?.kind, 'Pod', 'listed items get their kind back');
  t.same(inf.byIndex('node', 'n1').map((p) => p.metadata?.name).sort(), ['p1', 'p3']);

  await eventually(() => f.watchCount === 1, 'the watch is open');
  const watchReq = f.requests.find((r) => r.query.get('watch') === 'true')!;
  const listRV = inf.lastSyncResourceVersion();
  t.equal(watchReq.query.get('resourceVersion'), listRV, "the watch starts at the list's resourceVersion");
  t.equal(watchReq.query.get('allowWatchBookmarks'), 'true');
  t.ok(Number(watchReq.query.get('timeoutSeconds')) >= 300);

  rec.log.length = 0;
  f.put('pods', podIn('a', 'p5', { app: 'web' }, 'n1'));
  const p0 = f.stored('pods', 'a', 'p0')!;
  f.put('pods', { ...p0, spec: { ...(p0.spec as object), nodeName: 'n1' } });
  f.remove('pods', 'b', 'p4');
  f.put('pods', podIn('c', 'still-unmatched', { app: 'other' }));
  await eventually(() => rec.log.length === 3, 'three changes delivered');
  t.equal(rec.log[0], 'add p5');
  t.match(rec.log[1], /^update p0 \d+->\d+$/);
  t.equal(rec.log[2], 'delete p4');
  t.equal(inf.get('b', 'p4'), undefined);
  t.same(inf.byIndex('node', 'n1').map((p) => p.metadata?.name).sort(), ['p0', 'p1', 'p3', 'p5'], 'the index follows the changes');
  t.equal(inf.lastSyncResourceVersion(), String(f.rev - 1), 'the last event seen (the unmatched write is not)');

  // A handler added now first hears of everything in the cache.
  const late = recorder();
  inf.addEventHandler(late.handler);
  t.equal(late.log.length, 5);
  t.ok(late.log.every((l) => l.endsWith('(initial)')));

  await inf.stop();
  await eventually(() => f.watchCount === 0, 'stop closes the watch');
});

t.test('a watch that ends is resumed from the last resourceVersion seen, bookmarks included', async (t) => {
  const { f, c } = await setup(t);
  f.put('pods', podIn('a', 'p0'));
  const inf = new Informer<Pod>(c, 'pods', { namespace: 'a' });
  const rec = recorder();
  inf.addEventHandler(rec.handler);
  inf.start();
  await inf.waitForSync();
  await eventually(() => f.watchCount === 1, 'watching');
  f.put('pods', podIn('a', 'p1'));
  await eventually(() => rec.log.includes('add p1'), 'p1 seen');
  const afterP1 = String(f.rev);
  f.put('pods', podIn('z', 'elsewhere')); // moves the revision, invisible to a watch on namespace a
  f.bookmark();
  await eventually(() => inf.lastSyncResourceVersion() === String(f.rev), 'the bookmark moves the resourceVersion');
  t.not(inf.lastSyncResourceVersion(), afterP1);
  const before = f.requests.length;
  f.endWatches();
  await eventually(() => f.requests.length > before && f.watchCount === 1, 'watching again');
  const rewatch = f.requests.slice(before).find((r) => r.query.get('watch') === 'true')!;
  t.equal(rewatch.query.get('resourceVersion'), String(f.rev), 'from the bookmark, not from the list');
  t.equal(f.requests.slice(before).filter((r) => r.query.get('watch') !== 'true').length, 0, 'no new list');
  f.put('pods', podIn('a', 'p2'));
  await eventually(() => rec.log.includes('add p2'), 'changes flow again');
  t.same(rec.log, ['add p0 (initial)', 'add p1', 'add p2'], 'nothing delivered twice');
  await inf.stop();
});

t.test('410 after missed changes: re-list, and deliver the difference (deletes with their last known state)', async (t) => {
  const { f, c } = await setup(t);
  const clock = new FakeClock();
  f.put('pods', podIn('a', 'keep'));
  f.put('pods', podIn('a', 'change', { v: '1' }));
  f.put('pods', podIn('a', 'vanish', { last: 'known' }));
  const errors: string[] = [];
  const inf = new Informer<Pod>(c, 'pods', { clock, backoff: { random: () => 0 }, onError: (e, ctx) => errors.push(`${ctx}: ${(e as Error).message}`) });
  const rec = recorder();
  const gone: Pod[] = [];
  inf.addEventHandler(rec.handler);
  inf.addEventHandler({ onDelete: (o) => gone.push(o) });
  inf.start();
  await inf.waitForSync();
  await eventually(() => f.watchCount === 1, 'watching');
  rec.log.length = 0;

  // The API server becomes unreachable for watches; meanwhile the world changes and history is compacted.
  f.intercept = (req, res) => {
    if (req.query.get('watch') !== 'true') return false;
    sendStatus(res, serviceUnavailable('apiserver is shutting down'));
    return true;
  };
  f.endWatches();
  await clock.whenPending(1); // a watch that ended at once, quiet: the informer backs off on its clock
  t.equal(clock.nextDue()! - clock.now(), 800, 'first backoff step: 800 ms (no jitter with random 0)');
  clock.fireNext();
  await clock.whenPending(1); // the watch was refused: backs off again
  t.equal(clock.nextDue()! - clock.now(), 1600, 'second step: twice as long');
  const c1 = f.stored('pods', 'a', 'change')!;
  f.put('pods', { ...c1, metadata: { ...c1.metadata, labels: { v: '2' } } });
  f.remove('pods', 'a', 'vanish');
  f.put('pods', podIn('a', 'born'));
  f.compact();
  f.intercept = undefined;
  clock.fireNext();

  // Watch from the old version -> 410 -> list -> the difference.
  await eventually(() => rec.log.length === 3, 'the difference delivered');
  t.same(rec.log.sort(), ['add born', 'delete vanish (final state unknown)', `update change ${c1.metadata.resourceVersion}->${f.stored('pods', 'a', 'change')!.metadata.resourceVersion}`]);
  t.equal(gone[0]?.metadata?.labels?.last, 'known', 'the delete carries the last state the cache had');
  t.same(inf.list().map((p) => p.metadata?.name).sort(), ['born', 'change', 'keep']);
  t.ok(errors.some((e) => /watch pods: apiserver is shutting down/.test(e)), 'the failed watch was reported');
  const lists = f.requests.filter((r) => r.method === 'GET' && r.query.get('watch') !== 'true');
  t.equal(lists.length, 2, 'one re-list');
  await eventually(() => f.watchCount === 1, 'watching again');
  t.equal(f.requests.filter((r) => r.query.get('watch') === 'true').at(-1)!.query.get('resourceVersion'), String(f.rev), 'from the new list');
  await inf.stop();
});

t.test('an ERROR 410 on a live watch also re-lists (missed deletions surface as deletes)', async (t) => {
  const { f, c } = await setup(t);
  f.put('pods', podIn('a', 'x'));
  f.put('pods', podIn('a', 'y'));
  const inf = new Informer<Pod>(c, 'pods');
  const rec = recorder();
  inf.addEventHandler(rec.handler);
  inf.start();
  await inf.waitForSync();
  await eventually(() => f.watchCount === 1, 'watching');
  rec.log.length = 0;
  f.removeSilently('pods', 'a', 'y');
  f.expireWatches();
  await eventually(() => rec.log.length === 1, 'the missed delete');
  t.same(rec.log, ['delete y (final state unknown)']);
  await inf.stop();
});

t.test('a failing list is retried after a capped, growing backoff', async (t) => {
  const { f, c } = await setup(t);
  const clock = new FakeClock();
  let failures = 4;
  f.intercept = (req, res) => {
    if (req.query.get('watch') === 'true' || failures === 0) return false;
    failures--;
    sendStatus(res, internalError('etcd: request timed out'));
    return true;
  };
  f.put('pods', podIn('a', 'x'));
  const inf = new Informer<Pod>(c, 'pods', { clock, backoff: { random: () => 0.5, initialMs: 100, maxMs: 500 } });
  inf.start();
  const waits: number[] = [];
  for (let i = 0; i < 4; i++) {
    await clock.whenPending(1);
    waits.push(clock.nextDue()! - clock.now());
    clock.fireNext();
  }
  t.same(waits, [150, 300, 600, 750], 'initial 100 doubling, capped at 500, plus half of it as jitter');
  t.equal(await inf.waitForSync(), true);
  t.same(inf.list().map((p) => p.metadata?.name), ['x']);
  await inf.stop();
});

t.test('resync re-delivers every cached object as an update, on the clock', async (t) => {
  const { f, c } = await setup(t);
  const clock = new FakeClock();
  f.put('pods', podIn('a', 'x'));
  f.put('pods', podIn('a', 'y'));
  const inf = new Informer<Pod>(c, 'pods', { clock, resyncPeriodMs: 30_000 });
  const rec = recorder();
  inf.addEventHandler(rec.handler);
  inf.start();
  await inf.waitForSync();
  rec.log.length = 0;
  clock.advance(29_999);
  t.same(rec.log, []);
  clock.advance(1);
  t.same(rec.log.sort(), ['resync x', 'resync y']);
  clock.advance(30_000);
  t.equal(rec.log.length, 4, 'and again each period');
  await inf.stop();
  t.equal(clock.pending(), 0, 'stop cancels the resync timer');
});

t.test('a throwing handler does not starve the others; stop before sync', async (t) => {
  const { f, c } = await setup(t);
  f.put('pods', podIn('a', 'x'));
  const reported: string[] = [];
  const inf = new Informer<Pod>(c, 'pods', { onError: (e, ctx) => reported.push(`${ctx}: ${(e as Error).message}`) });
  const rec = recorder();
  inf.addEventHandler({ onAdd: () => { throw new Error('boom'); } });
  inf.addEventHandler(rec.handler);
  inf.start();
  await inf.waitForSync();
  t.same(rec.log, ['add x (initial)']);
  t.same(reported, ['event handler onAdd: boom']);
  await inf.stop();

  f.intercept = () => true; // lists hang
  const never = new Informer<Pod>(c, 'pods');
  never.start();
  const synced = never.waitForSync();
  await never.stop();
  t.equal(await synced, false, 'waitForSync resolves false when stopped first');
});

t.test('shared informers: one list and one watch for every user of a resource and selection', async (t) => {
  const { f, c } = await setup(t);
  f.put('pods', podIn('a', 'x', { app: 'web' }));
  f.put('services', { metadata: { name: 's', namespace: 'a' } });
  const factory = new SharedInformerFactory(c);
  const pods1 = factory.informerFor<Pod>('pods');
  const pods2 = factory.informerFor<Pod>('po');
  const web = factory.informerFor<Pod>('pods', { labelSelector: { app: 'web' } });
  const svc = factory.informerFor('services');
  t.equal(pods1, pods2, 'same resource, same informer');
  t.not(pods1, web, 'another selection, another informer');
  factory.start();
  t.equal(await factory.waitForCacheSync(), true);
  t.equal(svc.list().length, 1);
  await eventually(() => f.watchCount === 3, 'three watches, not four');
  const later = factory.informerFor('nodes');
  t.ok(later.isStarted, 'an informer asked for after start() starts at once');
  await factory.waitForCacheSync();
  await factory.shutdown();
  await eventually(() => f.watchCount === 0, 'all closed');
});
