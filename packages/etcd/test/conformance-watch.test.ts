// Conformance: the /v3/watch stream of etcd's JSON gateway. The same assertions run against a
// three-member real etcd 3.4 cluster and a three-member kubets-etcd cluster
// (ETCD_CONFORMANCE_KINDS). Every expectation below is what real etcd 3.4.23 answers; values
// that legitimately differ (ids, terms) are checked by shape, revisions relative to a
// revision read first.

import t from 'tap';
import { b64, eventually } from './support/etcd-client.js';
import { startCluster } from './support/cluster.js';
import { checkKindAvailable, conformanceKinds, startConformanceCluster } from './support/kinds.js';
import { type DuplexStream, watchStream } from './support/streams.js';
import {
  createOnce, currentRevision, deleteEvent, fields, headerShapeProblems, leaderIndex, ok, prefixEnd,
  putEvent, rev, uniquePrefix, WatchMux,
} from './support/watch-tools.js';

const put = async (url: string, key: string, value: string) => rev(await ok(url, '/v3/kv/put', { key: b64(key), value: b64(value) }));
const del = async (url: string, key: string) => rev(await ok(url, '/v3/kv/deleterange', { key: b64(key) }));

for (const kind of conformanceKinds()) {
  t.test(`${kind}: progress notifications with --experimental-watch-progress-notify-interval=1s`, async (t) => {
    // etcd 3.4's flag for the progress_notify interval (default 10 minutes); the clusters' own
    // flags come first, this one after them.
    checkKindAvailable(kind);
    const c = await startCluster({ kind, extraFlags: ['--experimental-watch-progress-notify-interval=1s'] });
    t.teardown(() => c.stop());
    const [m0] = c.clientUrls as [string];
    const s = watchStream(m0);
    t.teardown(() => s.close());
    const mux = new WatchMux(s);
    s.send({ create_request: { key: b64('/notify/a'), progress_notify: true } });
    await mux.next('0');
    s.send({ create_request: { key: b64('/notify/b') } });
    await mux.next('1');
    s.send({ create_request: { key: b64('/notify/c'), progress_notify: true, watch_id: 9 } });
    await mux.next('9');
    const r = await put(m0, '/notify/other', 'x');
    for (const id of ['0', '9']) {
      for (let n = 0; n < 2; n++) {
        // Real etcd may also send an extra one soon after a write; each has this shape.
        const note = await mux.next(id, 10_000);
        t.strictSame(fields(note), id === '0' ? ['header'] : ['header', 'watch_id'], `watch ${id}: notification ${n} has no events`);
        t.strictSame(headerShapeProblems(note.header), []);
        t.equal(note.header.revision, String(r), `watch ${id}: notification ${n} carries the current revision`);
      }
    }
    t.strictSame(mux.buffered('1'), [], 'a watch without progress_notify gets no notifications');
    const r2 = await put(m0, '/notify/a', '1');
    const { events } = await mux.eventsUntil('0', r2);
    t.strictSame(events, [putEvent('/notify/a', '1', r2, r2, 1)], 'events still arrive on a notified watch');
  });

  t.test(kind, async (t) => {
    const c = await startConformanceCluster(kind);
    t.teardown(() => c.stop());
    const [m0, m1, m2] = c.clientUrls as [string, string, string];

    /** Opens a watch stream that the subtest closes when it ends. */
    const open = (tt: { teardown(fn: () => unknown): void }, url: string, first?: unknown): { s: DuplexStream; mux: WatchMux } => {
      const s = watchStream(url, first);
      tt.teardown(() => s.close());
      return { s, mux: new WatchMux(s) };
    };
    /** Sends a create_request and returns its `created` response (routed by the id it expects). */
    const create = async (mux: WatchMux, id: string, req: Record<string, unknown>) => {
      mux.stream.send({ create_request: req });
      return mux.next(id);
    };

    t.test('create_request is answered with created, the current revision and the serving member', async (t) => {
      const p = uniquePrefix('created');
      const r0 = await currentRevision(m1);
      const self = await ok(m1, '/v3/kv/range', { key: b64(`${p}k`) });
      const { s } = open(t, m1, { create_request: { key: b64(`${p}k`) } });
      const created = await s.nextResult();
      t.equal(s.status(), 200, 'the stream answers 200');
      t.strictSame(fields(created), ['created', 'header'], 'the first watch of a stream has id 0, so watch_id is omitted');
      t.equal(created.created, true);
      t.strictSame(headerShapeProblems(created.header), [], 'header has cluster_id, member_id, revision, raft_term');
      t.equal(created.header.revision, String(r0), 'created carries the current revision');
      t.equal(created.header.member_id, self.header.member_id, 'the header names the member serving the stream');
      t.equal(created.header.cluster_id, self.header.cluster_id);
    });

    t.test('put and delete events: type omitted for PUT, DELETE with key and revision only', async (t) => {
      const p = uniquePrefix('events');
      const k = `${p}k`;
      const { mux } = open(t, m2);
      await create(mux, '0', { key: b64(k) });
      const r1 = await put(m0, k, 'v1');
      const r2 = await put(m1, k, 'v2');
      const r3 = await put(m0, k, '');
      const r4 = await del(m0, k);
      const want = [
        putEvent(k, 'v1', r1, r1, 1),
        putEvent(k, 'v2', r1, r2, 2),
        putEvent(k, '', r1, r3, 3), // an empty value is omitted
        deleteEvent(k, r4),
      ];
      for (const [i, r] of [r1, r2, r3, r4].entries()) {
        const resp = await mux.next('0');
        t.strictSame(fields(resp), ['events', 'header'], `response ${i}: header and events only (watch 0)`);
        t.strictSame(headerShapeProblems(resp.header), []);
        t.ok(Number(resp.header.revision) >= r, `response ${i}: header revision ${resp.header.revision} >= event revision ${r}`);
        t.strictSame(resp.events, [want[i]], `event ${i}`);
      }
    });

    t.test('prev_kv carries the previous key-value on PUT and DELETE', async (t) => {
      const p = uniquePrefix('prevkv');
      const k = `${p}k`;
      const { mux } = open(t, m0);
      await create(mux, '0', { key: b64(k), prev_kv: true });
      const r1 = await put(m1, k, 'a');
      const r2 = await put(m1, k, 'b');
      const r3 = await del(m2, k);
      const { events } = await mux.eventsUntil('0', r3);
      t.strictSame(events, [
        putEvent(k, 'a', r1, r1, 1),
        { ...putEvent(k, 'b', r1, r2, 2), prev_kv: putEvent(k, 'a', r1, r1, 1).kv },
        { ...deleteEvent(k, r3), prev_kv: putEvent(k, 'b', r1, r2, 2).kv },
      ], 'no prev_kv for a creation; the old kv for an update and a delete');
    });

    t.test('filters: NOPUT sees only deletes, NODELETE only puts', async (t) => {
      const p = uniquePrefix('filters');
      const k = `${p}k`;
      const { mux } = open(t, m1);
      await create(mux, '0', { key: b64(k), filters: ['NOPUT'] });
      const second = await create(mux, '1', { key: b64(k), filters: ['NODELETE'] });
      t.equal(second.watch_id, '1', 'the second watch of the stream gets id 1');
      const r1 = await put(m0, k, '1');
      const r2 = await del(m0, k);
      const r3 = await put(m2, k, '2');
      const r4 = await del(m2, k);
      const r5 = await put(m0, k, '3');
      t.strictSame((await mux.eventsUntil('0', r4)).events, [deleteEvent(k, r2), deleteEvent(k, r4)], 'NOPUT');
      t.strictSame((await mux.eventsUntil('1', r5)).events,
        [putEvent(k, '1', r1, r1, 1), putEvent(k, '2', r3, r3, 1), putEvent(k, '3', r5, r5, 1)], 'NODELETE');
    });

    t.test('range_end: a prefix, and "\\0" for every key from key on', async (t) => {
      const p = uniquePrefix('range');
      const { mux } = open(t, m2);
      await create(mux, '0', { key: b64(p), range_end: prefixEnd(p) });
      await create(mux, '1', { key: b64(`${p}m`), range_end: b64('\u0000') });
      const before = `${p.slice(0, -1)}.`; // sorts before the prefix
      const after = `${p.slice(0, -1)}0x`; // sorts after every key with the prefix
      const r1 = await put(m0, `${p}a`, '1');
      const r2 = await put(m0, before, '1');
      const r3 = await put(m1, `${p}z`, '1');
      const r4 = await put(m1, after, '1');
      const r5 = await put(m2, `${p}m`, '1');
      t.ok(r2 > r1, 'a write outside both ranges still takes a revision');
      t.strictSame((await mux.eventsUntil('0', r5)).events,
        [putEvent(`${p}a`, '1', r1, r1, 1), putEvent(`${p}z`, '1', r3, r3, 1), putEvent(`${p}m`, '1', r5, r5, 1)],
        'the prefix watch sees exactly the keys with the prefix');
      t.strictSame((await mux.eventsUntil('1', r5)).events,
        [putEvent(`${p}z`, '1', r3, r3, 1), putEvent(after, '1', r4, r4, 1), putEvent(`${p}m`, '1', r5, r5, 1)],
        'the "\\0" watch sees exactly the keys >= key');
    });

    t.test('start_revision in the past replays the history in order, then goes live', async (t) => {
      const p = uniquePrefix('replay');
      const [a, b, cc, d] = ['a', 'b', 'c', 'd'].map((x) => `${p}${x}`) as [string, string, string, string];
      const r1 = await put(m0, a, '1');
      const r2 = await put(m1, b, '1');
      const r3 = await put(m2, a, '2');
      const r4 = await del(m0, b);
      const txn = await ok(m1, '/v3/kv/txn', {
        success: [{ request_put: { key: b64(cc), value: b64('1') } }, { request_delete_range: { key: b64(a) } }],
      });
      const r5 = rev(txn);
      const r6 = await put(m2, b, '2');
      t.strictSame([r2, r3, r4, r5, r6], [r1 + 1, r1 + 2, r1 + 3, r1 + 4, r1 + 5], 'one revision per write');

      const { mux } = open(t, m0);
      const created = await create(mux, '0', { key: b64(p), range_end: prefixEnd(p), start_revision: String(r1) });
      t.equal(created.header.revision, String(r6), 'created carries the current revision, not the start');
      const { events } = await mux.eventsUntil('0', r6);
      t.strictSame(events, [
        putEvent(a, '1', r1, r1, 1),
        putEvent(b, '1', r2, r2, 1),
        putEvent(a, '2', r1, r3, 2),
        deleteEvent(b, r4),
        putEvent(cc, '1', r5, r5, 1),
        deleteEvent(a, r5),
        putEvent(b, '2', r6, r6, 1),
      ], 'every event since start_revision, in revision order, txn events in op order');

      const one = await create(mux, '1', { key: b64(a), start_revision: r3, prev_kv: true });
      t.equal(one.created, true);
      t.strictSame((await mux.eventsUntil('1', r5)).events, [
        { ...putEvent(a, '2', r1, r3, 2), prev_kv: putEvent(a, '1', r1, r1, 1).kv },
        { ...deleteEvent(a, r5), prev_kv: putEvent(a, '2', r1, r3, 2).kv },
      ], 'a single-key replay from the middle, with prev_kv');

      const r7 = await put(m1, d, '1');
      const live = await mux.next('0');
      t.strictSame(live.events, [putEvent(d, '1', r7, r7, 1)], 'after the replay the watch is live');
    });

    t.test('start_revision in the future: events from that revision on', async (t) => {
      const p = uniquePrefix('future');
      const k = `${p}k`;
      const r0 = await currentRevision(m2);
      const { mux } = open(t, m2);
      const created = await create(mux, '0', { key: b64(k), start_revision: r0 + 3 });
      t.equal(created.header.revision, String(r0), 'created at the current revision');
      const revs = [];
      for (let i = 1; i <= 4; i++) revs.push(await put(m0, k, String(i)));
      t.strictSame(revs, [r0 + 1, r0 + 2, r0 + 3, r0 + 4]);
      t.strictSame((await mux.eventsUntil('0', r0 + 4)).events,
        [putEvent(k, '3', r0 + 1, r0 + 3, 3), putEvent(k, '4', r0 + 1, r0 + 4, 4)], 'nothing before start_revision');
    });

    t.test('several watches on one stream: distinct ids, each gets its own events', async (t) => {
      const p = uniquePrefix('multi');
      const [a, b] = [`${p}a`, `${p}b`];
      const { mux } = open(t, m0);
      const w0 = await create(mux, '0', { key: b64(a) });
      const w1 = await create(mux, '1', { key: b64(b) });
      const w2 = await create(mux, '2', { key: b64(p), range_end: prefixEnd(p) });
      t.strictSame([w0.watch_id, w1.watch_id, w2.watch_id], [undefined, '1', '2'], 'ids 0, 1, 2 in creation order');
      t.ok(w0.created && w1.created && w2.created);
      const r1 = await put(m1, a, '1');
      const r2 = await put(m2, b, '1');
      t.strictSame((await mux.eventsUntil('0', r1)).events, [putEvent(a, '1', r1, r1, 1)], 'watch 0: key a');
      t.strictSame((await mux.eventsUntil('1', r2)).events, [putEvent(b, '1', r2, r2, 1)], 'watch 1: key b');
      t.strictSame((await mux.eventsUntil('2', r2)).events, [putEvent(a, '1', r1, r1, 1), putEvent(b, '1', r2, r2, 1)], 'watch 2: both');
      for (const id of ['0', '1', '2']) {
        for (const r of mux.buffered(id)) t.fail(`watch ${id} got an extra response: ${JSON.stringify(r)}`);
      }

      const chosen = await create(mux, '7', { key: b64(a), watch_id: 7 });
      t.strictSame([chosen.watch_id, chosen.created], ['7', true], 'a client-chosen watch_id is used');
      const auto = await create(mux, '3', { key: b64(a) });
      t.strictSame([auto.watch_id, auto.created], ['3', true], 'automatic ids go on from the last automatic one');
      mux.stream.send({ create_request: { key: b64(a), watch_id: 7 } });
      const dup = await mux.nextAny();
      t.strictSame(fields(dup), ['cancel_reason', 'canceled', 'created', 'header', 'watch_id']);
      t.strictSame([dup.watch_id, dup.created, dup.canceled, dup.cancel_reason],
        ['-1', true, true, 'mvcc: duplicate watch ID provided on the WatchStream'], 'a duplicate id is created and canceled at once');
      const r3 = await put(m0, a, '2');
      t.strictSame((await mux.eventsUntil('7', r3)).events, [putEvent(a, '2', r1, r3, 2)], 'the client-chosen watch works');
    });

    t.test('cancel_request: canceled response, no more events; an unknown id is ignored', async (t) => {
      const p = uniquePrefix('cancel');
      const k = `${p}k`;
      const { mux } = open(t, m1);
      await create(mux, '0', { key: b64(k) });
      await create(mux, '1', { key: b64(k) });
      const r0 = await currentRevision(m1);
      mux.stream.send({ cancel_request: { watch_id: 1 } });
      const canceled = await mux.next('1');
      t.strictSame(fields(canceled), ['canceled', 'header', 'watch_id']);
      t.strictSame([canceled.watch_id, canceled.canceled], ['1', true]);
      t.equal(canceled.header.revision, String(r0), 'the canceled response carries the current revision');
      const r1 = await put(m0, k, '1');
      const r2 = await put(m0, k, '2');
      t.strictSame((await mux.eventsUntil('0', r2)).events, [putEvent(k, '1', r1, r1, 1), putEvent(k, '2', r1, r2, 2)]);
      t.strictSame(mux.buffered('1'), [], 'the canceled watch gets no events');

      // Requests on a stream are handled in order: the progress answer comes after whatever
      // the cancel of an unknown id would produce. Real etcd answers nothing to it.
      mux.stream.send({ cancel_request: { watch_id: 42 } });
      mux.stream.send({ progress_request: {} });
      const progress = await mux.next('-1');
      t.equal(progress.watch_id, '-1');
      t.strictSame(mux.buffered('42'), [], 'canceling an unknown watch id is not answered');

      mux.stream.send({ cancel_request: { watch_id: 0 } });
      const c0 = await mux.next('0');
      t.strictSame(fields(c0), ['canceled', 'header'], 'watch 0 canceled: watch_id omitted');
      t.equal(c0.canceled, true);
      await create(mux, '2', { key: b64(k) });
      await put(m2, k, '3');
      const r4 = await put(m2, k, '4');
      await mux.eventsUntil('2', r4);
      t.strictSame(mux.buffered('0'), [], 'watch 0 gets no events after its cancel');
    });

    t.test('progress_request is answered with watch_id -1 and the current revision', async (t) => {
      const p = uniquePrefix('progress');
      const { mux } = open(t, m2);
      await create(mux, '0', { key: b64(`${p}k`) });
      const r0 = await put(m0, `${p}other`, '1');
      t.equal(await currentRevision(m2), r0);
      mux.stream.send({ progress_request: {} });
      const progress = await mux.next('-1');
      t.strictSame(fields(progress), ['header', 'watch_id']);
      t.equal(progress.watch_id, '-1');
      t.strictSame(headerShapeProblems(progress.header), []);
      t.equal(progress.header.revision, String(r0), 'the current revision of the serving member');

      const { s } = open(t, m0, { progress_request: {} });
      const alone = await s.nextResult();
      t.strictSame([fields(alone), alone.watch_id, alone.header.revision], [['header', 'watch_id'], '-1', String(r0)],
        'also answered on a stream without watches');
    });

    t.test('progress_notify is accepted (notifications come every 10 minutes by default)', async (t) => {
      const p = uniquePrefix('notify');
      const k = `${p}k`;
      const { mux } = open(t, m0);
      const created = await create(mux, '0', { key: b64(k), progress_notify: true });
      t.strictSame(fields(created), ['created', 'header']);
      const r1 = await put(m1, k, '1');
      t.strictSame((await mux.eventsUntil('0', r1)).events, [putEvent(k, '1', r1, r1, 1)]);
    });

    t.test('a start_revision below the compacted revision: created, then canceled with compact_revision', async (t) => {
      const p = uniquePrefix('compacted');
      const k = `${p}k`;
      const r1 = await put(m0, k, '1');
      const r2 = await put(m0, k, '2');
      const r3 = await put(m0, k, '3');
      await ok(m0, '/v3/kv/compaction', { revision: String(r2) });
      const { mux } = open(t, m1);
      const created = await create(mux, '0', { key: b64(k), start_revision: String(r1) });
      t.strictSame(fields(created), ['created', 'header']);
      t.equal(created.header.revision, String(r3));
      const canceled = await mux.next('0');
      t.strictSame(fields(canceled), ['canceled', 'compact_revision', 'header'], 'no events, no cancel_reason');
      t.strictSame([canceled.canceled, canceled.compact_revision], [true, String(r2)]);
      t.strictSame(headerShapeProblems(canceled.header, { revision: false }), []);
      t.equal(canceled.header.revision, undefined, 'real etcd 3.4 sends this cancel with a header without revision');

      const atCompaction = await create(mux, '1', { key: b64(k), start_revision: String(r2) });
      t.strictSame([atCompaction.watch_id, atCompaction.created, atCompaction.canceled], ['1', true, undefined]);
      t.strictSame((await mux.eventsUntil('1', r3)).events,
        [putEvent(k, '2', r1, r2, 2), putEvent(k, '3', r1, r3, 3)], 'start_revision equal to the compacted revision replays from it');

      const again = await create(mux, '2', { key: b64(k), start_revision: String(r2 - 1) });
      t.equal(again.created, true);
      const again2 = await mux.next('2');
      t.strictSame([again2.canceled, again2.compact_revision, again2.events], [true, String(r2), undefined]);
    });

    t.test("a txn's events arrive in one response with one mod_revision", async (t) => {
      const p = uniquePrefix('txn');
      const [a, b, old] = [`${p}a`, `${p}b`, `${p}old`];
      const r0 = await put(m0, old, 'x');
      const { mux } = open(t, m2);
      await create(mux, '0', { key: b64(p), range_end: prefixEnd(p), prev_kv: true });
      const r = rev(await ok(m1, '/v3/kv/txn', {
        compare: [{ key: b64(old), target: 'VERSION', result: 'EQUAL', version: '1' }],
        success: [
          { request_put: { key: b64(b), value: b64('B') } },
          { request_put: { key: b64(a), value: b64('A') } },
          { request_delete_range: { key: b64(old) } },
        ],
      }));
      const resp = await mux.next('0');
      t.ok(Number(resp.header.revision) >= r);
      t.strictSame(resp.events, [
        putEvent(b, 'B', r, r, 1),
        putEvent(a, 'A', r, r, 1),
        { ...deleteEvent(old, r), prev_kv: putEvent(old, 'x', r0, r0, 1).kv },
      ], 'all three events in one response, in op order, with the txn revision');
    });

    t.test('concurrent writes through every member reach a watcher on every member in revision order, no gaps or duplicates', async (t) => {
      const p = uniquePrefix('concurrent');
      const r0 = await currentRevision(m0);
      const muxes = [m0, m1, m2].map((u) => open(t, u).mux);
      for (const mux of muxes) await create(mux, '0', { key: b64(p), range_end: prefixEnd(p), start_revision: r0 + 1 });

      let bumps = 0;
      const writer = async (url: string, client: number) => {
        for (let j = 0; j < 30; j++) {
          const key = `${p}k${(client * 7 + j) % 12}`;
          if (j % 10 === 9) {
            const d = await ok(url, '/v3/kv/deleterange', { key: b64(key) });
            if (d.deleted !== undefined) bumps++;
          } else if (j % 7 === 3) {
            await ok(url, '/v3/kv/txn', { success: [
              { request_put: { key: b64(key), value: b64(`${client}-${j}-t`) } },
              { request_put: { key: b64(`${p}t${client}`), value: b64(`${client}-${j}`) } },
            ] });
            bumps++;
          } else {
            await ok(url, '/v3/kv/put', { key: b64(key), value: b64(`${client}-${j}`) });
            bumps++;
          }
        }
      };
      await Promise.all([m0, m0, m1, m1, m2, m2].map((u, i) => writer(u, i)));
      const R = await currentRevision(m0);
      t.equal(R - r0, bumps, 'one revision per write that changed something');
      const final = await ok(m0, '/v3/kv/range', { key: b64(p), range_end: prefixEnd(p) });

      const lists: any[][] = [];
      for (const [i, mux] of muxes.entries()) {
        const { events } = await mux.eventsUntil('0', R, 30_000);
        lists.push(events);
        const revs = events.map((e) => Number(e.kv.mod_revision));
        const ordered = revs.every((r, j) => j === 0 || r >= revs[j - 1]!);
        t.ok(ordered, `member ${i}: mod_revisions never go back`);
        const distinct = [...new Set(revs)];
        t.strictSame(distinct, Array.from({ length: R - r0 }, (_, j) => r0 + 1 + j), `member ${i}: every revision ${r0 + 1}..${R}, no gaps`);
        const ids = events.map((e) => `${e.kv.key}@${e.kv.mod_revision}`);
        t.equal(new Set(ids).size, ids.length, `member ${i}: no duplicate events`);
        const state = new Map<string, any>();
        for (const e of events) {
          if (e.type === 'DELETE') state.delete(e.kv.key);
          else state.set(e.kv.key, e.kv);
        }
        const byKey = (x: any, y: any) => Buffer.compare(Buffer.from(x.key, 'base64'), Buffer.from(y.key, 'base64'));
        t.strictSame([...state.values()].sort(byKey), final.kvs,
          `member ${i}: replaying the events gives the final range`);
      }
      t.strictSame(lists[1], lists[0], 'members 0 and 1 sent the same events');
      t.strictSame(lists[2], lists[0], 'members 0 and 2 sent the same events');
    });

    t.test('a watch resumed from last revision + 1 after closing its stream sees exactly what it missed', async (t) => {
      const p = uniquePrefix('resume');
      const r0 = await currentRevision(m1);
      const truth = open(t, m1).mux;
      await create(truth, '0', { key: b64(p), range_end: prefixEnd(p), start_revision: r0 + 1 });
      const first = watchStream(m0);
      t.teardown(() => first.close());
      const firstMux = new WatchMux(first);
      await create(firstMux, '0', { key: b64(p), range_end: prefixEnd(p) });
      let last = 0;
      for (let i = 0; i < 5; i++) last = await put(m0, `${p}k${i % 3}`, `a${i}`);
      const seen = (await firstMux.eventsUntil('0', last)).events;
      t.equal(seen.length, 5);
      last = Number(seen[seen.length - 1].kv.mod_revision);
      first.close();

      await put(m2, `${p}k0`, 'b0');
      await put(m2, `${p}k1`, 'b1');
      await del(m1, `${p}k2`);
      await ok(m0, '/v3/kv/txn', { success: [
        { request_put: { key: b64(`${p}k3`), value: b64('b3') } },
        { request_delete_range: { key: b64(`${p}k0`) } },
      ] });
      const R = await put(m1, `${p}k4`, 'b4');

      const resumed = open(t, m2).mux;
      const created = await create(resumed, '0', { key: b64(p), range_end: prefixEnd(p), start_revision: last + 1 });
      t.equal(created.created, true);
      const missed = (await resumed.eventsUntil('0', R)).events;
      const all = (await truth.eventsUntil('0', R)).events;
      t.equal(all.length, 11);
      t.strictSame(all.slice(0, 5), seen, 'the first stream saw the first five events');
      t.strictSame(missed, all.slice(5), 'the resumed watch sees exactly the missed events');
    });

    t.test('across a leader change, watchers on the survivors see every revision once and in order', async (t) => {
      const p = uniquePrefix('leader');
      const alive = new Set([0, 1, 2]);
      const L = await leaderIndex(c.clientUrls);
      if (L === undefined) throw new Error('no member names a leader');
      const survivors = [0, 1, 2].filter((i) => i !== L);
      const r0 = await currentRevision(c.clientUrls[survivors[0]!]!);
      const watch = { key: b64(p), range_end: prefixEnd(p), start_revision: r0 + 1 };
      const muxes = new Map<number, WatchMux>();
      for (const i of survivors) {
        const mux = open(t, c.clientUrls[i]!).mux;
        await create(mux, '0', watch);
        muxes.set(i, mux);
      }
      const doomed = open(t, c.clientUrls[L]!).mux;
      await create(doomed, '0', watch);

      const perWriter = 30;
      let written = 0;
      let killed: Promise<void> | undefined;
      const keys: string[] = [];
      const writer = async (i: number) => {
        for (let j = 0; j < perWriter; j++) {
          const key = `${p}w${i}-${String(j).padStart(2, '0')}`;
          keys.push(key);
          await createOnce(c.clientUrls[i]!, key, `v${j}`, 60_000);
          written++;
          if (written === 20 && killed === undefined) {
            alive.delete(L);
            killed = c.kill(L);
          }
        }
      };
      await Promise.all(survivors.map(writer));
      await killed;
      t.equal(written, 2 * perWriter);
      const newLeader = await eventually('a leader among the survivors', () => leaderIndex(c.clientUrls, (i) => alive.has(i)), 20_000);
      t.ok(newLeader !== undefined && newLeader !== L, `a survivor leads now (was ${L}, now ${newLeader})`);

      const R = await currentRevision(c.clientUrls[survivors[0]!]!);
      t.equal(R - r0, 2 * perWriter, 'each key was created by exactly one revision');
      const want = (events: any[]) => {
        t.strictSame(events.map((e) => Number(e.kv.mod_revision)), Array.from({ length: R - r0 }, (_, j) => r0 + 1 + j),
          'one event per revision, in order, none missing, none twice');
        t.ok(events.every((e) => e.type === undefined && e.kv.version === '1' && e.kv.create_revision === e.kv.mod_revision),
          'every event creates its key');
        t.strictSame(events.map((e) => Buffer.from(e.kv.key, 'base64').toString()).sort(), [...keys].sort(), 'every written key once');
      };
      const lists: any[][] = [];
      for (const i of survivors) {
        const { events } = await muxes.get(i)!.eventsUntil('0', R, 60_000);
        want(events);
        lists.push(events);
      }
      t.strictSame(lists[1], lists[0], 'both survivors sent the same events');

      await c.restart(L);
      alive.add(L);
      const back = open(t, c.clientUrls[L]!).mux;
      await create(back, '0', watch);
      const { events } = await back.eventsUntil('0', R, 60_000);
      t.strictSame(events, lists[0], 'the restarted member replays the same history');
    });

    t.test('a first message that is not JSON fails the stream: HTTP 500, code 2, and the stream ends', async (t) => {
      const s = watchStream(m0);
      t.teardown(() => s.close());
      s.sendRaw('nonsense\n');
      const m = await s.next();
      t.equal(s.status(), 500);
      t.strictSame(fields(m), ['code', 'error', 'message'], 'an error body, not a {"result"} or {"error":{...}} line');
      t.equal(m.code, 2);
      t.type(m.error, 'string');
      t.equal(m.error, m.message);
      t.ok(await s.endsWithin(5000), 'the response ends');
    });
  });
}
