import t from 'tap';
import fc from 'fast-check';
import type { Pod } from '@kubets/api';
import { isResourceExpired, KubeClient, LineDecoder, ResourceExpiredError, TransportError, WatchDecodeError, type WatchStreamEvent } from '../src/index.js';
import { eventually, FakeApiServer } from '@kubets/testing';

type T = { teardown(fn: () => Promise<void> | void): void };

async function setup(t: T, opts: ConstructorParameters<typeof FakeApiServer>[0] = {}) {
  const f = await FakeApiServer.start(opts);
  const c = new KubeClient({ servers: [f.url] });
  t.teardown(async () => {
    await c.close();
    await f.close();
  });
  return { f, c };
}

t.test('line framing: any cut of the byte stream gives back the same lines', async (t) => {
  const events = fc.array(
    fc.record({ type: fc.constantFrom('ADDED', 'MODIFIED', 'DELETED'), object: fc.record({ name: fc.string({ unit: 'grapheme' }), n: fc.integer() }) }),
    { minLength: 1, maxLength: 20 },
  );
  fc.assert(
    fc.property(events, fc.array(fc.nat(), { maxLength: 30 }), (evs, rawCuts) => {
      const lines = evs.map((e) => JSON.stringify(e));
      const bytes = Buffer.from(lines.map((l) => `${l}\n`).join(''));
      const cuts = [...new Set(rawCuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
      const d = new LineDecoder();
      const out: string[] = [];
      let at = 0;
      for (const c of [...cuts, bytes.length]) {
        out.push(...d.push(bytes.subarray(at, c)));
        at = c;
      }
      out.push(...d.end());
      return JSON.stringify(out) === JSON.stringify(lines);
    }),
    { numRuns: 300 },
  );
  const d = new LineDecoder();
  t.same(d.push('{"a":1}\n\n{"b"'), ['{"a":1}'], 'blank lines dropped, partial kept');
  t.same(d.push(':2}\n{"c":3}\n{"d"'), ['{"b":2}', '{"c":3}'], 'several lines in one chunk');
  t.same(d.end(), ['{"d"'], 'a last line without newline is handed out at the end');
  const euro = Buffer.from('{"x":"€"}\n');
  const d2 = new LineDecoder();
  t.same([...d2.push(euro.subarray(0, 7)), ...d2.push(euro.subarray(7))], ['{"x":"€"}'], 'a character cut in two');
});

t.test('a watch: initial ADDED events, then changes in order, over split chunks', async (t) => {
  const { f, c } = await setup(t, { splitWatchLines: true });
  f.put('pods', { metadata: { name: 'a', namespace: 'default', labels: { app: 'web', note: 'grüße-€' } } });
  f.put('pods', { metadata: { name: 'other', namespace: 'default', labels: { app: 'db' } } });
  const w = await c.watch<Pod>('pods', 'default', { labelSelector: { app: 'web' }, timeoutSeconds: 60 });
  const req = f.requests.at(-1)!;
  t.equal(req.query.get('watch'), 'true');
  t.equal(req.query.get('labelSelector'), 'app=web');
  t.equal(req.query.get('timeoutSeconds'), '60');
  t.equal(req.query.get('resourceVersion'), null, 'no resourceVersion: start with the current state');
  f.put('pods', { metadata: { name: 'b', namespace: 'default', labels: { app: 'web' } } });
  f.put('pods', { metadata: { name: 'a', namespace: 'default', labels: { app: 'web', note: '😀' } } });
  f.remove('pods', 'default', 'b');
  const seen: WatchStreamEvent<Pod>[] = [];
  for await (const ev of w) {
    seen.push(ev);
    if (seen.length === 4) w.stop();
  }
  t.same(seen.map((e) => `${e.type} ${e.object.metadata?.name}`), ['ADDED a', 'ADDED b', 'MODIFIED a', 'DELETED b']);
  t.equal(seen[0]!.object.metadata?.labels?.note, 'grüße-€');
  t.equal(seen[2]!.object.metadata?.labels?.note, '😀');
  t.ok(w.isStopped);
  await eventually(() => f.watchCount === 0, 'the server sees the watch closed');
});

t.test('from a resourceVersion: only later changes; bookmarks on request', async (t) => {
  const { f, c } = await setup(t);
  const a = f.put('pods', { metadata: { name: 'a', namespace: 'ns1' } });
  f.put('pods', { metadata: { name: 'b', namespace: 'ns1' } });
  const w = await c.watch<Pod>('pods', 'ns1', { resourceVersion: a.metadata.resourceVersion!, allowWatchBookmarks: true });
  t.equal(f.requests.at(-1)!.query.get('allowWatchBookmarks'), 'true');
  t.equal(f.requests.at(-1)!.query.get('resourceVersion'), a.metadata.resourceVersion);
  const it = w[Symbol.asyncIterator]();
  const first = await it.next();
  t.equal(first.value?.type, 'ADDED');
  t.equal(first.value?.object.metadata?.name, 'b');
  f.bookmark();
  const bm = await it.next();
  t.equal(bm.value?.type, 'BOOKMARK');
  t.equal(bm.value?.object.metadata?.resourceVersion, String(f.rev));
  w.stop();
  t.same(await it.next(), { done: true, value: undefined }, 'stop() ends the iteration without an error');
});

t.test('several events in one chunk; the server ending the stream ends the watch cleanly', async (t) => {
  const { f, c } = await setup(t);
  f.intercept = (req, res) => {
    if (req.query.get('watch') !== 'true') return false;
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    const ev = (n: number) => JSON.stringify({ type: 'ADDED', object: { metadata: { name: `p${n}`, namespace: 'x', resourceVersion: String(n) } } });
    res.write(`${ev(1)}\n${ev(2)}\n${ev(3)}\n${ev(4).slice(0, 10)}`);
    setTimeout(() => res.end(`${ev(4).slice(10)}\n`), 5);
    return true;
  };
  const w = await c.watch<Pod>('pods', 'x');
  const names: string[] = [];
  for await (const ev of w) names.push(ev.object.metadata!.name!);
  t.same(names, ['p1', 'p2', 'p3', 'p4']);
});

t.test('410 Expired: as an ERROR event after compaction, or as the HTTP answer', async (t) => {
  const { f, c } = await setup(t);
  const a = f.put('pods', { metadata: { name: 'a', namespace: 'x' } });
  f.put('pods', { metadata: { name: 'a', namespace: 'x', labels: { v: '2' } } });
  f.compact();
  const w = await c.watch<Pod>('pods', 'x', { resourceVersion: a.metadata.resourceVersion! });
  const err = await (async () => {
    for await (const _ of w) {
      // no events expected
    }
  })().catch((e: unknown) => e);
  t.ok(err instanceof ResourceExpiredError, 'a typed error');
  t.ok(isResourceExpired(err));
  t.equal((err as ResourceExpiredError).code, 410);
  t.equal((err as ResourceExpiredError).reason, 'Expired');
  t.match((err as Error).message, /too old resource version/);

  f.intercept = (req, res) => {
    if (req.query.get('watch') !== 'true') return false;
    res.writeHead(410, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'gone', reason: 'Gone', code: 410 }));
    return true;
  };
  const refused = await c.watch('pods', 'x', { resourceVersion: '1' }).catch((e: unknown) => e);
  t.ok(refused instanceof ResourceExpiredError);
  t.equal((refused as ResourceExpiredError).reason, 'Gone');
});

