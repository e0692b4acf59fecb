// The MVCC store and applier against a naive model: random puts, deletes, txns and compactions
// (fast-check, seeded), then every readable revision's contents, counts, and the event history
// from every start revision must be what the model says. Also snapshot/restore round trips.
import fc from 'fast-check';
import t from 'tap';
import { Applier } from '../src/apply/applier.js';
import type { InternalRequest } from '../src/apply/request.js';
import { decodeRequest, encodeRequest } from '../src/apply/request.js';

interface ModelKv { value: string; create: number; mod: number; version: number }
type State = Map<string, ModelKv>;
interface ModelEvent { rev: number; type: 'PUT' | 'DELETE'; key: string; value: string }

const keys = ['a', 'a/1', 'a/2', 'b', 'b/x', 'c'];
const key = fc.constantFrom(...keys);
const op = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), key, value: fc.string({ maxLength: 4 }) }),
  fc.record({ kind: fc.constant('del' as const), key, prefix: fc.boolean() }),
  fc.record({ kind: fc.constant('txn' as const), key, value: fc.string({ maxLength: 4 }), other: key, expectVersion: fc.nat(3) }),
  fc.record({ kind: fc.constant('compact' as const), back: fc.nat(6) }),
);

const buf = (s: string) => Buffer.from(s, 'utf8');
const prefixEnd = (p: string) => buf(p.slice(0, -1) + String.fromCharCode(p.charCodeAt(p.length - 1) + 1));

t.test('store and applier agree with a naive model', async (t) => {
  fc.assert(
    fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), (ops) => {
      const a = new Applier();
      const states: State[] = [new Map(), new Map()]; // states[rev]; revision 1 is the empty start
      const events: ModelEvent[] = [];
      let rev = 1;
      let compacted = 0;
      const commit = (next: State, evs: ModelEvent[]) => {
        if (evs.length === 0) return;
        rev++;
        states[rev] = next;
        events.push(...evs);
      };
      const modelPut = (s: State, k: string, v: string, r: number): ModelEvent => {
        const prev = s.get(k);
        s.set(k, { value: v, create: prev ? prev.create : r, mod: r, version: prev ? prev.version + 1 : 1 });
        return { rev: r, type: 'PUT', key: k, value: v };
      };
      for (const o of ops) {
        const s = new Map(states[rev]);
        let req: InternalRequest;
        if (o.kind === 'put') {
          req = { put: { key: buf(o.key), value: buf(o.value) } };
          commit(s, [modelPut(s, o.key, o.value, rev + 1)]);
        } else if (o.kind === 'del') {
          req = { deleteRange: { key: buf(o.key), rangeEnd: o.prefix ? prefixEnd(o.key) : undefined } };
          const victims = [...s.keys()].filter((k) => (o.prefix ? k.startsWith(o.key) : k === o.key)).sort();
          for (const k of victims) s.delete(k);
          commit(s, victims.map((k) => ({ rev: rev + 1, type: 'DELETE' as const, key: k, value: '' })));
        } else if (o.kind === 'txn') {
          // if version(key) == n then put key, else delete other and read key
          req = {
            txn: {
              compare: [{ result: 'EQUAL', target: 'VERSION', key: buf(o.key), version: o.expectVersion }],
              success: [{ requestPut: { key: buf(o.key), value: buf(o.value) } }],
              failure: [{ requestDeleteRange: { key: buf(o.other) } }, { requestRange: { key: buf(o.key) } }],
            },
          };
          if ((s.get(o.key)?.version ?? 0) === o.expectVersion) commit(s, [modelPut(s, o.key, o.value, rev + 1)]);
          else if (s.delete(o.other)) commit(s, [{ rev: rev + 1, type: 'DELETE', key: o.other, value: '' }]);
        } else {
          const target = Math.max(1, rev - o.back);
          req = { compaction: { revision: target } };
          if (target > compacted) compacted = target;
        }
        // Every request goes through the log encoding, as on a real member.
        a.apply(decodeRequest(encodeRequest(req)));
      }
      if (a.currentRevision !== rev) throw new Error(`revision ${a.currentRevision}, model ${rev}`);
      for (let r = Math.max(1, compacted); r <= rev; r++) {
        const got = a.range({ key: buf('\0'), rangeEnd: buf('\0'), revision: r });
        const want = [...states[r]!].sort(([x], [y]) => (x < y ? -1 : 1));
        const gotFlat = got.kvs.map((kv) => [kv.key.toString(), kv.value.toString(), kv.createRevision, kv.modRevision, kv.version]);
        const wantFlat = want.map(([k, v]) => [k, v.value, v.create, v.mod, v.version]);
        if (JSON.stringify(gotFlat) !== JSON.stringify(wantFlat)) throw new Error(`range at ${r}: ${JSON.stringify(gotFlat)} != ${JSON.stringify(wantFlat)}`);
        if (got.count !== want.length) throw new Error(`count at ${r}`);
        const evs = a.eventsSince(r, buf('\0'), buf('\0')).map((e) => [e.kv.modRevision, e.type, e.kv.key.toString(), e.kv.value.toString()]);
        const wantEvs = events.filter((e) => e.rev >= r).map((e) => [e.rev, e.type, e.key, e.value]);
        if (JSON.stringify(evs) !== JSON.stringify(wantEvs)) throw new Error(`events since ${r}: ${JSON.stringify(evs)} != ${JSON.stringify(wantEvs)}`);
      }
      if (compacted > 1) {
        const old = a.apply({ put: { key: buf('z'), value: buf('') } });
        if (!old.ok) throw new Error('put failed');
      }
      const copy = new Applier();
      copy.restore(a.snapshot());
      if (Buffer.compare(Buffer.from(copy.snapshot()), Buffer.from(a.snapshot())) !== 0) throw new Error('snapshot round trip differs');
    }),
    { seed: 42, numRuns: 300 },
  );
  t.pass('300 random histories agree with the model');
});

