// Phase 3: `watchers` concurrent watches of the namespace's pods from the current
// resourceVersion, spread over the servers; then `events` pod creates paced at `rate`/s, each
// stamped with its send time (epoch ms, sub-ms precision) in an annotation and sent round-robin
// over the servers. Each watcher splits its stream into lines and, for every ADDED event carrying
// the stamp, records receipt time minus send time. Lines are scanned, not JSON-parsed, and the
// watches are plain sockets, so the driver's CPU stays low.
import { connect, type Socket } from 'node:net';
import { type ApiClient, podsPath } from './client.js';
import { latencySummary } from '@kubets/testing';

export interface WatchResult { watchers: number; events: number; expected: number; delivered: number; writeErrors: number; watchersComplete: number; p50Ms: number; p99Ms: number; maxMs: number; setupMs: number }

const stampKey = 'bench.kubets.io/sent';
const marker = `"${stampKey}":"`;
const epochNow = () => performance.timeOrigin + performance.now();

/**
 * One watch on a plain socket: the request written by hand, the chunked reply scanned as it
 * arrives. Each event is one line in one HTTP chunk, so chunk-size lines are just lines without
 * the stamp. A lean reader keeps the driver's own CPU out of the delays it measures (undici's
 * stream machinery, times 1,000 watchers, was a visible share of them).
 */
export function openWatch(base: string, path: string, onStamp: (sentMs: number, now: number) => void): Promise<Socket> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) });
    socket.setNoDelay(true);
    socket.setEncoding('utf8');
    let head = true;
    let buf = '';
    socket.once('error', reject);
    socket.on('connect', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nAccept: application/json\r\n\r\n`));
    socket.on('data', (chunk: string) => {
      const now = epochNow();
      buf += chunk;
      if (head) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const status = buf.slice(0, buf.indexOf('\r\n'));
        if (!/^HTTP\/1\.1 200 /.test(status)) {
          socket.destroy();
          reject(new Error(`watch answered ${status}: ${buf.slice(end + 4, end + 400)}`));
          return;
        }
        head = false;
        buf = buf.slice(end + 4);
        socket.off('error', reject);
        socket.on('error', () => {});
        resolve(socket);
      }
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const at = line.indexOf(marker);
        if (at < 0 || !line.includes('"type":"ADDED"')) continue;
        const start = at + marker.length;
        onStamp(Number(line.slice(start, line.indexOf('"', start))), now);
      }
    });
  });
}

export async function watchDelivery(api: ApiClient, watchers: number, events: number, rate: number, settleMs: number): Promise<WatchResult> {
  const rv = (await api.getJson(`${podsPath}?limit=1`, 0)).json.metadata.resourceVersion as string;
  const lat: number[] = [];
  const perWatcher = new Array<number>(watchers).fill(0);
  const t0 = performance.now();
  // Opened in batches, so that 1,000 connects do not all land on the servers at once.
  const sockets: Socket[] = [];
  for (let first = 0; first < watchers; first += 100) {
    const batch = Array.from({ length: Math.min(100, watchers - first) }, (_, k) => first + k);
    sockets.push(...(await Promise.all(batch.map((w) => openWatch(api.urls[w % api.urls.length]!, `${podsPath}?watch=true&resourceVersion=${rv}&timeoutSeconds=900`, (sent, now) => {
      lat.push(now - sent);
      perWatcher[w]!++;
    })))));
  }
  const setupMs = Math.round(performance.now() - t0);

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
  for (const socket of sockets) socket.destroy();
  const s = latencySummary(lat);
  const watchersComplete = perWatcher.filter((n) => n === events - writeErrors).length;
  return { watchers, events, expected, delivered: lat.length, writeErrors, watchersComplete, ...s, setupMs };
}
