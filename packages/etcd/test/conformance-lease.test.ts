// Conformance: leases over etcd's JSON gateway (/v3/lease/*, the /v3/kv/lease/* aliases, the
// keepalive stream, expiry). The same assertions run against a three-member real etcd 3.4
// cluster and a three-member kubets-etcd cluster (ETCD_CONFORMANCE_KINDS). Every expectation
// is what real etcd 3.4.23 answers with the clusters' flags (--election-timeout=500,
// --heartbeat-interval=50, so the minimum TTL is ceil(1.5 x 500 ms) = 1 s); ids and remaining
// TTLs are checked by shape and range.

import t from 'tap';
import { b64, call, eventually, unb64 } from './support/etcd-client.js';
import { conformanceKinds, startConformanceCluster } from './support/kinds.js';
import { type DuplexStream, keepAliveStream, watchStream } from './support/streams.js';
import { deleteEvent, fields, headerShapeProblems, ok, prefixEnd, putEvent, rev, uniquePrefix, WatchMux } from './support/watch-tools.js';

const NOT_FOUND = { error: 'etcdserver: requested lease not found', message: 'etcdserver: requested lease not found', code: 5 };

type Teardown = { teardown(fn: () => unknown): void };

for (const kind of conformanceKinds()) {
  t.test(kind, async (t) => {
    const c = await startConformanceCluster(kind);
    t.teardown(() => c.stop());
    const [m0, m1, m2] = c.clientUrls as [string, string, string];

    const openWatch = (tt: Teardown, url: string): WatchMux => {
      const s = watchStream(url);
      tt.teardown(() => s.close());
      return new WatchMux(s);
    };
    const openKeepAlive = (tt: Teardown, url: string, first?: unknown): DuplexStream => {
      const s = keepAliveStream(url, first);
      tt.teardown(() => s.close());
      return s;
    };
    const grant = (url: string, body: unknown) => ok(url, '/v3/lease/grant', body);
    const putWithLease = async (url: string, key: string, value: string, lease: string) =>
      rev(await ok(url, '/v3/kv/put', { key: b64(key), value: b64(value), lease }));
    const count = async (url: string, key: string) => Number((await ok(url, '/v3/kv/range', { key: b64(key), count_only: true })).count ?? '0');
    const leaseIds = async (url: string) => ((await ok(url, '/v3/lease/leases', {})).leases ?? []).map((l: any) => l.ID);

    t.test('grant with a server-chosen ID', async (t) => {
      const a = await call(m1, '/v3/lease/grant', { TTL: 60 });
      t.equal(a.status, 200);
      t.strictSame(fields(a.body), ['ID', 'TTL', 'header'], 'header, ID and TTL; no error');
      t.strictSame(headerShapeProblems(a.body.header), []);
      t.match(a.body.ID, /^[1-9][0-9]*$/, 'a positive int64 as a string');
      t.equal(a.body.TTL, '60');
      const b = await grant(m2, { TTL: '30' });
      t.match(b.ID, /^[1-9][0-9]*$/);
      t.not(b.ID, a.body.ID, 'a second grant gets another ID');
      t.equal(b.TTL, '30', 'TTL may be sent as a string');
      const r0 = rev(await ok(m0, '/v3/kv/range', { key: b64('x') }));
      t.equal(rev(a.body), r0, 'granting does not take a revision');
    });

    t.test('grant with a client-chosen ID; the same ID twice fails with code 9', async (t) => {
      const a = await call(m0, '/v3/lease/grant', { ID: 7001, TTL: 60 });
      t.equal(a.status, 200);
      t.strictSame([a.body.ID, a.body.TTL], ['7001', '60']);
      const b = await grant(m2, { ID: '7002', TTL: 60 });
      t.equal(b.ID, '7002', 'ID may be sent as a string');
      const again = await call(m1, '/v3/lease/grant', { ID: 7001, TTL: 10 });
      t.equal(again.status, 412);
      t.strictSame(again.body, { error: 'etcdserver: lease already exists', message: 'etcdserver: lease already exists', code: 9 });
      const ttl = await ok(m2, '/v3/lease/timetolive', { ID: 7001 });
      t.equal(ttl.grantedTTL, '60', 'the failed grant left the lease alone');
    });

    t.test('TTL: below the minimum (1 s here) is raised to it; above the maximum fails', async (t) => {
      const one = await grant(m0, { TTL: 1 });
      t.equal(one.TTL, '1', 'TTL 1 is granted as 1');
      const zero = await grant(m1, { TTL: 0 });
      t.equal(zero.TTL, '1', 'TTL 0 is raised to the minimum');
      const absent = await grant(m1, {});
      t.equal(absent.TTL, '1', 'no TTL is raised to the minimum');
      const negative = await grant(m2, { TTL: -5 });
      t.equal(negative.TTL, '1', 'a negative TTL is raised to the minimum');
      const big = await call(m0, '/v3/lease/grant', { TTL: 9000000001 });
      t.equal(big.status, 400);
      t.strictSame(big.body, { error: 'etcdserver: too large lease TTL', message: 'etcdserver: too large lease TTL', code: 11 });
      const max = await grant(m0, { TTL: 9000000000 });
      t.equal(max.TTL, '9000000000', 'the maximum TTL itself is granted');
      await ok(m0, '/v3/lease/revoke', { ID: max.ID });
    });

    t.test('timetolive: remaining and granted TTL, keys; an unknown lease has TTL -1', async (t) => {
      const p = uniquePrefix('ttl');
      const g = await grant(m0, { TTL: 60 });
      await putWithLease(m1, `${p}b`, '1', g.ID);
      await putWithLease(m2, `${p}a`, '1', g.ID);
      const kv = (await ok(m0, '/v3/kv/range', { key: b64(`${p}a`) })).kvs[0];
      t.equal(kv.lease, g.ID, 'the key carries its lease');

      const plain = await call(m2, '/v3/lease/timetolive', { ID: g.ID });
      t.equal(plain.status, 200);
      t.strictSame(fields(plain.body), ['ID', 'TTL', 'grantedTTL', 'header'], 'no keys unless asked');
      t.strictSame(headerShapeProblems(plain.body.header), []);
      t.equal(plain.body.ID, g.ID);
      t.equal(plain.body.grantedTTL, '60');
      const left = Number(plain.body.TTL);
      t.ok(left >= 50 && left <= 59, `remaining TTL ${left} in [50, 59]: truncated, never the full 60 once time has passed`);

      const withKeys = await ok(m1, '/v3/lease/timetolive', { ID: g.ID, keys: true });
      t.strictSame(fields(withKeys), ['ID', 'TTL', 'grantedTTL', 'header', 'keys']);
      t.strictSame((withKeys.keys as string[]).map(unb64).sort(), [`${p}a`, `${p}b`], 'keys lists the attached keys (base64)');

      for (const body of [{ ID: 987654321 }, { ID: '987654321', keys: true }]) {
        const unknown = await call(m0, '/v3/lease/timetolive', body);
        t.equal(unknown.status, 200, `unknown lease ${JSON.stringify(body)}: 200, not an error`);
        t.strictSame(fields(unknown.body), ['ID', 'TTL', 'header']);
        t.strictSame([unknown.body.ID, unknown.body.TTL], ['987654321', '-1'], 'TTL -1, no grantedTTL, no keys');
      }

      const minimum = await grant(m2, { TTL: 0 });
      const mt = await ok(m2, '/v3/lease/timetolive', { ID: minimum.ID });
      t.equal(mt.grantedTTL, '1', 'a raised TTL shows as the granted TTL');
    });

    t.test('timetolive truncates the remaining seconds: 29 a moment after a 30 s grant', async (t) => {
      // etcd answers int64(remaining.Seconds()): a lease granted for 30 s has 29.9... s left when
      // it is read back, so 29, not 30. Within a second of sending the grant, every member must
      // answer exactly 29 (a follower answers as the leader does).
      const t0 = performance.now();
      const g = await grant(m1, { TTL: 30 });
      for (const [i, u] of [m1, m0, m2].entries()) {
        const r = await ok(u, '/v3/lease/timetolive', { ID: g.ID });
        const elapsed = performance.now() - t0;
        t.equal(r.grantedTTL, '30', `member ${i}: grantedTTL is the granted TTL`);
        if (elapsed < 1000) t.equal(r.TTL, '29', `member ${i}: TTL 29, ${Math.round(elapsed)} ms after the grant was sent`);
        else t.ok(Number(r.TTL) <= 29 && Number(r.TTL) >= 30 - Math.ceil(elapsed / 1000), `member ${i}: TTL ${r.TTL} after ${Math.round(elapsed)} ms`);
      }
      await ok(m0, '/v3/lease/revoke', { ID: g.ID });
    });

    t.test('leases lists the live leases on every member', async (t) => {
      const a = await grant(m0, { TTL: 60 });
      const b = await grant(m1, { TTL: 60 });
      const r = await call(m2, '/v3/lease/leases', {});
      t.equal(r.status, 200);
      t.strictSame(fields(r.body), ['header', 'leases']);
      t.ok((r.body.leases as any[]).every((l) => fields(l).join() === 'ID' && /^-?[0-9]+$/.test(l.ID)), 'each entry is {ID}');
      const listed = (ids: string[]) => ids.includes(a.ID) && ids.includes(b.ID);
      t.ok(listed(await leaseIds(m1)), 'the member that granted the last lease lists both');
      // etcd 3.4 answers leases from the member's own lessor: another member lists a lease
      // once it has applied the grant.
      for (const [i, u] of [m0, m1, m2].entries()) {
        await eventually(`member ${i} lists both leases`, async () => (listed(await leaseIds(u)) ? true : undefined));
      }
      await ok(m2, '/v3/lease/revoke', { ID: a.ID });
      const after = await leaseIds(m2);
      t.ok(!after.includes(a.ID) && after.includes(b.ID), 'a revoked lease is no longer listed by the member that revoked it');
      for (const [i, u] of [m0, m1].entries()) {
        await eventually(`member ${i} drops the revoked lease`, async () => (!(await leaseIds(u)).includes(a.ID) ? true : undefined));
      }
    });

    t.test('revoke deletes the attached keys in one revision; unknown leases are NotFound', async (t) => {
      const p = uniquePrefix('revoke');
      const g = await grant(m1, { TTL: 60 });
      const mux = openWatch(t, m0);
      mux.stream.send({ create_request: { key: b64(p), range_end: prefixEnd(p) } });
      await mux.next('0');
      const r1 = await putWithLease(m0, `${p}b`, 'B', g.ID);
      const r2 = await putWithLease(m0, `${p}a`, 'A', g.ID);
      const r = await call(m2, '/v3/lease/revoke', { ID: g.ID });
      t.equal(r.status, 200);
      t.strictSame(fields(r.body), ['header']);
      t.equal(rev(r.body), r2 + 1, 'deleting both keys takes one revision');
      t.equal(await count(m1, `${p}a`) + await count(m1, `${p}b`), 0, 'the attached keys are gone');
      const { events, responses } = await mux.eventsUntil('0', r2 + 1);
      t.strictSame(events, [
        putEvent(`${p}b`, 'B', r1, r1, 1, g.ID),
        putEvent(`${p}a`, 'A', r2, r2, 1, g.ID),
        deleteEvent(`${p}a`, r2 + 1),
        deleteEvent(`${p}b`, r2 + 1),
      ], 'puts carry the lease; the deletes come in key order with the revoke revision');
      t.equal(responses[responses.length - 1].events.length, 2, 'both deletes in one response');

      const gone = await ok(m0, '/v3/lease/timetolive', { ID: g.ID });
      t.equal(gone.TTL, '-1');
      for (const [what, body] of [['revoked again', { ID: g.ID }], ['unknown', { ID: 123456789 }], ['no ID', {}]] as const) {
        const again = await call(m1, '/v3/lease/revoke', body);
        t.equal(again.status, 404, `${what}: 404`);
        t.strictSame(again.body, NOT_FOUND, `${what}: NotFound body`);
      }

      const empty = await grant(m0, { TTL: 60 });
      const before = rev(await ok(m0, '/v3/kv/range', { key: b64('x') }));
      const er = await ok(m1, '/v3/lease/revoke', { ID: empty.ID });
      t.equal(rev(er), before, 'revoking a lease without keys takes no revision');

      const put = await call(m2, '/v3/kv/put', { key: b64(`${p}c`), value: b64('x'), lease: g.ID });
      t.equal(put.status, 404, 'a put with a revoked lease: 404');
      t.strictSame(put.body, NOT_FOUND);
    });

    t.test('keepalive stream: {ID, TTL} per request; unknown leases get no TTL; the stream ends with the body', async (t) => {
      const g = await grant(m0, { TTL: 30 });
      const ka = openKeepAlive(t, m2, { ID: g.ID });
      const first = await ka.nextResult();
      t.equal(ka.status(), 200);
      t.strictSame(fields(first), ['ID', 'TTL', 'header']);
      t.strictSame(headerShapeProblems(first.header), []);
      t.strictSame([first.ID, first.TTL], [g.ID, '30'], 'the TTL is renewed to the granted TTL');

      ka.send({ ID: 55555 });
      const unknown = await ka.nextResult();
      t.strictSame(fields(unknown), ['ID', 'header'], 'an unknown lease: TTL 0, so omitted; no error');
      t.equal(unknown.ID, '55555');

      ka.send({ ID: g.ID });
      const again = await ka.nextResult();
      t.strictSame([again.ID, again.TTL], [g.ID, '30'], 'the stream goes on after an unknown lease');

      ka.send({});
      const none = await ka.nextResult();
      t.strictSame(fields(none), ['header'], 'no ID: a header only');

      const ttl = await ok(m1, '/v3/lease/timetolive', { ID: g.ID });
      t.ok(Number(ttl.TTL) >= 25 && Number(ttl.TTL) <= 29, `timetolive after keepalive: ${ttl.TTL}, truncated below the renewed 30`);

      ka.end();
      t.ok(await ka.endsWithin(5000), 'ending the request body ends the keepalive response');
      t.equal(ka.pending(), 0, 'nothing more was sent');

      await ok(m0, '/v3/lease/revoke', { ID: g.ID });
      await eventually('the revoke applied', async () => ((await ok(m1, '/v3/lease/timetolive', { ID: g.ID })).TTL === '-1' ? true : undefined));
      const ka2 = openKeepAlive(t, m1, { ID: g.ID });
      const revoked = await ka2.nextResult();
      t.strictSame([fields(revoked), revoked.ID], [['ID', 'header'], g.ID], 'a revoked lease: no TTL');
    });

    t.test('a keepalive stream whose first message is not JSON: HTTP 500, code 2, and the stream ends', async (t) => {
      const s = openKeepAlive(t, m1);
      s.sendRaw('nonsense\n');
      const m = await s.next();
      t.equal(s.status(), 500);
      t.strictSame(fields(m), ['code', 'error', 'message'], 'an error body, not a {"result"} or {"error":{...}} line');
      t.equal(m.code, 2);
      t.equal(m.error, m.message);
      t.ok(await s.endsWithin(5000), 'the response ends');
    });

    t.test('expiry: the key disappears after the TTL without keepalives, with exactly one DELETE', async (t) => {
      for (const ttl of [2, 1]) {
        const p = uniquePrefix(`expiry${ttl}`);
        const k = `${p}k`;
        const mux = openWatch(t, m2);
        mux.stream.send({ create_request: { key: b64(p), range_end: prefixEnd(p) } });
        await mux.next('0');
        const t0 = Date.now();
        const g = await grant(m1, { TTL: ttl });
        t.equal(g.TTL, String(ttl));
        const r1 = await putWithLease(m0, k, 'v', g.ID);
        t.equal(await count(m2, k), 1, 'the key is there');
        await eventually(`${k} gone`, async () => ((await count(m1, k)) === 0 ? true : undefined), ttl * 1000 + 10_000);
        const elapsed = Date.now() - t0;
        t.ok(elapsed >= ttl * 1000 - 100, `TTL ${ttl}: gone after ${elapsed} ms, not before the TTL`);
        const { events } = await mux.eventsUntil('0', r1 + 1);
        t.strictSame(events, [putEvent(k, 'v', r1, r1, 1, g.ID), deleteEvent(k, r1 + 1)], `TTL ${ttl}: the put, then one DELETE`);
        const r3 = rev(await ok(m0, '/v3/kv/put', { key: b64(`${p}sentinel`), value: b64('s') }));
        t.strictSame((await mux.eventsUntil('0', r3)).events, [putEvent(`${p}sentinel`, 's', r3, r3, 1)],
          `TTL ${ttl}: nothing between the DELETE and a later put`);
        t.equal(r3, r1 + 2, 'expiry took exactly one revision');
        const tl = await ok(m2, '/v3/lease/timetolive', { ID: g.ID });
        t.equal(tl.TTL, '-1', 'an expired lease is unknown');
        await eventually('the expired lease is no longer listed', async () => (!(await leaseIds(m0)).includes(g.ID) ? true : undefined));
      }
    });

    t.test('keepalives keep a key alive past its TTL; it expires once they stop', async (t) => {
      const p = uniquePrefix('kept');
      const k = `${p}k`;
      const ttl = 2;
      const g = await grant(m0, { TTL: ttl });
      const t0 = Date.now();
      await putWithLease(m1, k, 'v', g.ID);
      const ka = openKeepAlive(t, m2);
      let answers = 0;
      // Renew every 500 ms until three TTLs have passed.
      while (Date.now() - t0 < 3 * ttl * 1000) {
        ka.send({ ID: g.ID });
        const r = await ka.nextResult();
        if (r.ID === g.ID && r.TTL === String(ttl)) answers++;
        else t.fail(`unexpected keepalive answer ${JSON.stringify(r)}`);
        await new Promise((res) => setTimeout(res, 500));
      }
      t.ok(answers >= 8, `${answers} keepalives answered with TTL ${ttl}`);
      t.equal(await count(m0, k), 1, `the key is alive after ${Date.now() - t0} ms`);
      const left = Number((await ok(m1, '/v3/lease/timetolive', { ID: g.ID })).TTL);
      t.ok(left >= 0 && left <= ttl - 1, `remaining TTL ${left}, truncated below the renewed ${ttl}`);
      ka.close();
      const stopped = Date.now();
      await eventually(`${k} gone`, async () => ((await count(m1, k)) === 0 ? true : undefined), ttl * 1000 + 10_000);
      t.ok(Date.now() - stopped < ttl * 1000 + 10_000, 'gone once keepalives stopped');
    });

    t.test('/v3/kv/lease/* aliases: revoke, timetolive and leases; not grant or keepalive', async (t) => {
      const p = uniquePrefix('alias');
      const g = await grant(m0, { TTL: 60 });
      await putWithLease(m0, `${p}k`, 'v', g.ID);
      const ttl = await call(m1, '/v3/kv/lease/timetolive', { ID: g.ID, keys: true });
      t.equal(ttl.status, 200);
      t.strictSame([ttl.body.ID, ttl.body.grantedTTL, (ttl.body.keys ?? []).map(unb64)], [g.ID, '60', [`${p}k`]]);
      const list = await call(m2, '/v3/kv/lease/leases', {});
      t.equal(list.status, 200);
      t.ok((list.body.leases as any[]).some((l) => l.ID === g.ID), 'leases lists it');
      const revoke = await call(m2, '/v3/kv/lease/revoke', { ID: g.ID });
      t.equal(revoke.status, 200);
      t.strictSame(fields(revoke.body), ['header']);
      t.equal(await count(m0, `${p}k`), 0, 'the alias revoke deleted the key');
      const missing = await call(m0, '/v3/kv/lease/revoke', { ID: g.ID });
      t.equal(missing.status, 404);
      t.strictSame(missing.body, NOT_FOUND);
      t.equal((await call(m0, '/v3/kv/lease/grant', { TTL: 60 })).status, 404, '/v3/kv/lease/grant does not exist');
      t.equal((await call(m0, '/v3/kv/lease/keepalive', { ID: g.ID })).status, 404, '/v3/kv/lease/keepalive does not exist');
    });
  });
}