t.test('a failing request changes nothing', async (t) => {
  const a = new Applier();
  a.apply({ put: { key: buf('k'), value: buf('v') } });
  const before = Buffer.from(a.snapshot());
  const out = a.apply({
    txn: { compare: [], success: [{ requestPut: { key: buf('x'), value: buf('1') } }, { requestPut: { key: buf('y'), value: buf('2'), lease: 77n } }], failure: [] },
  });
  t.equal(out.ok, false);
  t.equal(!out.ok && out.error.message, 'etcdserver: requested lease not found');
  t.same(Buffer.from(a.snapshot()), before, 'no partial write: the first put of the txn was not applied');
  t.equal(a.currentRevision, 2);
});

t.test('compaction: reads before it fail, reads at it work, events of it stay', async (t) => {
  const a = new Applier();
  a.apply({ put: { key: buf('k'), value: buf('1') } }); // rev 2
  a.apply({ put: { key: buf('k'), value: buf('2') } }); // rev 3
  a.apply({ deleteRange: { key: buf('k') } }); // rev 4
  a.apply({ put: { key: buf('j'), value: buf('x') } }); // rev 5
  t.equal(a.apply({ compaction: { revision: 4 } }).ok, true);
  t.throws(() => a.range({ key: buf('k'), revision: 3 }), { message: 'etcdserver: mvcc: required revision has been compacted' });
  t.same(a.range({ key: buf('k'), revision: 4 }).kvs, [], 'the key is deleted as of the compaction revision');
  t.same(a.eventsSince(4, buf('\0'), buf('\0')).map((e) => [e.type, e.kv.modRevision]), [['DELETE', 4], ['PUT', 5]]);
  const again = a.apply({ compaction: { revision: 4 } });
  t.equal(!again.ok && again.error.message, 'etcdserver: mvcc: required revision has been compacted');
  const future = a.apply({ compaction: { revision: 9 } });
  t.equal(!future.ok && future.error.message, 'etcdserver: mvcc: required revision is a future revision');
});

t.test('requests survive the log encoding exactly', async (t) => {
  const requests: InternalRequest[] = [
    { put: { key: buf('k'), value: buf('') } },
    { put: { key: Buffer.from([0, 255, 10]), value: Buffer.alloc(70_000, 7), lease: 7_000_000_000_000_000_001n, prevKv: true } },
    { put: { key: buf('k'), value: buf(''), ignoreValue: true, ignoreLease: true } },
    { deleteRange: { key: buf('a'), rangeEnd: buf('\0'), prevKv: true } },
    { txn: { compare: [{ result: 'LESS', target: 'LEASE', key: buf('x'), lease: 5n }], success: [{ requestPut: { key: buf('x'), value: buf('1'), lease: 5n } }], failure: [{ requestRange: { key: buf('x'), limit: 3 } }] } },
    { leaseGrant: { id: 9_007_199_254_740_993n, ttl: 30 } },
    { compaction: { revision: 12 } },
  ];
  for (const r of requests) t.same(decodeRequest(encodeRequest(r)), r, Object.keys(r)[0]!);
});
