// The API server's etcd client against three-member clusters of real etcd and of kubets-etcd:
// it finds the leader's endpoint and sends its requests there, fails over when that member
// dies, moves to the new leader, and a watch resumes on another member without a gap. Of two
// members that both say they lead, it takes the one in the higher term.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { startEtcdCluster, type EtcdKind } from '@kubets/testing';
import { request } from 'undici';
import { EtcdClient, type WatchEventRaw } from '../src/etcd3/client.js';
import { eventually } from './support/http.js';

/** The index of the endpoint whose member says it is the leader, if one does. */
async function leaderOf(endpoints: string[]): Promise<number> {
  const statuses = await Promise.all(endpoints.map(async (url) => {
    try {
      const r = await request(`${url}/v3/maintenance/status`, { method: 'POST', body: '{}', headersTimeout: 1000, bodyTimeout: 1000 });
      return (await r.body.json()) as { header?: { member_id?: string }; leader?: string };
    } catch {
      return undefined;
    }
  }));
  return statuses.findIndex((s) => s?.leader !== undefined && s.leader !== '0' && s.leader === s.header?.member_id);
}

const kinds: EtcdKind[] = ['real', 'kubets'];
for (const kind of kinds) {
  t.test(`on ${kind === 'real' ? 'real etcd' : 'kubets-etcd'}`, async (t) => {
    const cluster = await startEtcdCluster({ kind });
    t.teardown(() => cluster.stop());
    const leader = await eventually('a leader', async () => {
      const i = await leaderOf(cluster.clientUrls);
      return i >= 0 ? i : undefined;
    }, 20_000);
    // The leader's endpoint last: the client starts on a follower.
    const endpoints = [...cluster.clientUrls.filter((_, i) => i !== leader), cluster.clientUrls[leader]!];
    // An hour between checks: within this test, only a failover sends it looking.
    const client = new EtcdClient({ endpoints, requestTimeoutMs: 3000, leaderCheckMs: 3_600_000 });
    t.teardown(() => client.close());

    t.test('requests go to the leader once it is found', async (t) => {
      await client.preferLeader();
      t.equal(client.currentEndpoint, 2, "the leader's endpoint");
      const leaderId = (await (await request(`${endpoints[2]}/v3/maintenance/status`, { method: 'POST', body: '{}' })).body.json() as { leader: string }).leader;
      const r = await client.txn([{ target: 'MOD', key: '/t/a', modRevision: 0 }], [{ put: { key: '/t/a', value: 'one' } }]);
      t.ok(r.succeeded);
      t.equal(r.header.memberId, leaderId, 'the leader answered');
      t.equal((await client.range({ key: '/t/a' })).kvs[0]?.value.toString(), 'one');
    });

    t.test('the leader dies: requests fail over, the client moves to the new leader, and a watch goes on without a gap', async (t) => {
      const seen: WatchEventRaw[] = [];
      const start = (await client.range({ key: '/t/a' })).header.revision + 1;
      const watch = client.watch('/w/', '/w0', start, { onEvents: (events) => seen.push(...events), onCompacted: () => t.fail('compacted') });
      t.teardown(() => watch.stop());
      for (let i = 0; i < 5; i++) await client.txn([], [{ put: { key: `/w/${i}`, value: String(i) } }]);
      await eventually('the first five events', async () => (seen.length >= 5 ? true : undefined));

      await cluster.kill(leader);
      // The surviving members elect a leader; until then the client's calls may find none. A call
      // that timed out may still commit, so each put is a create: a retry cannot write it twice.
      for (let i = 5; i < 10; i++) {
        const key = `/w/${i}`;
        await eventually(`put ${i}`, () => client.txn([{ target: 'MOD', key, modRevision: 0 }], [{ put: { key, value: String(i) } }]), 20_000);
      }
      const newLeader = await eventually('a new leader', async () => {
        const i = await leaderOf(endpoints);
        return i >= 0 && i !== 2 ? i : undefined;
      }, 20_000);
      await eventually("the new leader's endpoint", async () => (client.currentEndpoint === newLeader ? true : undefined));
      await eventually('all ten events', async () => (seen.length >= 10 ? true : undefined));
      t.same(seen.map((e) => e.kv.key), Array.from({ length: 10 }, (_, i) => `/w/${i}`), 'every put, once, in order');
      t.same(seen.map((e) => e.kv.value.toString()), Array.from({ length: 10 }, (_, i) => String(i)));
    });
  });
}

t.test('two members say they lead (one cut off, in an older term): the client takes the one in the higher term', async (t) => {
  // Members that answer only /v3/maintenance/status, as a partitioned old leader and the new one would.
  const statuses = [
    { header: { member_id: '11', raft_term: '5' }, leader: '11' },
    { header: { member_id: '22', raft_term: '6' }, leader: '22' },
    { header: { member_id: '33', raft_term: '6' }, leader: '22' },
  ];
  const servers = await Promise.all(statuses.map((status) => new Promise<Server>((resolve) => {
    const s = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(req.url === '/v3/maintenance/status' ? status : {}));
    });
    s.listen(0, '127.0.0.1', () => resolve(s));
  })));
  t.teardown(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));
  const endpoints = servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`);
  const client = new EtcdClient({ endpoints, leaderCheckMs: 3_600_000 });
  t.teardown(() => client.close());
  await client.preferLeader();
  t.equal(client.currentEndpoint, 1);
});
