// Paginated consistent lists (`?limit=` without resourceVersion, what every client-go reflector
// and kubectl send) served from the watch cache, as kube-apiserver's ConsistentListFromCache does
// once the cache has caught up with etcd's revision: the first page comes from the cache, its
// continue token pins the cache's revision, and etcd serves the next pages at that revision.
import t from 'tap';
import fc from 'fast-check';
import { startApiServerProcess, startEtcdCluster } from '@kubets/testing';
import { call } from './support/http.js';
import { SortedKeys } from '../src/etcd3/sorted-keys.js';

t.test('the sorted key index keeps etcd order through adds and deletes', async (t) => {
  fc.assert(fc.property(fc.array(fc.tuple(fc.boolean(), fc.stringMatching(/^[a-c/]{0,4}$/)), { maxLength: 200 }), (ops) => {
    const keys = new SortedKeys();
    const model = new Set<string>();
    for (const [add, key] of ops) {
      if (add) {
        keys.add(key);
        model.add(key);
      } else {
        keys.delete(key);
        model.delete(key);
      }
    }
    const expected = [...model].sort();
    const actual = Array.from({ length: keys.size }, (_, i) => keys.at(i));
    return JSON.stringify(actual) === JSON.stringify(expected);
  }), { seed: 21 });
});

t.test('pages of a consistent list: the first from the cache, the rest from etcd at its revision', async (t) => {
  const etcd = await startEtcdCluster({ kind: 'kubets' });
  const api = await startApiServerProcess(etcd.clientUrls);
  t.teardown(async () => {
    await api.stop();
    await etcd.stop();
  });
  const A = api.url;
  const base = '/api/v1/namespaces/default/configmaps';
  for (let i = 0; i < 25; i++) {
    const r = await call(A, 'POST', base, { metadata: { name: `cm-${String(i).padStart(2, '0')}`, labels: { parity: i % 2 ? 'odd' : 'even' } } });
    t.equal(r.status, 201, r.text);
  }
  const cacheReads = async () => {
    const m = /apiserver_watch_cache_consistent_read_total\{resource="configmaps",success="true",fallback="false"\} (\d+)/.exec((await call(A, 'GET', '/metrics')).text);
    return m ? Number(m[1]) : 0;
  };
  const before = await cacheReads();
  const first = await call(A, 'GET', `${base}?limit=10`);
  t.equal(first.status, 200, first.text);
  t.equal(await cacheReads(), before + 1, 'the first page was served by the watch cache');
  t.same(first.body.items.map((i: any) => i.metadata.name), Array.from({ length: 10 }, (_, i) => `cm-${String(i).padStart(2, '0')}`), 'in key order');
  t.equal(first.body.metadata.remainingItemCount, 15);
  t.equal(first.text, JSON.stringify(first.body), 'the items the cache encoded once make the same bytes JSON.stringify would');
  const exact = await call(A, 'GET', `${base}?limit=10&resourceVersion=${first.body.metadata.resourceVersion}&resourceVersionMatch=Exact`);
  t.same(exact.body.items, first.body.items, 'the same items etcd gives at that revision');
  await call(A, 'POST', base, { metadata: { name: 'cm-00a' } });
  await call(A, 'DELETE', `${base}/cm-20`);
  const names: string[] = first.body.items.map((i: any) => i.metadata.name);
  let cont = first.body.metadata.continue;
  while (cont) {
    const page = await call(A, 'GET', `${base}?limit=10&continue=${encodeURIComponent(cont)}`);
    t.equal(page.status, 200, page.text);
    t.equal(page.body.metadata.resourceVersion, first.body.metadata.resourceVersion, 'every page at the first page\'s revision');
    names.push(...page.body.items.map((i: any) => i.metadata.name));
    cont = page.body.metadata.continue;
  }
  t.same(names, Array.from({ length: 25 }, (_, i) => `cm-${String(i).padStart(2, '0')}`), 'every object once, none written after the first page');
  const odd = await call(A, 'GET', `${base}?labelSelector=parity%3Dodd&limit=5`);
  t.same(odd.body.items.map((i: any) => i.metadata.name), ['cm-01', 'cm-03', 'cm-05', 'cm-07', 'cm-09'], 'a selector fills the page with matches');
  t.ok(odd.body.metadata.continue, 'and says there is more');
  t.equal(odd.body.metadata.remainingItemCount, undefined, 'without counting what a selector would leave out');
  const fresh = await call(A, 'GET', `${base}?limit=100`);
  t.ok(fresh.body.items.some((i: any) => i.metadata.name === 'cm-00a'), 'a new list sees the latest write');
  t.notOk(fresh.body.items.some((i: any) => i.metadata.name === 'cm-20'), 'and not the deleted object');
  t.notOk(fresh.body.metadata.continue, 'one page holds them all');
});
