// Phase 3: `watchers` concurrent watches of the namespace's pods from the current
// resourceVersion, spread over the servers; then `events` pod creates paced at `rate`/s, each
// stamped with its send time (epoch ms, sub-ms precision) in an annotation and sent round-robin
// over the servers. Each watcher splits its stream into lines and, for every ADDED event carrying
// the stamp, records receipt time minus send time. Lines are scanned, not JSON-parsed, so the
// driver's CPU stays low.
import { setMaxListeners } from 'node:events';
import { Pool } from 'undici';
import { type ApiClient, podsPath } from './client.js';
import { latencySummary } from './stats.js';

export interface WatchResult { watchers: number; events: number; expected: number; delivered: number; writeErrors: number; watchersComplete: number; p50Ms: number; p99Ms: number; maxMs: number; setupMs: number }

const stampKey = 'bench.kubets.io/sent';
const marker = `"${stampKey}":"`;
const epochNow = () => performance.timeOrigin + performance.now();

export async function watchDelivery(api: ApiClient, watchers: number, events: number, rate: number, settleMs: number): Promise<WatchResult> {
  const rv = (await api.getJson(`${podsPath}?limit=1`, 0)).json.metadata.resourceVersion as string;
  const pools = api.urls.map((url) => new Pool(url, { connections: Math.ceil(watchers / api.urls.length) + 8, pipelining: 1, headersTimeout: 60_000, bodyTimeout: 0, keepAliveTimeout: 60_000 }));
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  const lat: number[] = [];
  const perWatcher = new Array<number>(watchers).fill(0);
  const t0 = performance.now();

  const streams: Promise<void>[] = [];
  const opened = await Promise.all(Array.from({ length: watchers }, async (_, w) => {
    const r = await pools[w % pools.length]!.request({
      path: `${podsPath}?watch=true&resourceVersion=${rv}&timeoutSeconds=900`,
      method: 'GET',
      signal: abort.signal,
      headers: { accept: 'application/json' },
    });
    if (r.statusCode !== 200) throw new Error(`watch ${w}: HTTP ${r.statusCode} ${await r.body.text()}`);
    r.body.setEncoding('utf8');
    streams.push((async () => {
      let buf = '';
      try {
        for await (const chunk of r.body as AsyncIterable<string>) {
          const now = epochNow();
          buf += chunk;
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            const at = line.indexOf(marker);
            if (at < 0 || !line.includes('"type":"ADDED"')) continue;
            const start = at + marker.length;
            const sent = Number(line.slice(start, line.indexOf('"', start)));
            lat.push(now - sent);
            perWatcher[w]!++;
          }
        }
      } catch {
        // aborted at the end
      }
    })());
    return true;
  }));
  const setupMs = Math.round(performance.now() - t0);
  void opened;

  // Writes, paced.
  let writeErrors = 0;
  const writes: Promise<void>[] = [];
  const wStart = performance.now();
  for (let i = 0; i < events; i++) {
    const due = wStart + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    writes.push(api.createPod(`bench-watch-${i}`, i, { [stampKey]: epochNow().toFixed(3) }).then(
      (ok) => { if (!ok) writeErrors++; },
      () => { writeErrors++; },
    ));
  }
  await Promise.all(writes);
  const expected = (events - writeErrors) * watchers;
  const deadline = performance.now() + settleMs;
  while (lat.length < expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  abort.abort();
  await Promise.allSettled(streams);
  await Promise.all(pools.map((p) => p.destroy()));
  const s = latencySummary(lat);
  const watchersComplete = perWatcher.filter((n) => n === events - writeErrors).length;
  return { watchers, events, expected, delivered: lat.length, writeErrors, watchersComplete, ...s, setupMs };
}
