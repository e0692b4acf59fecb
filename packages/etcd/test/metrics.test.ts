// kubets-etcd's /metrics: besides etcd's own names, the counters that show what a write cost (WAL
// writes and fsyncs, Raft Readies, frames and bytes to each peer) move with the writes, on every
// member, and a batch of concurrent writes shares Readies and fsyncs.
import t from 'tap';
import { startCluster } from './support/cluster.js';
import { b64, call, eventually } from './support/etcd-client.js';

async function scrape(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (m) out.set(m[1]! + (m[2] ?? ''), (out.get(m[1]! + (m[2] ?? '')) ?? 0) + Number(m[3]));
  }
  return out;
}

const sum = (m: Map<string, number>, name: string) => [...m].filter(([k]) => k === name || k.startsWith(`${name}{`)).reduce((s, [, v]) => s + v, 0);

t.test('write-path counters move with writes on every member', async (t) => {
  const c = await startCluster({ kind: 'kubets' });
  t.teardown(() => c.stop());
  const before = await Promise.all(c.clientUrls.map(scrape));
  const writes = 200;
  // Concurrent writes through one member: they are replicated in shared batches.
  const replies = await Promise.all(Array.from({ length: writes }, (_, i) => call(c.clientUrls[0]!, '/v3/kv/put', { key: b64(`m/${i}`), value: b64('x'.repeat(100)) })));
  t.ok(replies.every((r) => r.status === 200), 'every put succeeded');
  const revision = Number((await call(c.clientUrls[0]!, '/v3/kv/range', { key: b64('m/0') })).body.header.revision);

  // Followers learn the commit a little later; wait until every member applied the last write.
  const after = await eventually('every member applied the writes', async () => {
    const all = await Promise.all(c.clientUrls.map(scrape));
    return all.every((m) => (m.get('etcd_debugging_mvcc_current_revision') ?? 0) >= revision) ? all : undefined;
  });
  for (const [i, m] of after.entries()) {
    const d = (name: string) => sum(m, name) - sum(before[i]!, name);
    t.ok(d('kubets_raft_entries_persisted_total') >= writes, `member ${i}: at least ${writes} entries persisted (${d('kubets_raft_entries_persisted_total')})`);
    t.ok(d('etcd_disk_wal_write_bytes_total') >= writes * 100, `member ${i}: the values reached the WAL`);
    t.ok(d('etcd_disk_wal_fsyncs_total') >= 1, `member ${i}: the WAL was synced`);
    t.ok(d('etcd_disk_wal_fsyncs_total') < writes, `member ${i}: concurrent writes shared fsyncs (${d('etcd_disk_wal_fsyncs_total')} for ${writes})`);
    t.ok(d('kubets_raft_readies_total') < writes, `member ${i}: and Readies (${d('kubets_raft_readies_total')})`);
    t.ok(d('etcd_network_peer_received_frames_total') >= 1, `member ${i}: received from its peers`);
    t.equal([...m.keys()].filter((k) => k.startsWith('etcd_network_peer_sent_bytes_total{')).length, 2, `member ${i}: bytes sent, labelled by each of its 2 peers`);
  }
  const leaderIndex = after.findIndex((m) => m.get('etcd_server_is_leader') === 1);
  t.ok(leaderIndex >= 0, 'one member is the leader');
  const sentByLeader = sum(after[leaderIndex]!, 'etcd_network_peer_sent_bytes_total') - sum(before[leaderIndex]!, 'etcd_network_peer_sent_bytes_total');
  t.ok(sentByLeader >= 2 * writes * 100, `the leader sent every value to both followers (${sentByLeader} bytes)`);
});
