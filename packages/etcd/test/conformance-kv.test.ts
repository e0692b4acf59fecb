// Conformance of the KV part of etcd 3.4's v3 JSON API (the gRPC gateway): put, range,
// deleterange, txn, compaction, the JSON conventions, the error shape, request limits and
// reads across members. The same assertions run against a three-member real etcd 3.4 and a
// three-member kubets-etcd (ETCD_CONFORMANCE_KINDS); every expectation here was read off
// real etcd 3.4.23. Revisions are relative: a test reads the revision, then computes.
// The subtests share one cluster per kind and run in order (compaction comes late, after
// the tests that read old revisions).

import t, { type Test } from 'tap';
import { b64 } from './support/etcd-client.js';
import { ERR, Etcd, expectDecodeError, expectError, kv, membersAgree } from './support/conformance.js';
import { conformanceKinds, startConformanceCluster } from './support/kinds.js';

/** A `[key, key+1)`-style prefix range end: the prefix with its last byte incremented. */
const prefixEnd = (p: string | Buffer): string => {
  const b = Buffer.from(p);
  let i = b.length - 1;
  while (i >= 0 && b[i] === 0xff) i--;
  if (i < 0) return b64('\0');
  const end = b.subarray(0, i + 1);
  end[i]! += 1;
  return end.toString('base64');
};
const prefix = (p: string | Buffer) => ({ range_end: prefixEnd(p) });

