// Conformance of the cluster side of etcd 3.4's client port: /health, /version, maintenance
// status, member list, the /v3beta alias, what unknown paths and methods answer, and how a
// body that is not JSON is refused. The same assertions run against a three-member real
// etcd 3.4 and a three-member kubets-etcd (ETCD_CONFORMANCE_KINDS); every expectation here
// was read off real etcd 3.4.23. Ids and sizes differ between implementations, so only
// their shape is checked.

import t from 'tap';
import { b64 } from './support/etcd-client.js';
import { ERR, Etcd, expectDecodeError, expectError, kv } from './support/conformance.js';
import { conformanceKinds, startConformanceCluster } from './support/kinds.js';
import { mediaType, raw } from './support/raw-http.js';

const UINT64 = /^[1-9]\d*$/;
const UINT64_OR_0 = /^\d+$/;

for (const kind of conformanceKinds()) {
  t.test(kind, async (t) => {
    const c = await startConformanceCluster(kind);
    t.teardown(() => c.stop());
    const e = await Etcd.connect(c);
    const members = [0, 1, 2];

    t.test('GET /health: {"health":"true"} on every member', async (t) => {
      for (const m of members) {
        const r = await raw(e.url(m), 'GET', '/health');
        t.equal(r.status, 200, `member ${m}: HTTP 200`);
        t.strictSame(r.body, { health: 'true' }, `member ${m}: health is the string "true"`);
        // etcd writes it without a content type, so Go's sniffing makes it text/plain.
        t.equal(mediaType(r), 'text/plain', `member ${m}: text/plain`);
      }
    });

    t.test('GET /version: etcdserver 3.4.x, etcdcluster 3.4.0', async (t) => {
      for (const m of members) {
        const r = await raw(e.url(m), 'GET', '/version');
        t.equal(r.status, 200, `member ${m}: HTTP 200`);
        t.equal(mediaType(r), 'application/json', `member ${m}: application/json`);
        t.strictSame(Object.keys(r.body ?? {}).sort(), ['etcdcluster', 'etcdserver'], `member ${m}: two fields`);
        t.match(r.body?.etcdserver, /^3\.4\.\d+$/, `member ${m}: an etcd 3.4 server version`);
        t.equal(r.body?.etcdcluster, '3.4.0', `member ${m}: the cluster version is major.minor.0`);
      }
    });

    t.test('POST /v3/maintenance/status: the fields and their types; members agree on the leader', async (t) => {
      const version = (await raw(e.url(), 'GET', '/version')).body?.etcdserver;
      const leaders = new Set<string>();
      for (const m of members) {
        const r = await e.post('/v3/maintenance/status', {}, m);
        const s = e.ok(t, r, undefined, `status of member ${m}`);
        // errors (empty) and isLearner (false) are default-valued, so left out.
        t.strictSame(Object.keys(s).sort(), ['dbSize', 'dbSizeInUse', 'leader', 'raftAppliedIndex', 'raftIndex', 'raftTerm', 'version'],
          `member ${m}: the fields of StatusResponse`);
        t.equal(s.version, version, `member ${m}: the version /version reports`);
        for (const f of ['dbSize', 'dbSizeInUse', 'raftIndex', 'raftAppliedIndex', 'raftTerm']) {
          t.match(s[f], UINT64, `member ${m}: ${f} is a non-zero int64 string`);
        }
        t.ok(BigInt(s.raftAppliedIndex ?? 0) <= BigInt(s.raftIndex ?? 0), `member ${m}: raftAppliedIndex <= raftIndex`);
        t.ok(BigInt(s.dbSizeInUse ?? 0) <= BigInt(s.dbSize ?? 0), `member ${m}: dbSizeInUse <= dbSize`);
        t.equal(s.raftTerm, r.body?.header?.raft_term, `member ${m}: raftTerm is the header's raft_term`);
        t.ok(e.ids.includes(s.leader), `member ${m}: the leader is a member`);
        leaders.add(s.leader);
      }
      t.equal(leaders.size, 1, 'one leader for all');
      expectDecodeError(t, await e.post('/v3/maintenance/status', 'garbage'), 'status with a body that is not JSON');
      e.ok(t, await e.post('/v3/maintenance/status', ''), undefined, 'status with an empty body');
    });

    t.test('POST /v3/cluster/member/list: three members sorted by ID; the header has no revision', async (t) => {
      for (const m of members) {
        const r = await e.post('/v3/cluster/member/list', {}, m);
        t.equal(r.status, 200, `member ${m}: HTTP 200`);
        const { header, members: list, ...rest } = r.body ?? {};
        t.strictSame(rest, {}, `member ${m}: only header and members`);
        t.strictSame(Object.keys(header ?? {}).sort(), ['cluster_id', 'member_id', 'raft_term'], `member ${m}: no revision in the header`);
        t.strictSame([header?.cluster_id, header?.member_id], [e.clusterId, e.ids[m]], `member ${m}: its own ids`);
        t.match(header?.raft_term, UINT64, 'raft_term is a uint64 string');
        t.equal(list?.length, 3, `member ${m}: three members`);
        const ids: string[] = (list ?? []).map((x: any) => x.ID);
        t.ok(ids.every((id) => typeof id === 'string' && UINT64.test(id)), `member ${m}: IDs are uint64 strings`);
        t.strictSame(ids, [...ids].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0)), `member ${m}: sorted by ID`);
        for (const x of list ?? []) {
          const i = Number(String(x.name).slice(1));
          // isLearner (false) is default-valued, so left out.
          t.strictSame(x, { ID: e.ids[i], name: `m${i}`, peerURLs: [c.peerUrls[i]], clientURLs: [c.clientUrls[i]] }, `member ${m} lists ${x.name}`);
        }
      }
      expectDecodeError(t, await e.post('/v3/cluster/member/list', 'garbage'), 'member list with a body that is not JSON');
    });

    t.test('/v3beta/ is an alias of /v3/; /v3alpha/ is not served', async (t) => {
      const r0 = await e.revision();
      e.ok(t, await e.post('/v3beta/kv/put', { key: b64('beta/k'), value: b64('v') }), r0 + 1, 'v3beta put');
      t.strictSame(e.ok(t, await e.post('/v3beta/kv/range', { key: b64('beta/k') }, 1), r0 + 1, 'v3beta range'),
        { kvs: [kv('beta/k', r0 + 1, r0 + 1, 1, 'v')], count: '1' }, 'the kv through /v3beta');
      t.strictSame(e.ok(t, await e.range('beta/k', {}, 2), r0 + 1, 'v3 range'), { kvs: [kv('beta/k', r0 + 1, r0 + 1, 1, 'v')], count: '1' },
        'the same store');
      t.strictSame(e.ok(t, await e.post('/v3beta/kv/txn', { success: [{ request_range: { key: b64('beta/k'), count_only: true } }] }), r0 + 1, 'v3beta txn'),
        { succeeded: true, responses: [{ response_range: { header: { revision: String(r0 + 1) }, count: '1' } }] }, 'a txn through /v3beta');
      t.strictSame(e.ok(t, await e.post('/v3beta/kv/deleterange', { key: b64('beta/k') }), r0 + 2, 'v3beta deleterange'), { deleted: '1' },
        'a deleterange through /v3beta');
      expectError(t, await e.post('/v3beta/kv/range', { key: b64('beta/k'), revision: String(r0 + 5) }), ERR.future, 'v3beta errors');
      e.ok(t, await e.post('/v3beta/maintenance/status', {}), undefined, 'v3beta status');
      const list = await e.post('/v3beta/cluster/member/list', {});
      t.equal(list.status, 200, 'v3beta member list');
      t.equal(list.body?.members?.length, 3, 'three members through /v3beta');
      const alpha = await raw(e.url(), 'POST', '/v3alpha/kv/range', JSON.stringify({ key: b64('beta/k') }));
      t.equal(alpha.status, 404, '/v3alpha/kv/range: 404');
      t.equal(alpha.text, '404 page not found\n', '/v3alpha/kv/range: the 404 text of the Go mux');
    });

    t.test('unknown paths are 404 and known paths with another method 405, as plain text', async (t) => {
      // Under /v3/ the gateway answers; elsewhere Go's mux does, with its own text.
      const cases: [string, 'GET' | 'POST' | 'PUT' | 'DELETE', string, number, string][] = [
        ['unknown method under /v3/kv', 'POST', '/v3/kv/nope', 404, 'Not Found\n'],
        ['unknown service under /v3', 'POST', '/v3/nope', 404, 'Not Found\n'],
        ['unknown path under /v3beta', 'POST', '/v3beta/nope', 404, 'Not Found\n'],
        ['GET of an unknown path under /v3', 'GET', '/v3/kv/nope', 404, 'Not Found\n'],
        ['a path outside /v3', 'POST', '/nope', 404, '404 page not found\n'],
        ['the root', 'GET', '/', 404, '404 page not found\n'],
        ['GET of /v3/kv/range', 'GET', '/v3/kv/range', 405, 'Method Not Allowed\n'],
        ['PUT of /v3/kv/put', 'PUT', '/v3/kv/put', 405, 'Method Not Allowed\n'],
        ['GET of /v3/maintenance/status', 'GET', '/v3/maintenance/status', 405, 'Method Not Allowed\n'],
        ['POST of /health', 'POST', '/health', 405, 'Method Not Allowed\n'],
        ['POST of /version', 'POST', '/version', 405, 'Method Not Allowed\n'],
      ];
      for (const [what, method, path, status, text] of cases) {
        const r = await raw(e.url(), method, path, method === 'GET' ? undefined : '{}', method === 'GET' ? {} : { 'content-type': 'application/json' });
        t.equal(r.status, status, `${what} (${method} ${path}): HTTP ${status}`);
        t.equal(r.text, text, `${what}: ${JSON.stringify(text)}`);
        t.equal(mediaType(r), 'text/plain', `${what}: text/plain`);
      }
    });

    t.test('a body that is not JSON is InvalidArgument with etcd\'s error shape', async (t) => {
      const bodies: [string, string][] = [
        ['a truncated object', '{"key":'],
        ['not JSON at all', 'notjson'],
        ['a JSON array', '[{"key":"YQ=="}]'],
      ];
      for (const path of ['/v3/kv/range', '/v3/kv/put', '/v3/kv/txn', '/v3/kv/deleterange']) {
        for (const [what, body] of bodies) {
          const r = await raw(e.url(), 'POST', path, body, { 'content-type': 'application/json' });
          expectDecodeError(t, r, `${path}: ${what}`);
          t.equal(mediaType(r), 'application/json', `${path}: ${what}: application/json`);
        }
      }
      const r0 = await e.revision();
      t.equal(r0, await e.revision(1), 'nothing happened');
    });

    t.test('the body is read as JSON whatever its content type; null is an empty message', async (t) => {
      const r0 = await e.revision();
      e.ok(t, await e.put('ct/k', 'v'), r0 + 1);
      for (const ct of ['text/plain', 'application/x-www-form-urlencoded']) {
        const r = await raw(e.url(), 'POST', '/v3/kv/range', JSON.stringify({ key: b64('ct/k') }), { 'content-type': ct });
        t.equal(r.status, 200, `content-type ${ct}`);
        t.strictSame(r.body?.kvs, [kv('ct/k', r0 + 1, r0 + 1, 1, 'v')], `content-type ${ct}: the range`);
        t.equal(mediaType(r), 'application/json', `content-type ${ct}: answered as JSON`);
      }
      expectError(t, await e.post('/v3/kv/range', 'null'), ERR.noKey, 'a null body is an empty RangeRequest');
    });

    t.test('the body is one JSON value; what follows it is not read', async (t) => {
      // Go's json.Decoder stops after the first value, so trailing bytes go unnoticed.
      const r0 = await e.revision();
      e.ok(t, await e.put('trail/k', 'v'), r0 + 1);
      const r = await raw(e.url(), 'POST', '/v3/kv/range', `${JSON.stringify({ key: b64('trail/k') })} trailing`, { 'content-type': 'application/json' });
      t.equal(r.status, 200, 'trailing bytes after the JSON value: HTTP 200');
      t.strictSame(r.body?.kvs, [kv('trail/k', r0 + 1, r0 + 1, 1, 'v')], 'trailing bytes after the JSON value: the range');
    });

    t.test('JSON replies, errors included, are application/json', async (t) => {
      for (const [path, body, status] of [
        ['/v3/kv/range', { key: b64('x') }, 200],
        ['/v3/kv/range', {}, 400],
        ['/v3/maintenance/status', {}, 200],
        ['/v3/cluster/member/list', {}, 200],
      ] as const) {
        const r = await raw(e.url(), 'POST', path, JSON.stringify(body), { 'content-type': 'application/json' });
        t.equal(r.status, status, `${path} ${JSON.stringify(body)}: HTTP ${status}`);
        t.equal(mediaType(r), 'application/json', `${path} ${JSON.stringify(body)}: application/json`);
      }
    });

    t.test('member ids in headers match the member list, from every member', async (t) => {
      for (const m of members) {
        const s = await e.post('/v3/maintenance/status', {}, m);
        t.equal(s.body?.header?.member_id, e.ids[m], `member ${m}`);
        t.match(s.body?.header?.revision, UINT64_OR_0, 'the status header revision is an int64 string');
      }
    });
  });
}
