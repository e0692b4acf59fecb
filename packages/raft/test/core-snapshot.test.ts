// Log compaction and InstallSnapshot (Raft §7).
import t from 'tap';
import { newMessage } from '../src/core/message.js';
import { storageWith, TestCluster, TestNode } from '../src/sim/cluster.js';
import type { Message, Snapshot } from '../src/types.js';

function msg(type: Message['type'], from: number, to: number, fields: Partial<Message> = {}): Message {
  return newMessage(type, to, { from, ...fields });
}

function snapshot(index: number, term: number, voters: number[]): Snapshot {
  return { metadata: { index, term, confState: { voters, learners: [] } }, data: new TextEncoder().encode(`state@${index}`) };
}

/** The leader snapshots its applied state and drops the log up to it. */
function compactLeader(c: TestCluster, id: number): number {
  const n = c.get(id);
  const applied = n.raft.log.applied;
  n.storage.createSnapshot(applied, n.confState, new TextEncoder().encode(`state@${applied}`));
  n.storage.compact(applied);
  return applied;
}

t.test('a follower that needs compacted entries gets the snapshot, installs it and goes on from there', async (t) => {
  const c = new TestCluster([1, 2, 3]);
  c.campaign(1);
  c.isolate(3);
  for (let i = 0; i < 10; i++) c.propose(1, `e${i}`);
  const at = compactLeader(c, 1);
  t.ok(c.get(1).storage.firstIndex() > c.get(3).raft.log.lastIndex() + 1, 'the entries node 3 lacks are gone from the leader');
  c.heal();
  c.tickAll(3);
  const f = c.get(3);
  t.equal(f.installed?.metadata.index, at, 'node 3 installed the snapshot');
  t.equal(f.storage.firstIndex(), at + 1, 'its log now starts after the snapshot');
  t.same(f.confState, { voters: [1, 2, 3], learners: [] }, 'with the snapshot\'s configuration');
  c.propose(1, 'after');
  t.same(f.appliedData(), ['after'], 'and it applies what comes after');
  t.equal(f.raft.log.committed, c.get(1).raft.log.committed);
});

t.test('a snapshot not beyond the commit index is ignored (a stale or duplicated message)', async (t) => {
  const n = new TestNode(2, { storage: storageWith([1, 2], [1, 1, 1], { term: 1, commit: 3 }) });
  n.node.step(msg('snap', 1, 2, { term: 1, snapshot: snapshot(2, 1, [1, 2]) }));
  t.equal(n.raft.log.lastIndex(), 3, 'log unchanged');
  t.same(n.drain().map((m) => [m.type, m.index]), [['appResp', 3]], 'answered with our commit index');
});

t.test('a follower whose log already has the snapshot\'s last entry just commits up to it', async (t) => {
  const n = new TestNode(2, { storage: storageWith([1, 2], [1, 1, 1, 1], { term: 1, commit: 1 }) });
  n.node.step(msg('snap', 1, 2, { term: 1, snapshot: snapshot(3, 1, [1, 2]) }));
  t.equal(n.raft.log.lastIndex(), 4, 'the entries after it are kept');
  t.equal(n.raft.log.committed, 3);
  t.notOk(n.node.ready().snapshot, 'nothing to install');
});

t.test('installing a snapshot replaces a conflicting log', async (t) => {
  const n = new TestNode(2, { storage: storageWith([1, 2], [1, 2, 2], { term: 2, commit: 1 }) });
  n.node.step(msg('snap', 1, 2, { term: 3, snapshot: snapshot(5, 3, [1, 2]) }));
  const rd = n.node.ready();
  t.equal(rd.snapshot?.metadata.index, 5);
  t.equal(rd.hardState?.commit, 5);
  t.equal(rd.mustSync, true, 'the snapshot is persisted before the acknowledgement goes out');
  t.same(rd.messages.map((m) => [m.type, m.index]), [['appResp', 5]]);
  n.storage.applySnapshot(rd.snapshot!);
  n.node.advance(rd);
  t.equal(n.raft.log.lastIndex(), 5);
  t.equal(n.raft.log.applied, 5);
});

t.test('the leader sends nothing else while a snapshot is in flight, and retries after a failure report', async (t) => {
  const c = new TestCluster([1, 2, 3]);
  c.campaign(1);
  c.isolate(3);
  for (let i = 0; i < 5; i++) c.propose(1, `e${i}`);
  compactLeader(c, 1);
  c.heal();
  c.drop('snap'); // the snapshot is lost on the way
  c.tickAll(2);
  const st = () => c.get(1).node.status().progress!.get(3)!;
  t.equal(st().state, 'snapshot');
  t.equal(st().paused, true);
  c.get(1).node.reportSnapshot(3, false);
  t.equal(st().state, 'probe', 'the transport reported the failure: probe again');
  c.heal();
  c.tickAll(3);
  t.ok(c.get(3).installed, 'the retry got through');
  t.equal(st().state, 'replicate');
});

t.test('a node restarts from its snapshot and log', async (t) => {
  const c = new TestCluster([1, 2, 3]);
  c.campaign(1);
  for (let i = 0; i < 5; i++) c.propose(1, `e${i}`);
  const n2 = c.get(2);
  n2.storage.createSnapshot(n2.raft.log.applied, n2.confState, new Uint8Array([1]));
  n2.storage.compact(n2.raft.log.applied - 2);
  c.propose(1, 'tail');
  const restarted = new TestNode(2, { storage: n2.storage, applied: n2.storage.snapshot().metadata.index });
  t.equal(restarted.raft.log.committed, n2.raft.log.committed);
  restarted.drain();
  t.same(restarted.appliedData(), ['tail'], 'only what the snapshot does not cover is applied again');
});
