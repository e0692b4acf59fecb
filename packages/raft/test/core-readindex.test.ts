// Linearizable reads with ReadIndex (thesis §6.4): no log write, one heartbeat round.
import t from 'tap';
import { ReadIndexDroppedError } from '../src/core/errors.js';
import { newMessage } from '../src/core/message.js';
import { storageWith, TestCluster, TestNode } from '../src/sim/cluster.js';
import type { Message } from '../src/types.js';

function msg(type: Message['type'], from: number, to: number, fields: Partial<Message> = {}): Message {
  return newMessage(type, to, { from, ...fields });
}
const ctx = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array) => new TextDecoder().decode(b);

t.test('the leader serves a read at its commit index once a majority answered a heartbeat', async (t) => {
  const c = new TestCluster([1, 2, 3]);
  c.campaign(1);
  c.propose(1, 'w');
  const leader = c.get(1);
  c.holdTypes.add('heartbeatResp');
  leader.node.readIndex(ctx('r1'));
  c.stabilize();
  t.same(leader.readStates, [], 'not before the heartbeat round');
  const resps = c.held.splice(0);
  t.ok(resps.every((m) => str(m.context) === 'r1'), 'the heartbeats carried the request context');
  c.holdTypes.clear();
  c.deliver([resps[0]!]);
  t.same(leader.readStates.map((r) => [r.index, str(r.context)]), [[leader.raft.log.committed, 'r1']], 'one answer plus ours is a majority');
});

t.test('a new leader holds reads until it has committed an entry of its term', async (t) => {
  const n = new TestNode(1, { storage: storageWith([1, 2, 3], [1, 1], { term: 1, commit: 1 }), preVote: false });
  n.node.campaign();
  n.node.step(msg('voteResp', 2, 1, { term: 2 }));
  t.equal(n.raft.role, 'leader');
  n.drain();
  n.node.readIndex(ctx('early'));
  t.same(n.drain().filter((m) => m.type === 'heartbeat'), [], 'no confirmation round yet');
  t.same(n.readStates, []);
  // Index 2 (term 1) may or may not be committed; the no-op at 3 settles it.
  n.node.step(msg('appResp', 2, 1, { term: 2, index: 3 }));
  t.equal(n.raft.log.committed, 3);
  const hbs = n.drain().filter((m) => m.type === 'heartbeat');
  t.ok(hbs.length > 0 && hbs.every((m) => str(m.context) === 'early'), 'now the round starts');
  n.node.step(msg('heartbeatResp', 2, 1, { term: 2, context: ctx('early') }));
  n.drain();
  t.same(n.readStates.map((r) => [r.index, str(r.context)]), [[3, 'early']], 'served at an index covering every earlier commit');
});

t.test('a deposed leader cut off from the majority never serves a read', async (t) => {
  const c = new TestCluster([1, 2, 3]);
  c.campaign(1);
  c.isolate(1);
  c.get(1).node.readIndex(ctx('stale'));
  // The others elect a new leader and commit a write the old leader cannot know of.
  for (let i = 0; i < 40 && !(c.get(2).raft.role === 'leader' || c.get(3).raft.role === 'leader'); i++) {
    c.tick(2);
    c.tick(3);
  }
  const newLeader = c.get(2).raft.role === 'leader' ? 2 : 3;
  c.propose(newLeader, 'new');
  for (let i = 0; i < 30; i++) c.tick(1);
  t.same(c.get(1).readStates, [], 'no read state from the old leader');
  t.equal(c.get(1).raft.role, 'follower', 'it stepped down (CheckQuorum) and dropped the request');
});

t.test('a follower forwards the read to the leader and serves it at the index the leader returns', async (t) => {
  const c = new TestCluster([1, 2, 3]);
  c.campaign(1);
  c.propose(1, 'w');
  const f = c.get(2);
  f.node.readIndex(ctx('via-follower'));
  c.stabilize();
  t.same(f.readStates.map((r) => [r.index, str(r.context)]), [[c.get(1).raft.log.committed, 'via-follower']]);
  t.ok(f.raft.log.applied >= f.readStates[0]!.index, 'the follower has applied up to it (or waits until it has)');
});

t.test('a single-node cluster serves a read at once', async (t) => {
  const c = new TestCluster([1]);
  c.campaign(1);
  c.get(1).node.readIndex(ctx('solo'));
  c.stabilize();
  t.same(c.get(1).readStates.map((r) => str(r.context)), ['solo']);
});

t.test('a read with no leader to ask is refused', async (t) => {
  const n = new TestNode(1, { storage: storageWith([1, 2, 3]) });
  t.throws(() => n.node.readIndex(ctx('x')), ReadIndexDroppedError);
});

t.test('a later answer releases every earlier read too', async (t) => {
  const c = new TestCluster([1, 2, 3]);
  c.campaign(1);
  const leader = c.get(1);
  c.drop('heartbeat');
  leader.node.readIndex(ctx('a'));
  leader.node.readIndex(ctx('b'));
  c.stabilize();
  c.heal();
  leader.node.readIndex(ctx('c'));
  c.stabilize();
  t.same(leader.readStates.map((r) => str(r.context)), ['a', 'b', 'c']);
});
