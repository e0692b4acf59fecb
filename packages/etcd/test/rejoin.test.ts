// A member that lost its data dir rejoins as etcd's runbook says: remove it, add it back with the
// same peer URL (it gets a new id), start it with --initial-cluster-state=existing on an empty
// data dir. It must catch up on everything written before and while it was away.
import { rm } from 'node:fs/promises';
import t from 'tap';
import { startCluster } from './support/cluster.js';
import { b64, call, eventually, unb64 } from './support/etcd-client.js';

t.test('a member with a wiped data dir is removed, added back and catches up', async (t) => {
  const c = await startCluster({ kind: 'kubets' });
  t.teardown(() => c.stop());
  const [a, , victim] = c.clientUrls as [string, string, string];

  for (let i = 0; i < 20; i++) t.equal((await call(a, '/v3/kv/put', { key: b64(`before/${i}`), value: b64(`v${i}`) })).status, 200);

  const list = await call(a, '/v3/cluster/member/list');
  const old = (list.body.members as { ID: string; name: string }[]).find((m) => m.name === 'm2')!;
  await c.kill(2);
  // If it was the leader, the survivors elect another first.
  await eventually('a leader among the survivors', async () => {
    const st = await call(a, '/v3/maintenance/status');
    return st.body?.leader !== undefined && st.body.leader !== old.ID ? true : undefined;
  });
  const removed = await call(a, '/v3/cluster/member/remove', { ID: old.ID });
  t.equal(removed.status, 200, 'member remove succeeds');
  t.equal(removed.body.members.length, 2);
  t.equal((await call(a, '/v3/cluster/member/remove', { ID: old.ID })).status, 412, 'a removed id cannot be removed again');

  // Writes with two of two members.
  for (let i = 0; i < 20; i++) t.equal((await call(a, '/v3/kv/put', { key: b64(`during/${i}`), value: b64(`v${i}`) })).status, 200);

  await rm(c.dataDir(2), { recursive: true, force: true });
  const added = await call(a, '/v3/cluster/member/add', { peerURLs: [c.peerUrls[2]] });
  t.equal(added.status, 200, 'member add succeeds');
  t.not(added.body.member.ID, old.ID, 'the member comes back with a new id');
  t.same(added.body.member.peerURLs, [c.peerUrls[2]]);
  const dup = await call(a, '/v3/cluster/member/add', { peerURLs: [c.peerUrls[2]] });
  t.equal(dup.status, 412, 'the same peer URL cannot be added twice (FailedPrecondition)');
  t.equal(dup.body.message, 'etcdserver: Peer URLs already exists');

  await c.restart(2);
  const after = await call(a, '/v3/kv/put', { key: b64('after'), value: b64('x') });
  const rev = Number(after.body.header.revision);
  const caughtUp = await eventually('the rejoined member applied the last write', async () => {
    const r = await call(victim, '/v3/kv/range', { key: b64('\0'), range_end: b64('\0'), serializable: true });
    return Number(r.body.header.revision) >= rev ? r : undefined;
  });
  t.equal(caughtUp.body.count, '41', 'every key written before and during its absence is there');
  t.same((caughtUp.body.kvs as { key: string }[]).map((kv) => unb64(kv.key)).filter((k) => k.startsWith('during/')).length, 20);

  const members = await call(victim, '/v3/cluster/member/list');
  const me = (members.body.members as { ID: string; name?: string }[]).find((m) => m.ID === added.body.member.ID);
  t.equal(me?.name, 'm2', 'the rejoined member published its name');
  const w = await call(victim, '/v3/kv/put', { key: b64('through-rejoined'), value: b64('y') });
  t.equal(w.status, 200, 'the rejoined member takes writes');
});
