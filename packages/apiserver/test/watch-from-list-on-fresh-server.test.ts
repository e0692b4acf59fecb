// A watch from the resourceVersion of a paginated LIST (what kubectl get -w and every client-go
// reflector do) on an API server that has just started, while another server writes: upstream
// starts every resource's watch cache with the server, so the watch gets the events after the
// list. Ours used to build a cache on its first watch, from etcd's revision of that moment, and
// answered 410 Expired whenever anything was written between the list and the watch.
import t from 'tap';
import { startApiServerProcess, startEtcdCluster } from '@kubets/testing';
import { call, collectWatch } from './support/http.js';

const etcd = await startEtcdCluster({ kind: 'real' });
const writer = await startApiServerProcess(etcd.clientUrls);
t.teardown(async () => {
  await writer.stop();
  await etcd.stop();
});

/** Writes a ConfigMap through `url` every 20 ms (50/s) until stopped: etcd's revision keeps moving. */
function keepWriting(url: string): () => Promise<void> {
  let running = true;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      await call(url, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: `churn-${i}` }, data: { i: String(i) } });
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

const collections = ['/api/v1/namespaces/default/configmaps', '/api/v1/namespaces/default/pods', '/apis/apps/v1/namespaces/default/deployments'];

/**
 * LIST with a limit (served from etcd), then WATCH from its resourceVersion: the events it saw
 * until an ERROR, an ADDED (the writer's ConfigMaps: however slow the machine, one arrives), or
 * the server ending it after `seconds`.
 */
async function listThenWatch(url: string, path: string, seconds: number): Promise<any[]> {
  const list = await call(url, 'GET', `${path}?limit=500`);
  if (list.status !== 200) throw new Error(`LIST ${path}: ${list.status} ${list.text}`);
  const rv = list.body.metadata.resourceVersion as string;
  const until = (events: any[]) => events.some((e) => e.type === 'ERROR' || e.type === 'ADDED');
  return collectWatch(`${url}${path}?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=${seconds}`, until, (seconds + 10) * 1000);
}

t.test('a watch from a list on a fresh API server gets events, not 410, while etcd moves on', async (t) => {
  const stopWriting = keepWriting(writer.url);
  t.teardown(stopWriting);
  for (let round = 0; round < 4; round++) {
    const fresh = await startApiServerProcess(etcd.clientUrls);
    try {
      const readyz = await call(fresh.url, 'GET', '/readyz?verbose');
      t.match(readyz.text, /\[\+\]poststarthook\/storage-readiness ok/, `server ${round}: ready only with its watch caches loaded`);
      // Nothing writes pods or deployments: a second shows there is no 410; the ConfigMaps' watch
      // waits for the first event written after the list.
      const results = await Promise.all(collections.map((path, i) => listThenWatch(fresh.url, path, i === 0 ? 30 : 1)));
      for (const [i, events] of results.entries()) {
        const errors = events.filter((e) => e.type === 'ERROR');
        t.same(errors, [], `server ${round}, ${collections[i]}: no ERROR event`);
      }
      const configmaps = results[0]!.filter((e) => e.type === 'ADDED');
      t.ok(configmaps.length > 0, `server ${round}: the ConfigMaps written after the list arrive (${configmaps.length})`);
    } finally {
      await fresh.stop();
    }
  }
});