for (const kind of conformanceKinds()) {
  t.test(kind, async (t) => {
    const c = await startConformanceCluster(kind);
    t.teardown(() => c.stop());
    const e = await Etcd.connect(c);
    // Each behavior ends by checking that the members still agree: same revision, same keys.
    const behavior = (name: string, fn: (t: Test) => Promise<void>) =>
      t.test(name, async (t) => {
        await fn(t);
        await membersAgree(t, e);
      });

    // ---------------------------------------------------------------- JSON conventions

    behavior('replies: header, int64 as strings, default-valued fields left out', async (t) => {
      const r0 = await e.revision();
      t.strictSame(e.ok(t, await e.put('json/k', 'v'), r0 + 1, 'put'), {}, 'a put answers only its header');
      t.strictSame(e.ok(t, await e.range('json/k'), r0 + 1, 'range'), { kvs: [kv('json/k', r0 + 1, r0 + 1, 1, 'v')], count: '1' },
        'no more:false, no lease:0');
      t.strictSame(e.ok(t, await e.range('json/missing'), r0 + 1, 'range of nothing'), {}, 'no kvs:[], no count:0, no more:false');
      t.strictSame(e.ok(t, await e.del('json/missing'), r0 + 1, 'delete of nothing'), {}, 'no deleted:0');
      t.strictSame(e.ok(t, await e.txn({}), r0 + 1, 'empty txn'), { succeeded: true }, 'no responses:[]');
    });

    behavior('requests: lowerCamelCase names, int64 as number or string, enums by name or number', async (t) => {
      const p = 'camel/';
      const r0 = await e.revision();
      e.ok(t, await e.put(`${p}a`, '1'));
      t.strictSame(e.ok(t, await e.put(`${p}a`, '2', { prevKv: true }), r0 + 2, 'prevKv'), { prev_kv: kv(`${p}a`, r0 + 1, r0 + 1, 1, '1') },
        'output names stay snake_case');
      e.ok(t, await e.put(`${p}b`, '3'));
      const both = { kvs: [kv(`${p}b`, r0 + 3, r0 + 3, 1), kv(`${p}a`, r0 + 1, r0 + 2, 2)], count: '2' };
      t.strictSame(e.ok(t, await e.range(p, { rangeEnd: prefixEnd(p), sortOrder: 'DESCEND', sortTarget: 'KEY', keysOnly: true })),
        both, 'rangeEnd, sortOrder, sortTarget, keysOnly');
      t.strictSame(e.ok(t, await e.range(p, { range_end: prefixEnd(p), sort_order: 2, sort_target: 0, keys_only: true })),
        both, 'enums by number');
      t.strictSame(e.ok(t, await e.range(p, { ...prefix(p), limit: 1 })), { kvs: [kv(`${p}a`, r0 + 1, r0 + 2, 2, '2')], more: true, count: '2' },
        'limit as a JSON number');
      t.strictSame(e.ok(t, await e.range(p, { ...prefix(p), limit: '1' })), { kvs: [kv(`${p}a`, r0 + 1, r0 + 2, 2, '2')], more: true, count: '2' },
        'limit as a string');
      t.strictSame(e.ok(t, await e.range(p, { ...prefix(p), countOnly: true, minModRevision: r0 + 2, maxCreateRevision: String(r0 + 3) })),
        { count: '2' }, 'countOnly, minModRevision, maxCreateRevision');
      t.strictSame(e.ok(t, await e.range(`${p}a`, { revision: r0 + 1 })), { kvs: [kv(`${p}a`, r0 + 1, r0 + 1, 1, '1')], count: '1' },
        'revision as a JSON number');
      t.strictSame(e.ok(t, await e.range(`${p}a`, { no_such_field: 1, another: { x: [1] } })), { kvs: [kv(`${p}a`, r0 + 1, r0 + 2, 2, '2')], count: '1' },
        'unknown fields are ignored');
      const txn = await e.txn({
        compare: [
          { key: b64(`${p}a`), target: 'CREATE', result: 'EQUAL', createRevision: String(r0 + 1) },
          { key: b64(p), rangeEnd: prefixEnd(p), target: 'MOD', result: 'LESS', modRevision: r0 + 4 },
          { key: b64(`${p}b`), target: 1, result: 0, create_revision: r0 + 3 },
        ],
        success: [{ requestRange: { key: b64(`${p}b`), keysOnly: true } }, { requestPut: { key: b64(`${p}b`), value: b64('4'), prevKv: true } },
          { requestDeleteRange: { key: b64(`${p}none`), prevKv: true } }, { requestTxn: {} }],
      });
      t.strictSame(e.ok(t, txn, r0 + 4, 'camelCase txn'), {
        succeeded: true,
        responses: [
          { response_range: { header: { revision: String(r0 + 3) }, kvs: [kv(`${p}b`, r0 + 3, r0 + 3, 1)], count: '1' } },
          { response_put: { header: { revision: String(r0 + 4) }, prev_kv: kv(`${p}b`, r0 + 3, r0 + 3, 1, '3') } },
          { response_delete_range: { header: { revision: String(r0 + 4) } } },
          { response_txn: { header: {}, succeeded: true } },
        ],
      }, 'requestRange, requestPut, requestDeleteRange, requestTxn, createRevision, modRevision, enums by number');
      t.strictSame(e.ok(t, await e.del(p, { rangeEnd: prefixEnd(p), prevKv: true }), r0 + 5, 'deleterange camelCase'), {
        deleted: '2', prev_kvs: [kv(`${p}a`, r0 + 1, r0 + 2, 2, '2'), kv(`${p}b`, r0 + 3, r0 + 4, 2, '4')],
      }, 'rangeEnd and prevKv on deleterange');
    });

    behavior('requests: an empty body is an empty message; badly typed fields are InvalidArgument', async (t) => {
      expectError(t, await e.post('/v3/kv/range', ''), ERR.noKey, 'range with an empty body');
      expectError(t, await e.post('/v3/kv/put', ''), ERR.noKey, 'put with an empty body');
      expectError(t, await e.post('/v3/kv/range', {}), ERR.noKey, 'range of {}');
      expectDecodeError(t, await e.post('/v3/kv/range', { key: 'not base64!' }), 'key that is not base64');
      expectDecodeError(t, await e.post('/v3/kv/range', { key: b64('a'), limit: 'abc' }), 'limit that is not a number');
      expectDecodeError(t, await e.post('/v3/kv/range', { key: b64('a'), limit: 1.5 }), 'limit that is not an integer');
      expectDecodeError(t, await e.post('/v3/kv/range', { key: b64('a'), serializable: 'yes' }), 'bool given as a string');
      expectDecodeError(t, await e.post('/v3/kv/range', { key: b64('a'), sort_order: 'BOGUS' }), 'unknown enum name');
      expectDecodeError(t, await e.post('/v3/kv/range', []), 'a JSON array instead of an object');
    });

    // ---------------------------------------------------------------- put

    behavior('put: a new key has version 1 and create = mod = the new revision; each put is one revision', async (t) => {
      const r0 = await e.revision();
      e.ok(t, await e.put('put/k', 'v1'), r0 + 1, 'first put');
      e.ok(t, await e.put('put/k', 'v2'), r0 + 2, 'second put');
      t.strictSame(e.ok(t, await e.range('put/k'), r0 + 2), { kvs: [kv('put/k', r0 + 1, r0 + 2, 2, 'v2')], count: '1' },
        'two puts: version 2, create from the first, mod from the second');
    });

    behavior('put: an empty value is stored, and left out of the kv as a default', async (t) => {
      const r0 = await e.revision();
      e.ok(t, await e.post('/v3/kv/put', { key: b64('put/empty') }), r0 + 1);
      t.strictSame(e.ok(t, await e.range('put/empty')), { kvs: [kv('put/empty', r0 + 1, r0 + 1, 1)], count: '1' }, 'the empty value is left out');
    });

    behavior('put: prev_kv returns the previous kv, and nothing for a new key', async (t) => {
      const r0 = await e.revision();
      t.strictSame(e.ok(t, await e.put('put/prev', 'a', { prev_kv: true }), r0 + 1, 'new key'), {}, 'no prev_kv for a new key');
      t.strictSame(e.ok(t, await e.put('put/prev', 'b', { prev_kv: true }), r0 + 2, 'overwrite'), { prev_kv: kv('put/prev', r0 + 1, r0 + 1, 1, 'a') },
        'prev_kv is the kv before the overwrite');
      t.strictSame(e.ok(t, await e.put('put/prev', 'c'), r0 + 3, 'without prev_kv'), {}, 'no prev_kv unless asked');
    });

    behavior('put: a lease that does not exist is NotFound and writes nothing', async (t) => {
      const r0 = await e.revision();
      expectError(t, await e.put('put/lease', 'v', { lease: '12345' }), ERR.leaseNotFound, 'lease as a string');
      expectError(t, await e.put('put/lease', 'v', { lease: 12345 }), ERR.leaseNotFound, 'lease as a number');
      t.equal(await e.revision(), r0, 'no revision consumed');
      t.strictSame(e.ok(t, await e.range('put/lease')), {}, 'nothing written');
    });

    behavior('put: a key needs a key', async (t) => {
      expectError(t, await e.post('/v3/kv/put', { value: b64('v') }), ERR.noKey, 'no key');
      expectError(t, await e.post('/v3/kv/put', { key: '', value: b64('v') }), ERR.noKey, 'empty key');
    });

    behavior('put: lease attached, kept only with ignore_lease, detached by a plain put', async (t) => {
      const lease = await e.grant();
      const r0 = await e.revision();
      e.ok(t, await e.put('put/l', '1', { lease }), r0 + 1);
      t.strictSame(e.ok(t, await e.range('put/l')), { kvs: [kv('put/l', r0 + 1, r0 + 1, 1, '1', lease)], count: '1' }, 'lease shown');
      e.ok(t, await e.put('put/l', '2', { ignore_lease: true }), r0 + 2);
      t.strictSame(e.ok(t, await e.range('put/l')), { kvs: [kv('put/l', r0 + 1, r0 + 2, 2, '2', lease)], count: '1' }, 'ignore_lease keeps the lease');
      e.ok(t, await e.put('put/l', '3'), r0 + 3);
      t.strictSame(e.ok(t, await e.range('put/l')), { kvs: [kv('put/l', r0 + 1, r0 + 3, 3, '3')], count: '1' }, 'a plain put detaches it');
    });

    behavior('put: ignore_value keeps the value but not the lease; a value or a missing key is an error', async (t) => {
      const lease = await e.grant();
      const r0 = await e.revision();
      e.ok(t, await e.put('put/iv', 'kept', { lease }), r0 + 1);
      t.strictSame(e.ok(t, await e.post('/v3/kv/put', { key: b64('put/iv'), ignore_value: true, prev_kv: true }), r0 + 2),
        { prev_kv: kv('put/iv', r0 + 1, r0 + 1, 1, 'kept', lease) }, 'prev_kv of the ignore_value put');
      t.strictSame(e.ok(t, await e.range('put/iv')), { kvs: [kv('put/iv', r0 + 1, r0 + 2, 2, 'kept')], count: '1' },
        'value kept, version and mod_revision bumped, lease dropped (ignore_lease was not set)');
      e.ok(t, await e.post('/v3/kv/put', { key: b64('put/iv'), ignore_value: true, lease }), r0 + 3);
      t.strictSame(e.ok(t, await e.range('put/iv')), { kvs: [kv('put/iv', r0 + 1, r0 + 3, 3, 'kept', lease)], count: '1' },
        'ignore_value with a new lease');
      expectError(t, await e.put('put/iv', 'new', { ignore_value: true }), ERR.valueProvided, 'ignore_value with a value');
      expectError(t, await e.post('/v3/kv/put', { key: b64('put/iv-missing'), ignore_value: true }), ERR.keyNotFound, 'ignore_value on a missing key');
      t.equal(await e.revision(), r0 + 3, 'the errors consumed no revision');
    });

    behavior('put: ignore_lease; a lease or a missing key is an error', async (t) => {
      const lease = await e.grant();
      const r0 = await e.revision();
      e.ok(t, await e.put('put/il', '1', { lease }), r0 + 1);
      expectError(t, await e.put('put/il', '2', { ignore_lease: true, lease }), ERR.leaseProvided, 'ignore_lease with a lease');
      expectError(t, await e.put('put/il-missing', '2', { ignore_lease: true }), ERR.keyNotFound, 'ignore_lease on a missing key');
      expectError(t, await e.post('/v3/kv/put', { key: b64('put/il-missing'), ignore_lease: true, ignore_value: true }), ERR.keyNotFound,
        'ignore_lease and ignore_value on a missing key');
      e.ok(t, await e.post('/v3/kv/put', { key: b64('put/il'), ignore_lease: true, ignore_value: true }), r0 + 2, 'both ignores');
      t.strictSame(e.ok(t, await e.range('put/il')), { kvs: [kv('put/il', r0 + 1, r0 + 2, 2, '1', lease)], count: '1' },
        'value and lease kept, version and mod_revision bumped');
      t.equal(await e.revision(), r0 + 2, 'the errors consumed no revision');
    });

    // ---------------------------------------------------------------- range

    behavior('range: one key; a missing key; no key at all', async (t) => {
      const r0 = await e.revision();
      e.ok(t, await e.put('rng/one', 'x'));
      e.ok(t, await e.put('rng/one/child', 'y'));
      t.strictSame(e.ok(t, await e.range('rng/one'), r0 + 2), { kvs: [kv('rng/one', r0 + 1, r0 + 1, 1, 'x')], count: '1' },
        'without range_end, only the key itself');
      t.strictSame(e.ok(t, await e.range('rng/one', { range_end: '' })), { kvs: [kv('rng/one', r0 + 1, r0 + 1, 1, 'x')], count: '1' },
        'an empty range_end is no range_end');
      t.strictSame(e.ok(t, await e.range('rng/none'), r0 + 2), {}, 'a missing key: no kvs, no count');
      expectError(t, await e.post('/v3/kv/range', { range_end: b64('z') }), ERR.noKey, 'range_end without key');
    });

    behavior('range: range_end as prefix, "\\0" for every key >= key, "\\0" and "\\0" for all keys', async (t) => {
      await e.wipe();
      const r0 = await e.revision();
      const keys = ['a', 'b', 'b/1', 'b/2', 'b0', 'c'];
      for (const k of keys) e.ok(t, await e.put(k, k.toUpperCase()));
      const kvs = (ks: string[]) => ks.map((k) => kv(k, r0 + 1 + keys.indexOf(k), r0 + 1 + keys.indexOf(k), 1, k.toUpperCase()));
      t.strictSame(e.ok(t, await e.range('b/', prefix('b/'))), { kvs: kvs(['b/1', 'b/2']), count: '2' }, 'prefix b/ = [b/, b0)');
      t.strictSame(e.ok(t, await e.range('b', { range_end: 'AA==' })), { kvs: kvs(['b', 'b/1', 'b/2', 'b0', 'c']), count: '5' },
        'range_end \\0: every key >= b');
      t.strictSame(e.ok(t, await e.range('\0', { range_end: 'AA==' })), { kvs: kvs(keys), count: '6' }, 'key \\0, range_end \\0: all keys');
      t.strictSame(e.ok(t, await e.range('b', { range_end: b64('c') })), { kvs: kvs(['b', 'b/1', 'b/2', 'b0']), count: '4' }, 'range_end excluded');
      t.strictSame(e.ok(t, await e.range('b', { range_end: b64('b') })), {}, 'range_end = key: empty');
      t.strictSame(e.ok(t, await e.range('c', { range_end: b64('a') })), {}, 'range_end < key: empty');
      t.strictSame(e.ok(t, await e.range('\0')), {}, 'key \\0 alone is the single key \\0');
    });

    behavior('range: keys and values are bytes; a prefix ending in 0xff', async (t) => {
      const r0 = await e.revision();
      const k1 = Buffer.from([0x62, 0x69, 0x6e, 0xff]); // "bin\xff"
      const k2 = Buffer.from([0x62, 0x69, 0x6e, 0xff, 0x00, 0x01]);
      const v = Buffer.from([0x00, 0xff, 0xfe, 0x80]);
      e.ok(t, await e.put(k1, v));
      e.ok(t, await e.put(k2, v));
      e.ok(t, await e.put('bio', 'outside'));
      t.strictSame(e.ok(t, await e.range(k1, prefix(k1))), { kvs: [kv(k1, r0 + 1, r0 + 1, 1, v), kv(k2, r0 + 2, r0 + 2, 1, v)], count: '2' },
        'prefix bin\\xff = [bin\\xff, bio)');
      t.equal(prefixEnd(k1), b64('bio'), 'prefixEnd drops trailing 0xff bytes, then increments');
    });

    behavior('range: limit, more and count', async (t) => {
      const p = 'lim/';
      const r0 = await e.revision();
      const keys = ['a', 'b', 'c', 'd', 'e'];
      for (const k of keys) e.ok(t, await e.put(p + k, k));
      const kvs = (ks: string[]) => ks.map((k) => kv(p + k, r0 + 1 + keys.indexOf(k), r0 + 1 + keys.indexOf(k), 1, k));
      t.strictSame(e.ok(t, await e.range(p, { ...prefix(p), limit: 2 })), { kvs: kvs(['a', 'b']), more: true, count: '5' },
        'count is every key in the range, more says there are more');
      t.strictSame(e.ok(t, await e.range(p, { ...prefix(p), limit: 4 })), { kvs: kvs(['a', 'b', 'c', 'd']), more: true, count: '5' }, 'limit 4 of 5: more');
      t.strictSame(e.ok(t, await e.range(p, { ...prefix(p), limit: 5 })), { kvs: kvs(keys), count: '5' }, 'limit = count: no more');
      t.strictSame(e.ok(t, await e.range(p, { ...prefix(p), limit: 6 })), { kvs: kvs(keys), count: '5' }, 'limit > count: no more');
      t.strictSame(e.ok(t, await e.range(p, { ...prefix(p), limit: 0 })), { kvs: kvs(keys), count: '5' }, 'limit 0: no limit');
      t.strictSame(e.ok(t, await e.range(p, { ...prefix(p), limit: -1 })), { kvs: kvs(keys), count: '5' }, 'a negative limit: no limit');
      t.strictSame(e.ok(t, await e.range(p, { ...prefix(p), limit: 2, sort_order: 'DESCEND' })), { kvs: kvs(['e', 'd']), more: true, count: '5' },
        'the limit applies after sorting');
      t.strictSame(e.ok(t, await e.range(p, { ...prefix(p), limit: 2, count_only: true })), { count: '5' }, 'count_only: no kvs, no more');
      t.strictSame(e.ok(t, await e.range(`${p}c`, { limit: 1 })), { kvs: kvs(['c']), count: '1' }, 'a single key with limit 1');
    });

    behavior('range: revision reads the past after overwrites and deletes', async (t) => {
      const p = 'rev/';
      const r0 = await e.revision();
      e.ok(t, await e.put(`${p}k`, 'v1'), r0 + 1);
      e.ok(t, await e.put(`${p}k`, 'v2'), r0 + 2);
      e.ok(t, await e.put(`${p}other`, 'o'), r0 + 3);
      e.ok(t, await e.del(`${p}k`), r0 + 4);
      e.ok(t, await e.put(`${p}k`, 'v3'), r0 + 5);
      // The header carries the current revision, whatever revision was read.
      t.strictSame(e.ok(t, await e.range(`${p}k`, { revision: String(r0 + 1) }), r0 + 5), { kvs: [kv(`${p}k`, r0 + 1, r0 + 1, 1, 'v1')], count: '1' },
        'the first version');
      t.strictSame(e.ok(t, await e.range(`${p}k`, { revision: String(r0 + 2) }), r0 + 5), { kvs: [kv(`${p}k`, r0 + 1, r0 + 2, 2, 'v2')], count: '1' },
        'the second version');
      t.strictSame(e.ok(t, await e.range(p, { ...prefix(p), revision: String(r0 + 3) }), r0 + 5),
        { kvs: [kv(`${p}k`, r0 + 1, r0 + 2, 2, 'v2'), kv(`${p}other`, r0 + 3, r0 + 3, 1, 'o')], count: '2' }, 'a range at a revision');
      t.strictSame(e.ok(t, await e.range(`${p}k`, { revision: String(r0 + 4) }), r0 + 5), {}, 'deleted at that revision');
      t.strictSame(e.ok(t, await e.range(`${p}k`, { revision: String(r0) }), r0 + 5), {}, 'not yet created');
      t.strictSame(e.ok(t, await e.range(`${p}k`, { revision: String(r0 + 5) }), r0 + 5), { kvs: [kv(`${p}k`, r0 + 5, r0 + 5, 1, 'v3')], count: '1' },
        'recreated: a new create_revision, version 1 again');
      t.strictSame(e.ok(t, await e.range(`${p}k`, { revision: '0' }), r0 + 5), { kvs: [kv(`${p}k`, r0 + 5, r0 + 5, 1, 'v3')], count: '1' }, 'revision 0: now');
      t.strictSame(e.ok(t, await e.range(`${p}k`, { revision: '-1' }), r0 + 5), { kvs: [kv(`${p}k`, r0 + 5, r0 + 5, 1, 'v3')], count: '1' },
        'a negative revision: now');
    });

    behavior('range: a future revision is OutOfRange', async (t) => {
      const r0 = await e.revision();
      expectError(t, await e.range('rev/k', { revision: String(r0 + 1) }), ERR.future, 'the next revision');
      expectError(t, await e.range('rev/k', { revision: String(r0 + 1000) }), ERR.future, 'far ahead');
      expectError(t, await e.range('rev/k', { revision: String(r0 + 1) }, 2), ERR.future, 'on another member');
    });

    behavior('range: sort_order x sort_target, every combination; NONE means ASCEND unless the target is KEY', async (t) => {
      const p = 'sort/';
      const r0 = await e.revision();
      // Writes chosen so that each target orders the four keys differently.
      const writes: [string, string][] = [
        ['c', 'x'], ['a', 'x'], ['d', 'x'], ['b', '4'], // created c, a, d, b
        ['d', 'x'], ['d', 'x'], ['d', '1'], ['a', 'x'], ['a', '2'], ['c', '3'],
      ];
      for (const [k, v] of writes) e.ok(t, await e.put(p + k, v));
      const ascending: Record<string, string[]> = {
        KEY: ['a', 'b', 'c', 'd'], // a b c d
        CREATE: ['c', 'a', 'd', 'b'], // created r0+1, r0+2, r0+3, r0+4
        MOD: ['b', 'd', 'a', 'c'], // last written r0+4, r0+7, r0+9, r0+10
        VERSION: ['b', 'c', 'a', 'd'], // versions 1, 2, 3, 4
        VALUE: ['d', 'a', 'c', 'b'], // values "1" "2" "3" "4"
      };
      for (const [target, order] of Object.entries(ascending)) {
        const cases: [string, string[]][] = [
          ['NONE', order], // by KEY that is the natural order; for another target NONE sorts ASCEND
          ['ASCEND', order],
          ['DESCEND', [...order].reverse()],
        ];
        for (const [so, want] of cases) {
          const got = e.ok(t, await e.range(p, { ...prefix(p), sort_order: so, sort_target: target, keys_only: true }), r0 + writes.length);
          t.strictSame((got.kvs ?? []).map((x: any) => Buffer.from(x.key, 'base64').toString().slice(p.length)), want, `${so} by ${target}`);
          t.equal(got.count, '4', `${so} by ${target}: count`);
        }
        const dflt = e.ok(t, await e.range(p, { ...prefix(p), sort_target: target, keys_only: true }));
        t.strictSame((dflt.kvs ?? []).map((x: any) => Buffer.from(x.key, 'base64').toString().slice(p.length)), order,
          `no sort_order, target ${target}: ascending`);
      }
    });

    behavior('range: keys_only leaves out only the value; count_only gives only the count', async (t) => {
      const lease = await e.grant();
      const r0 = await e.revision();
      e.ok(t, await e.put('ko/a', 'value-a', { lease }));
      e.ok(t, await e.put('ko/b', 'value-b'));
      t.strictSame(e.ok(t, await e.range('ko/', { ...prefix('ko/'), keys_only: true })),
        { kvs: [kv('ko/a', r0 + 1, r0 + 1, 1, '', lease), kv('ko/b', r0 + 2, r0 + 2, 1)], count: '2' }, 'keys_only keeps the lease');
      t.strictSame(e.ok(t, await e.range('ko/', { ...prefix('ko/'), count_only: true }), r0 + 2), { count: '2' }, 'count_only: only the count');
      t.strictSame(e.ok(t, await e.range('ko/', { ...prefix('ko/'), count_only: true, keys_only: true })), { count: '2' }, 'count_only wins over keys_only');
      t.strictSame(e.ok(t, await e.range('ko/none', { count_only: true })), {}, 'count_only of nothing: count 0 left out');
    });

    behavior('range: serializable reads; the member that acknowledged a write reads it at once', async (t) => {
      const r0 = await e.revision();
      e.ok(t, await e.put('ser/k', 'v', {}, 1), r0 + 1);
      t.strictSame(e.ok(t, await e.range('ser/k', { serializable: true }, 1), r0 + 1), { kvs: [kv('ser/k', r0 + 1, r0 + 1, 1, 'v')], count: '1' },
        'the writing member serves it serializably at once');
      for (const m of [0, 2]) {
        // Another member may lag behind for a serializable read, but not for long.
        const deadline = Date.now() + 10_000;
        let got: any;
        do {
          const r = await e.range('ser/k', { serializable: true }, m);
          got = r.status === 200 ? r.body : undefined;
          if (got?.kvs !== undefined) break;
          await new Promise((res) => setTimeout(res, 50));
        } while (Date.now() < deadline);
        t.strictSame(got?.kvs, [kv('ser/k', r0 + 1, r0 + 1, 1, 'v')], `member ${m} serves it serializably`);
      }
    });

    behavior('range: min/max mod/create revision filters; count is taken before filtering', async (t) => {
      const p = 'flt/';
      const r0 = await e.revision();
      for (const k of ['a', 'b', 'c', 'd']) e.ok(t, await e.put(p + k, k));
      e.ok(t, await e.put(`${p}a`, 'a2'), r0 + 5);
      const A = kv(`${p}a`, r0 + 1, r0 + 5, 2, 'a2');
      const B = kv(`${p}b`, r0 + 2, r0 + 2, 1, 'b');
      const C = kv(`${p}c`, r0 + 3, r0 + 3, 1, 'c');
      const D = kv(`${p}d`, r0 + 4, r0 + 4, 1, 'd');
      const q = (f: Record<string, unknown>) => e.range(p, { ...prefix(p), ...f });
      t.strictSame(e.ok(t, await q({ min_mod_revision: String(r0 + 3) })), { kvs: [A, C, D], count: '4' }, 'min_mod_revision');
      t.strictSame(e.ok(t, await q({ max_mod_revision: String(r0 + 3) })), { kvs: [B, C], count: '4' }, 'max_mod_revision');
      t.strictSame(e.ok(t, await q({ min_create_revision: String(r0 + 2) })), { kvs: [B, C, D], count: '4' }, 'min_create_revision');
      t.strictSame(e.ok(t, await q({ max_create_revision: String(r0 + 2) })), { kvs: [A, B], count: '4' }, 'max_create_revision');
      t.strictSame(e.ok(t, await q({ min_mod_revision: String(r0 + 2), max_mod_revision: String(r0 + 4) })), { kvs: [B, C, D], count: '4' }, 'both bounds');
      t.strictSame(e.ok(t, await q({ min_mod_revision: String(r0 + 100) })), { count: '4' }, 'everything filtered out: no kvs, count still 4');
      t.strictSame(e.ok(t, await q({ min_mod_revision: String(r0 + 3), limit: 1 })), { kvs: [A], more: true, count: '4' }, 'with limit');
      t.strictSame(e.ok(t, await q({ min_mod_revision: String(r0 + 3), count_only: true })), { count: '4' }, 'count_only ignores the filter');
      t.strictSame(e.ok(t, await q({ min_create_revision: String(r0 + 2), sort_order: 'DESCEND', sort_target: 'MOD' })), { kvs: [D, C, B], count: '4' },
        'with sorting');
    });

    // ---------------------------------------------------------------- deleterange

    behavior('deleterange: one key', async (t) => {
      const r0 = await e.revision();
      e.ok(t, await e.put('del/one', 'v'));
      e.ok(t, await e.put('del/one/child', 'v'));
      t.strictSame(e.ok(t, await e.del('del/one'), r0 + 3), { deleted: '1' }, 'deleted is an int64 string');
      t.strictSame(e.ok(t, await e.range('del/one')), {}, 'gone');
      t.strictSame(e.ok(t, await e.range('del/one/child')), { kvs: [kv('del/one/child', r0 + 2, r0 + 2, 1, 'v')], count: '1' },
        'without range_end, only the key');
      expectError(t, await e.post('/v3/kv/deleterange', {}), ERR.noKey, 'no key');
    });

    behavior('deleterange: a range with prev_kv; all deletions share one revision', async (t) => {
      const p = 'delr/';
      const r0 = await e.revision();
      for (const k of ['a', 'b', 'c']) e.ok(t, await e.put(p + k, k));
      e.ok(t, await e.put('delr0', 'outside'));
      t.strictSame(e.ok(t, await e.del(p, { ...prefix(p), prev_kv: true }), r0 + 5), {
        deleted: '3',
        prev_kvs: [kv(`${p}a`, r0 + 1, r0 + 1, 1, 'a'), kv(`${p}b`, r0 + 2, r0 + 2, 1, 'b'), kv(`${p}c`, r0 + 3, r0 + 3, 1, 'c')],
      }, 'deleted 3, prev_kvs in key order, one revision');
      t.strictSame(e.ok(t, await e.range(p, { ...prefix(p), revision: String(r0 + 4) })), { kvs: [
        kv(`${p}a`, r0 + 1, r0 + 1, 1, 'a'), kv(`${p}b`, r0 + 2, r0 + 2, 1, 'b'), kv(`${p}c`, r0 + 3, r0 + 3, 1, 'c')], count: '3' },
      'all there one revision before');
      t.strictSame(e.ok(t, await e.range(p, prefix(p))), {}, 'all gone');
      t.strictSame(e.ok(t, await e.range('delr0')), { kvs: [kv('delr0', r0 + 4, r0 + 4, 1, 'outside')], count: '1' }, 'range_end excluded');
      // Keys from \xff\xfe on are this test's alone, so range_end \0 from there deletes just them.
      const hi = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s)]);
      e.ok(t, await e.put(hi('a'), 'a'), r0 + 6);
      e.ok(t, await e.put(hi('b/c'), 'b'), r0 + 7);
      t.strictSame(e.ok(t, await e.del(hi(''), { range_end: 'AA==' }), r0 + 8), { deleted: '2' }, 'range_end \\0: every key >= key');
    });

    behavior('deleterange: deleting nothing answers no deleted and takes no revision', async (t) => {
      const r0 = await e.revision();
      t.strictSame(e.ok(t, await e.del('del/none', { prev_kv: true }), r0), {}, 'one missing key');
      t.strictSame(e.ok(t, await e.del('del/none/', { ...prefix('del/none/'), prev_kv: true }), r0), {}, 'an empty range');
      t.strictSame(e.ok(t, await e.del('z', { range_end: b64('a') }), r0), {}, 'range_end < key');
      t.equal(await e.revision(), r0, 'no revision consumed');
    });

    // ---------------------------------------------------------------- txn

    behavior('txn: every compare target with every result', async (t) => {
      const lease = await e.grant();
      const r0 = await e.revision();
      e.ok(t, await e.put('cmp/k', 'm', { lease }));
      e.ok(t, await e.put('cmp/k', 'm', { ignore_lease: true }), r0 + 2);
      // The key: version 2, create r0+1, mod r0+2, value "m", the lease.
      const actual: Record<string, [string, bigint | string]> = {
        VERSION: ['version', 2n],
        CREATE: ['create_revision', BigInt(r0 + 1)],
        MOD: ['mod_revision', BigInt(r0 + 2)],
        LEASE: ['lease', BigInt(lease)],
        VALUE: ['value', 'm'],
      };
      for (const [target, [field, value]] of Object.entries(actual)) {
        const around: [string, string | undefined, number][] = typeof value === 'bigint'
          ? [['below', String(value - 1n), 1], ['equal', String(value), 0], ['above', String(value + 1n), -1]]
          : [['below', b64('a'), 1], ['equal', b64(value), 0], ['above', b64('z'), -1]];
        for (const [where, given, cmp] of around) {
          const truth: Record<string, boolean> = { EQUAL: cmp === 0, NOT_EQUAL: cmp !== 0, GREATER: cmp > 0, LESS: cmp < 0 };
          for (const [result, want] of Object.entries(truth)) {
            const r = await e.txn({ compare: [{ key: b64('cmp/k'), target, result, [field]: given }] });
            const body = e.ok(t, r, r0 + 2, `${target} ${result} ${where}`);
            t.equal(body.succeeded, want ? true : undefined, `${target} ${result} a value ${where} the key's: ${want}`);
          }
        }
      }
      // Defaults: target VERSION, result EQUAL.
      t.equal(e.ok(t, await e.txn({ compare: [{ key: b64('cmp/k'), version: '2' }] })).succeeded, true, 'default target and result: VERSION EQUAL');
      // The target picks the field; a value in another field leaves the target's at 0.
      t.equal(e.ok(t, await e.txn({ compare: [{ key: b64('cmp/k'), target: 'VERSION', result: 'EQUAL', create_revision: String(r0 + 1) }] })).succeeded,
        undefined, 'VERSION compared with create_revision set: version 2 = 0 is false');
      t.equal(e.ok(t, await e.txn({ compare: [{ key: b64('cmp/k'), target: 'VERSION', result: 'GREATER', mod_revision: '1000' }] })).succeeded,
        true, 'VERSION compared with mod_revision set: version 2 > 0');
      expectError(t, await e.txn({ compare: [{ target: 'VERSION', result: 'EQUAL', version: '1' }] }), ERR.noKey, 'a compare without key');
    });

    behavior('txn: compares on a missing key: VALUE never holds, the others see zeros', async (t) => {
      const k = b64('cmp/missing');
      const cases: [Record<string, unknown>, boolean, string][] = [
        [{ target: 'VALUE', result: 'EQUAL', value: '' }, false, 'VALUE EQUAL ""'],
        [{ target: 'VALUE', result: 'NOT_EQUAL', value: b64('x') }, false, 'VALUE NOT_EQUAL "x"'],
        [{ target: 'VALUE', result: 'LESS', value: b64('x') }, false, 'VALUE LESS "x"'],
        [{ target: 'VERSION', result: 'EQUAL', version: '0' }, true, 'VERSION EQUAL 0'],
        [{ target: 'VERSION', result: 'GREATER', version: '0' }, false, 'VERSION GREATER 0'],
        [{ target: 'CREATE', result: 'EQUAL', create_revision: '0' }, true, 'CREATE EQUAL 0'],
        [{ target: 'MOD', result: 'LESS', mod_revision: '1' }, true, 'MOD LESS 1'],
        [{ target: 'LEASE', result: 'EQUAL', lease: '0' }, true, 'LEASE EQUAL 0'],
      ];
      for (const [cmp, want, what] of cases) {
        t.equal(e.ok(t, await e.txn({ compare: [{ key: k, ...cmp }] }), undefined, what).succeeded, want ? true : undefined, `${what}: ${want}`);
      }
    });

    behavior('txn: a compare with range_end must hold for every key in the range', async (t) => {
      e.ok(t, await e.put('rc/a', '1'));
      e.ok(t, await e.put('rc/b', '1'));
      e.ok(t, await e.put('rc/b', '2'));
      const cmp = async (c: Record<string, unknown>, key = 'rc/') =>
        e.ok(t, await e.txn({ compare: [{ key: b64(key), range_end: prefixEnd(key), ...c }] })).succeeded;
      t.equal(await cmp({ target: 'VERSION', result: 'GREATER', version: '0' }), true, 'versions 1 and 2 > 0');
      t.equal(await cmp({ target: 'VERSION', result: 'EQUAL', version: '2' }), undefined, 'not all versions are 2');
      t.equal(await cmp({ target: 'VERSION', result: 'LESS', version: '3' }), true, 'all versions < 3');
      t.equal(await cmp({ target: 'VALUE', result: 'NOT_EQUAL', value: b64('1') }), undefined, 'one value is "1"');
      t.equal(await cmp({ target: 'VALUE', result: 'GREATER', value: b64('0') }), true, 'all values > "0"');
      t.equal(await cmp({ target: 'VERSION', result: 'EQUAL', version: '0' }, 'rc/none/'), true, 'an empty range compares zeros');
      t.equal(await cmp({ target: 'VALUE', result: 'EQUAL', value: '' }, 'rc/none/'), undefined, 'VALUE on an empty range never holds');
    });

    behavior('txn: success and failure branches; succeeded left out when false', async (t) => {
      const r0 = await e.revision();
      e.ok(t, await e.put('br/k', 'v'), r0 + 1);
      const ops = (v: string) => [{ request_put: { key: b64('br/k'), value: b64(v) } }];
      const yes = [{ key: b64('br/k'), target: 'VALUE', result: 'EQUAL', value: b64('v') }];
      const no = [{ key: b64('br/k'), target: 'VALUE', result: 'EQUAL', value: b64('nope') }];
      t.strictSame(e.ok(t, await e.txn({ compare: no, success: ops('s'), failure: ops('f') }), r0 + 2),
        { responses: [{ response_put: { header: { revision: String(r0 + 2) } } }] }, 'compare false: failure ran');
      t.strictSame(e.ok(t, await e.range('br/k')).kvs, [kv('br/k', r0 + 1, r0 + 2, 2, 'f')], 'the failure branch wrote f');
      t.strictSame(e.ok(t, await e.txn({ compare: [{ ...yes[0], value: b64('f') }], success: ops('s'), failure: ops('f') }), r0 + 3),
        { succeeded: true, responses: [{ response_put: { header: { revision: String(r0 + 3) } } }] }, 'compare true: success ran');
      t.strictSame(e.ok(t, await e.range('br/k')).kvs, [kv('br/k', r0 + 1, r0 + 3, 3, 's')], 'the success branch wrote s');
      t.strictSame(e.ok(t, await e.txn({ compare: no, success: ops('s') }), r0 + 3), {}, 'compare false, no failure ops: nothing at all');
      t.strictSame(e.ok(t, await e.txn({ compare: [...yes.map((c) => ({ ...c, value: b64('s') })), ...no], success: ops('x') }), r0 + 3), {},
        'compares are ANDed');
    });

    behavior('txn: response layout; a range before the first write reads the revision before the txn', async (t) => {
      const p = 'lay/';
      const r0 = await e.revision();
      e.ok(t, await e.put(`${p}a`, '1'), r0 + 1);
      const r1 = r0 + 1;
      const r2 = r0 + 2;
      const got = e.ok(t, await e.txn({
        success: [
          { request_range: { key: b64(`${p}a`) } },
          { request_put: { key: b64(`${p}b`), value: b64('2'), prev_kv: true } },
          { request_put: { key: b64(`${p}a`), value: b64('3'), prev_kv: true } },
          { request_delete_range: { key: b64(`${p}none`), prev_kv: true } },
          { request_range: { key: b64(p), ...prefix(p) } },
        ],
      }), r2);
      t.strictSame(got, {
        succeeded: true,
        responses: [
          { response_range: { header: { revision: String(r1) }, kvs: [kv(`${p}a`, r1, r1, 1, '1')], count: '1' } },
          { response_put: { header: { revision: String(r2) } } },
          { response_put: { header: { revision: String(r2) }, prev_kv: kv(`${p}a`, r1, r1, 1, '1') } },
          { response_delete_range: { header: { revision: String(r2) } } },
          { response_range: { header: { revision: String(r2) }, kvs: [kv(`${p}a`, r1, r2, 2, '3'), kv(`${p}b`, r2, r2, 1, '2')], count: '2' } },
        ],
      }, 'nested headers carry only revision; later ops see earlier writes');
      const del = e.ok(t, await e.txn({ success: [{ request_delete_range: { key: b64(p), ...prefix(p), prev_kv: true } }] }), r0 + 3);
      t.strictSame(del, { succeeded: true, responses: [{ response_delete_range: {
        header: { revision: String(r0 + 3) }, deleted: '2', prev_kvs: [kv(`${p}a`, r1, r2, 2, '3'), kv(`${p}b`, r2, r2, 1, '2')] } }] },
          'a delete_range in a txn with prev_kv');
      const ro = e.ok(t, await e.txn({ success: [{ request_range: { key: b64(p), ...prefix(p), count_only: true } }] }), r0 + 3);
      t.strictSame(ro, { succeeded: true, responses: [{ response_range: { header: { revision: String(r0 + 3) } } }] }, 'a read-only txn');
    });

    behavior('txn: nested request_txn', async (t) => {
      const p = 'nest/';
      const r0 = await e.revision();
      e.ok(t, await e.put(`${p}flag`, 'on'), r0 + 1);
      const inner = (v: string) => ({
        request_txn: {
          compare: [{ key: b64(`${p}flag`), target: 'VALUE', result: 'EQUAL', value: b64(v) }],
          success: [{ request_put: { key: b64(`${p}x`), value: b64('from-success') } }],
          failure: [{ request_range: { key: b64(`${p}flag`), keys_only: true } }],
        },
      });
      t.strictSame(e.ok(t, await e.txn({ success: [inner('on'), { request_range: { key: b64(`${p}x`) } }] }), r0 + 2), {
        succeeded: true,
        responses: [
          { response_txn: { header: {}, succeeded: true, responses: [{ response_put: { header: { revision: String(r0 + 2) } } }] } },
          { response_range: { header: { revision: String(r0 + 2) }, kvs: [kv(`${p}x`, r0 + 2, r0 + 2, 1, 'from-success')], count: '1' } },
        ],
      }, 'inner success; a nested txn response has an empty header');
      t.strictSame(e.ok(t, await e.txn({ success: [inner('off')] }), r0 + 2), {
        succeeded: true,
        responses: [{ response_txn: { header: {}, responses: [{ response_range: {
          header: { revision: String(r0 + 2) }, kvs: [kv(`${p}flag`, r0 + 1, r0 + 1, 1)], count: '1' } }] } }],
      }, 'inner failure');
      const deep = { request_txn: { success: [{ request_txn: { success: [{ request_put: { key: b64(`${p}deep`), value: b64('d') } }] } }] } };
      t.strictSame(e.ok(t, await e.txn({ success: [deep] }), r0 + 3), {
        succeeded: true,
        responses: [{ response_txn: { header: {}, succeeded: true, responses: [{ response_txn: { header: {}, succeeded: true, responses: [
          { response_put: { header: { revision: String(r0 + 3) } } }] } }] } }],
      }, 'two levels');
    });

    behavior('txn: a write txn takes one revision; a read-only or no-op txn takes none', async (t) => {
      const p = 'one/';
      const r0 = await e.revision();
      const put = (k: string, v: string) => ({ request_put: { key: b64(p + k), value: b64(v) } });
      e.ok(t, await e.txn({ success: [put('a', '1'), put('b', '1'), put('c', '1')] }), r0 + 1, 'three puts');
      t.strictSame(e.ok(t, await e.range(p, prefix(p)), r0 + 1).kvs, ['a', 'b', 'c'].map((k) => kv(p + k, r0 + 1, r0 + 1, 1, '1')),
        'one mod_revision for all');
      e.ok(t, await e.txn({ success: [put('a', '2'), { request_delete_range: { key: b64(`${p}b`) } }] }), r0 + 2, 'a put and a delete');
      e.ok(t, await e.txn({ success: [{ request_range: { key: b64(p), ...prefix(p) } }] }), r0 + 2, 'read-only');
      e.ok(t, await e.txn({ success: [{ request_delete_range: { key: b64(`${p}none`) } }] }), r0 + 2, 'deleting nothing');
      e.ok(t, await e.txn({ compare: [{ key: b64(`${p}a`), version: '99' }], success: [put('a', 'x')] }), r0 + 2, 'failed compare, no failure ops');
      e.ok(t, await e.txn({ compare: [{ key: b64(`${p}a`), version: '99' }], failure: [put('c', '2')] }), r0 + 3, 'failure branch writes');
      t.equal(await e.revision(), r0 + 3, 'three write txns, three revisions');
    });

    behavior('txn: the same key written twice is InvalidArgument, and nothing is written', async (t) => {
      const r0 = await e.revision();
      const put = (k: string) => ({ request_put: { key: b64(k), value: b64('v') } });
      const del = (k: string, end?: string) => ({ request_delete_range: { key: b64(k), ...(end === undefined ? {} : { range_end: b64(end) }) } });
      expectError(t, await e.txn({ success: [put('dup/k'), put('dup/k')] }), ERR.duplicateKey, 'put, put');
      expectError(t, await e.txn({ success: [put('dup/k'), del('dup/k')] }), ERR.duplicateKey, 'put, delete');
      expectError(t, await e.txn({ success: [del('dup/', 'dup0'), put('dup/k')] }), ERR.duplicateKey, 'a delete range covering a put');
      expectError(t, await e.txn({ success: [put('dup/k'), { request_txn: { success: [put('dup/k')] } }] }), ERR.duplicateKey, 'put, nested put');
      expectError(t, await e.txn({ success: [put('dup/k'), { request_txn: { failure: [put('dup/k')] } }] }), ERR.duplicateKey,
        'put, and a put in the nested failure branch');
      expectError(t, await e.txn({ failure: [put('dup/k'), put('dup/k')] }), ERR.duplicateKey, 'in the branch not taken too');
      t.equal(await e.revision(), r0, 'nothing written');
      t.strictSame(e.ok(t, await e.range('dup/k')), {}, 'nothing written');
      e.ok(t, await e.txn({ success: [del('dup/k'), del('dup/k')] }), r0, 'deleting a key twice is fine');
      e.ok(t, await e.txn({ success: [put('dup/k')], failure: [put('dup/k')] }), r0 + 1, 'one key in both branches is fine');
      e.ok(t, await e.txn({ success: [put('dup/k'), { request_range: { key: b64('dup/k') } }] }), r0 + 2, 'a put and a range is fine');
    });

    behavior('txn: more than 128 operations per list is InvalidArgument (--max-txn-ops)', async (t) => {
      const r0 = await e.revision();
      const ranges = (n: number) => Array.from({ length: n }, (_, i) => ({ request_range: { key: b64(`ops/${i}`) } }));
      const puts = (n: number) => Array.from({ length: n }, (_, i) => ({ request_put: { key: b64(`ops/${i}`), value: b64('v') } }));
      const compares = (n: number) => Array.from({ length: n }, () => ({ key: b64('ops/0'), version: '0' }));
      expectError(t, await e.txn({ success: ranges(129) }), ERR.tooManyOps, '129 ranges');
      expectError(t, await e.txn({ success: puts(129) }), ERR.tooManyOps, '129 puts');
      expectError(t, await e.txn({ failure: ranges(129) }), ERR.tooManyOps, '129 failure ops');
      expectError(t, await e.txn({ compare: compares(129) }), ERR.tooManyOps, '129 compares');
      expectError(t, await e.txn({ success: [{ request_txn: { success: ranges(129) } }] }), ERR.tooManyOps, '129 ops in a nested txn');
      t.equal(await e.revision(), r0, 'nothing written');
      const ok = e.ok(t, await e.txn({ success: puts(128) }), r0 + 1, '128 puts');
      t.equal(ok.responses?.length, 128, '128 responses');
      e.ok(t, await e.txn({ compare: compares(128), success: ranges(64), failure: ranges(65) }), r0 + 1, 'the limit is per list');
      // A nested txn may hold only what its parent leaves: 128 minus the parent's longest list.
      const nested = (outer: number, inner: number) => ({ success: [...ranges(outer - 1), { request_txn: { success: ranges(inner) } }] });
      expectError(t, await e.txn(nested(100, 29)), ERR.tooManyOps, '100 outer ops and 29 nested');
      t.equal(e.ok(t, await e.txn(nested(100, 28)), r0 + 1, '100 outer ops and 28 nested').responses?.length, 100, '100 responses');
      expectError(t, await e.txn({ compare: compares(100), success: [{ request_txn: { success: ranges(29) } }] }), ERR.tooManyOps,
        '100 compares and 29 nested');
    });

    behavior('txn: an error in the branch taken fails the whole txn; the branch not taken is not checked', async (t) => {
      const r0 = await e.revision();
      e.ok(t, await e.put('terr/k', 'v'), r0 + 1);
      const good = { request_put: { key: b64('terr/good'), value: b64('v') } };
      expectError(t, await e.txn({ success: [good, { request_put: { key: b64('terr/l'), value: b64('v'), lease: '4242' } }] }), ERR.leaseNotFound,
        'a put with a lease that does not exist');
      expectError(t, await e.txn({ success: [good, { request_put: { key: b64('terr/missing'), ignore_value: true } }] }), ERR.keyNotFound,
        'ignore_value on a missing key');
      // A range that fails in a txn that also writes is left out: real etcd 3.4 drops range ops on the
      // members the client is not connected to, so they apply the write that the client's member
      // refuses (etcd-io/etcd#18667). A read-only txn shows the same error without the divergence.
      const future = { request_range: { key: b64('terr/k'), revision: String(r0 + 50) } };
      expectError(t, await e.txn({ success: [{ request_range: { key: b64('terr/k') } }, future] }), ERR.future, 'a range at a future revision');
      expectError(t, await e.txn({ success: [good, { request_range: { range_end: b64('x') } }] }), ERR.noKey, 'a range without key');
      t.equal(await e.revision(), r0 + 1, 'nothing written');
      t.strictSame(e.ok(t, await e.range('terr/good')), {}, 'the good put of the failed txns was not applied');
      const notTaken = { compare: [{ key: b64('terr/k'), version: '5' }],
        success: [{ request_put: { key: b64('terr/l'), value: b64('v'), lease: '4242' } }], failure: [good] };
      t.strictSame(e.ok(t, await e.txn(notTaken), r0 + 2), { responses: [{ response_put: { header: { revision: String(r0 + 2) } } }] },
        'a missing lease in the branch not taken');
      // What the request alone shows to be wrong is refused in both branches.
      const shape = (op: Record<string, unknown>) => ({ compare: [{ key: b64('terr/k'), version: '5' }], success: [op] });
      expectError(t, await e.txn(shape({ request_put: { key: b64('terr/k'), value: b64('v'), ignore_value: true } })), ERR.valueProvided,
        'ignore_value with a value in the branch not taken');
      expectError(t, await e.txn(shape({ request_put: { key: b64('terr/k'), lease: '1', ignore_lease: true } })), ERR.leaseProvided,
        'ignore_lease with a lease in the branch not taken');
      expectError(t, await e.txn(shape({ request_put: { value: b64('v') } })), ERR.noKey, 'a put without key in the branch not taken');
      expectError(t, await e.txn(shape({ request_delete_range: {} })), ERR.noKey, 'a delete without key in the branch not taken');
    });

    // ---------------------------------------------------------------- request size

    behavior('request too large: more than 1.5 MiB to be proposed is InvalidArgument (--max-request-bytes)', async (t) => {
      const r0 = await e.revision();
      const MiB = 1024 * 1024;
      const justUnder = Buffer.alloc(1.5 * MiB - 1024, 0x78);
      const over = Buffer.alloc(1.5 * MiB + 1, 0x78);
      expectError(t, await e.put('big/over', over), ERR.tooLarge, 'a put of 1.5 MiB + 1');
      expectError(t, await e.txn({ success: [{ request_put: { key: b64('big/over'), value: b64(over) } }] }), ERR.tooLarge, 'a txn of 1.5 MiB + 1');
      const part = justUnder.subarray(0, 800 * 1024);
      const two = [{ request_put: { key: b64('big/a'), value: b64(part) } }, { request_put: { key: b64('big/b'), value: b64(part) } }];
      expectError(t, await e.txn({ success: two }), ERR.tooLarge, 'a txn of 2 x 800 KiB');
      t.equal(await e.revision(), r0, 'nothing written');
      e.ok(t, await e.put('big/under', justUnder), r0 + 1, 'a put of 1.5 MiB - 1 KiB: the limit counts the value bytes, not their base64');
      const back = e.ok(t, await e.range('big/under', { keys_only: true }));
      t.strictSame(back.kvs, [kv('big/under', r0 + 1, r0 + 1, 1)], 'the kv of the 1.5 MiB - 1 KiB value');
      const big = e.ok(t, await e.range('big/under'));
      t.equal(big.kvs?.[0]?.value?.length, b64(justUnder).length, 'the value comes back whole');
      e.ok(t, await e.del('big/under'), r0 + 2);
      // A read is not proposed, so a long key in a range is not limited.
      t.strictSame(e.ok(t, await e.range(Buffer.alloc(1.5 * MiB + 1, 0x79))), {}, 'a range with a key of 1.5 MiB + 1');
    });

    behavior('request too large: beyond 2 MiB the gRPC layer refuses it with ResourceExhausted, HTTP 429', async (t) => {
      const r0 = await e.revision();
      let r;
      try {
        r = await e.put('big/huge', Buffer.alloc(2_200_000, 0x78));
      } catch (err) {
        t.fail(`an HTTP reply, not a failed connection: ${(err as Error).message}`);
        return;
      }
      t.equal(r.status, 429, 'HTTP 429');
      t.strictSame(Object.keys(r.body ?? {}).sort(), ['code', 'error', 'message'], '{error, message, code}');
      t.equal(r.body?.code, 8, 'code 8 (ResourceExhausted)');
      t.match(r.body?.error, /^grpc: received message larger than max \(\d+ vs\. 2097152\)$/, 'the gRPC receive limit message');
      t.equal(r.body?.message, r.body?.error, 'message = error');
      t.equal(await e.revision(), r0, 'nothing written');
    });

    // ---------------------------------------------------------------- across members

    behavior('a write acknowledged by one member is seen at once by a linearizable range on every other', async (t) => {
      for (let w = 0; w < 3; w++) {
        const before = await e.revision(w);
        const rev = before + 1;
        e.ok(t, await e.put(`lin/${w}`, `from-${w}`, {}, w), rev, `put through member ${w}`);
        for (let m = 0; m < 3; m++) {
          t.strictSame(e.ok(t, await e.range(`lin/${w}`, {}, m), rev, `range on member ${m}`), { kvs: [kv(`lin/${w}`, rev, rev, 1, `from-${w}`)], count: '1' },
            `member ${m} sees the put through member ${w}`);
        }
        e.ok(t, await e.txn({ success: [{ request_delete_range: { key: b64(`lin/${w}`) } }] }, (w + 1) % 3), rev + 1, 'delete in a txn');
        t.strictSame(e.ok(t, await e.range(`lin/${w}`, {}, (w + 2) % 3), rev + 1), {}, 'the third member sees the delete');
      }
    });

    behavior('every member answers with the same cluster_id and its own member_id', async (t) => {
      t.equal(new Set(e.ids).size, 3, 'three member ids');
      t.ok(e.ids.every((id) => /^[1-9]\d*$/.test(id)), 'ids are uint64 strings');
      for (let m = 0; m < 3; m++) e.ok(t, await e.range('anything', {}, m), undefined, `member ${m}`);
    });

    // ---------------------------------------------------------------- compaction (last: it forgets history)

    behavior('compaction: a future revision is OutOfRange', async (t) => {
      const r0 = await e.revision();
      expectError(t, await e.post('/v3/kv/compaction', { revision: String(r0 + 1) }), ERR.future, 'the next revision');
      t.equal(await e.revision(), r0, 'no revision consumed');
    });

    behavior('compaction: older revisions are gone on every member; the compacted one and later are readable', async (t) => {
      const r0 = await e.revision();
      for (const v of ['v1', 'v2', 'v3']) e.ok(t, await e.put('cmp2/k', v));
      const [r1, r2, r3] = [r0 + 1, r0 + 2, r0 + 3];
      t.strictSame(e.ok(t, await e.post('/v3/kv/compaction', { revision: String(r2) }), r3, 'compact'), {}, 'answers its header; takes no revision');
      for (let m = 0; m < 3; m++) {
        expectError(t, await e.range('cmp2/k', { revision: String(r1) }, m), ERR.compacted, `member ${m}: below the compaction`);
        t.strictSame(e.ok(t, await e.range('cmp2/k', { revision: String(r2) }, m), r3), { kvs: [kv('cmp2/k', r1, r2, 2, 'v2')], count: '1' },
          `member ${m}: at the compaction`);
        t.strictSame(e.ok(t, await e.range('cmp2/k', { revision: String(r3) }, m), r3), { kvs: [kv('cmp2/k', r1, r3, 3, 'v3')], count: '1' },
          `member ${m}: after it`);
      }
      expectError(t, await e.range('cmp2/k', { revision: '1' }), ERR.compacted, 'revision 1');
      expectError(t, await e.txn({ success: [{ request_range: { key: b64('cmp2/k'), revision: String(r1) } }] }), ERR.compacted, 'in a txn');
      t.strictSame(e.ok(t, await e.range('cmp2/k'), r3), { kvs: [kv('cmp2/k', r1, r3, 3, 'v3')], count: '1' }, 'the present is untouched');
    });

    behavior('compaction: compacting at or below the compacted revision is OutOfRange', async (t) => {
      const r0 = await e.revision();
      e.ok(t, await e.put('cmp3/k', 'v'), r0 + 1);
      e.ok(t, await e.post('/v3/kv/compaction', { revision: String(r0) }), r0 + 1, 'compact');
      expectError(t, await e.post('/v3/kv/compaction', { revision: String(r0) }), ERR.compacted, 'the same revision again');
      expectError(t, await e.post('/v3/kv/compaction', { revision: String(r0 - 1) }), ERR.compacted, 'a lower revision');
      expectError(t, await e.post('/v3/kv/compaction', {}), ERR.compacted, 'revision 0');
      expectError(t, await e.post('/v3/kv/compaction', { revision: '-1' }), ERR.compacted, 'a negative revision');
      t.strictSame(e.ok(t, await e.post('/v3/kv/compaction', { revision: String(r0 + 1), physical: true }), r0 + 1, 'physical'), {},
        'physical: answers once compacted');
      expectError(t, await e.range('cmp3/k', { revision: String(r0) }, 1), ERR.compacted, 'then on another member');
      t.equal(await e.revision(), r0 + 1, 'compaction takes no revision');
    });
  });
}