t.test('other ERROR events surface as their ApiError', async (t) => {
  const { f, c } = await setup(t);
  f.intercept = (req, res) => {
    if (req.query.get('watch') !== 'true') return false;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'internal error', reason: 'InternalError', code: 500 } })}\n`);
    return true;
  };
  const w = await c.watch('pods', 'x');
  const err = await (async () => {
    for await (const _ of w) {
      // none
    }
  })().catch((e: unknown) => e);
  t.equal((err as { code?: number }).code, 500);
  t.notOk(isResourceExpired(err));
});

t.test('garbage and broken connections end the watch with an error', async (t) => {
  const { f, c } = await setup(t);
  f.intercept = (req, res) => {
    if (req.query.get('watch') !== 'true') return false;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('this is not json\n');
    return true;
  };
  const w = await c.watch('pods', 'x');
  const err = await (async () => {
    for await (const _ of w) {
      // none
    }
  })().catch((e: unknown) => e);
  t.ok(err instanceof WatchDecodeError);

  f.intercept = (req, res) => {
    if (req.query.get('watch') !== 'true') return false;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(`${JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'p', namespace: 'x' } } })}\n`);
    setTimeout(() => res.socket?.destroy(), 5);
    return true;
  };
  const w2 = await c.watch<Pod>('pods', 'x');
  const got: string[] = [];
  const err2 = await (async () => {
    for await (const ev of w2) got.push(ev.object.metadata!.name!);
  })().catch((e: unknown) => e);
  t.same(got, ['p'], 'events before the break are delivered');
  t.ok(err2 instanceof TransportError, 'then a TransportError');
});

t.test('a watch stops when its signal aborts, and when the consumer breaks out', async (t) => {
  const { f, c } = await setup(t);
  f.put('pods', { metadata: { name: 'a', namespace: 'x' } });
  const ac = new AbortController();
  const w = await c.watch<Pod>('pods', 'x', { signal: ac.signal });
  await eventually(() => f.watchCount === 1, 'watch registered');
  const seen: string[] = [];
  for await (const ev of w) {
    seen.push(ev.object.metadata!.name!);
    ac.abort();
  }
  t.same(seen, ['a']);
  await eventually(() => f.watchCount === 0, 'closed on abort');

  const w2 = await c.watch<Pod>('pods', 'x');
  for await (const _ of w2) break;
  t.ok(w2.isStopped, 'breaking out stops the watch');
  await eventually(() => f.watchCount === 0, 'closed after break');
  t.throws(() => w2[Symbol.asyncIterator](), /only once/);
});
